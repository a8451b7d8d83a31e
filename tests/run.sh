#!/usr/bin/env bash
# Runs every test of the identity provider: Check unit tests, end-to-end
# tests against a private PostgreSQL and a running idp, interoperability
# tests with third-party relying-party libraries, the pages in a real
# browser (chromium, axe-core), fault tests (PostgreSQL stopped, started
# and frozen, idp killed, the hash queue full, slow-client floods), a smoke
# run of the benchmark, the libFuzzer targets for a bounded time, and
# production on several machines (the Debian package installed and
# purged, Patroni/etcd/HAProxy failover, backups restored).
# Everything runs under AddressSanitizer and UBSan.
#
#   tests/run.sh            all suites (fuzz: 270 s shared by the targets)
#   tests/run.sh unit       one suite (unit, e2e, interop, browser, fault,
#                           bench, ha, fuzz)
#   tests/run.sh fuzz       the fuzz targets, 300 s each, or
#                           IDP_FUZZ_SECONDS each (tests/fuzz/run.sh)
#
# Exits non-zero on any failure.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=../deploy/lib/deps.sh
. deploy/lib/deps.sh
# shellcheck disable=SC2086
idp_install_deps $IDP_BUILD_PKGS $IDP_TEST_PKGS $IDP_BENCH_PKGS \
	$IDP_FUZZ_PKGS $IDP_HA_PKGS

build=${IDP_TEST_BUILD:-build-asan}
if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" -Dbuildtype=debug -Db_sanitize=address,undefined \
		-Db_lundef=false >/dev/null
fi
ninja -C "$build" >/dev/null

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

# The fuzz suite lives in a clang build dir of its own (tests/fuzz/).
fuzz=0
[ $# -gt 0 ] || fuzz=1
suites=()
for s in "${@:-unit e2e interop browser fault bench ha}"; do
	for w in $s; do
		if [ "$w" = fuzz ]; then
			fuzz=1
			export IDP_FUZZ_SECONDS=${IDP_FUZZ_SECONDS:-300}
		else
			suites+=(--suite "$w")
		fi
	done
done
status=0
if [ ${#suites[@]} -gt 0 ]; then
	meson test -C "$build" --print-errorlogs --num-processes 1 \
		"${suites[@]}" || status=$?
fi
if [ $fuzz -eq 1 ]; then
	fbuild=${IDP_FUZZ_BUILD:-build-fuzz}
	if [ ! -f "$fbuild/build.ninja" ]; then
		CC=clang meson setup "$fbuild" -Dfuzz=enabled >/dev/null
	fi
	ninja -C "$fbuild" >/dev/null
	SECONDS=0
	meson test -C "$fbuild" --print-errorlogs --num-processes 1 \
		--suite fuzz || status=$?
	echo "fuzz suite: $SECONDS s"
fi
echo
if [ ${#suites[@]} -gt 0 ]; then
	echo "Check summaries:"
	grep -hE '^[0-9]+%: Checks: ' "$build/meson-logs/testlog.txt" || true
	echo "End-to-end, interoperability, browser and fault summaries:"
	grep -hE '^# (tests|pass|fail|skipped) ' \
		"$build/meson-logs/testlog.txt" || true
	ha_lines='^# (promotion|503 |failover:|old primary|idp node )'
	if grep -qE "$ha_lines" "$build/meson-logs/testlog.txt"; then
		echo "High availability (tests/ha/failover.test.mjs):"
		grep -hE "$ha_lines" "$build/meson-logs/testlog.txt"
	fi
fi
if [ $fuzz -eq 1 ]; then
	echo "Fuzz summaries:"
	grep -hE '^fuzz [a-z_]+: (ok|FAILED)' \
		"$fbuild/meson-logs/testlog.txt" || true
fi
exit $status
