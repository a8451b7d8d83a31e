#!/usr/bin/env bash
# Runs every test of the identity provider: Check unit tests, end-to-end
# tests against a private PostgreSQL and a running idp, interoperability
# tests with third-party relying-party libraries, the pages in a real
# browser (chromium, axe-core), fault tests (PostgreSQL stopped, started
# and frozen, idp killed, the hash queue full, slow-client floods), and a
# smoke run of the benchmark. Everything runs under AddressSanitizer and UBSan.
#
#   tests/run.sh            all suites
#   tests/run.sh unit       one suite (unit, e2e, interop, browser, fault,
#                           bench)
#
# Exits non-zero on any failure.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=../deploy/lib/deps.sh
. deploy/lib/deps.sh
# shellcheck disable=SC2086
idp_install_deps $IDP_BUILD_PKGS $IDP_TEST_PKGS $IDP_BENCH_PKGS

build=${IDP_TEST_BUILD:-build-asan}
if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" -Dbuildtype=debug -Db_sanitize=address,undefined \
		-Db_lundef=false >/dev/null
fi
ninja -C "$build" >/dev/null

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

suites=()
for s in "${@:-unit e2e interop browser fault bench}"; do
	for w in $s; do suites+=(--suite "$w"); done
done
status=0
meson test -C "$build" --print-errorlogs --num-processes 1 "${suites[@]}" || status=$?
echo
echo "Check summaries:"
grep -hE '^[0-9]+%: Checks: ' "$build/meson-logs/testlog.txt" || true
echo "End-to-end, interoperability and fault summaries:"
grep -hE '^# (tests|pass|fail|skipped) ' "$build/meson-logs/testlog.txt" || true
exit $status
