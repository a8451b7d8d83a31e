#!/usr/bin/env bash
# The single sign-out benchmark, in one command (as root, from a checkout):
#
#   bench/logout.sh               build a release idp in build-bench/, start
#                                 a private PostgreSQL and idp, then measure
#                                 1. one person signed in to 57 services
#                                    signs out: the time until all 57
#                                    loopback receivers hold a verified
#                                    logout token, p50/p99 over 20 rounds
#                                    (target p99 < 1 s);
#                                 2. 1,000 sign-outs a minute of people with
#                                    5 services each, for 60 s, 10% of the
#                                    receivers down for the first half:
#                                    nothing lost, none twice, and how long
#                                    the outbox takes to drain after they
#                                    come back (target < 1 minute); wrk
#                                    drives client_credentials meanwhile,
#                                    as long before and again after the
#                                    drain: the throughput with the
#                                    sign-outs against the mean without
#                                    (target: within 10%); the browsers
#                                    and services of this phase are
#                                    bench/logout_load.c, so that the
#                                    benchmark itself takes little of the
#                                    two cores it measures on
#   bench/logout.sh --smoke       a few rounds and seconds; fails unless
#                                 every token arrives once and every
#                                 client_credentials answer is 200, no
#                                 verdicts
#
# Options: --build DIR, --rounds N, --duration S, --rate PER_MINUTE,
# --out FILE. docs/performance.md has the method and the figures.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
smoke=0 build='' rounds=20 duration=60 rate=1000 outfile=''
while [ $# -gt 0 ]; do
	case $1 in
	--smoke) smoke=1 rounds=3 duration=5 rate=240 ;;
	--build) build=$2; shift ;;
	--rounds) rounds=$2; shift ;;
	--duration) duration=$2; shift ;;
	--rate) rate=$2; shift ;;
	--out) outfile=$2; shift ;;
	-h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench/logout.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
# shellcheck source=../deploy/lib/deps.sh
. deploy/lib/deps.sh
# shellcheck disable=SC2086
idp_install_deps $IDP_BUILD_PKGS $IDP_TEST_PKGS $IDP_BENCH_PKGS
if [ -z "$build" ]; then
	build=$root/build-bench
	[ -f "$build/build.ninja" ] ||
		meson setup "$build" -Dbuildtype=release -Dtests=disabled >/dev/null
	ninja -C "$build" >/dev/null
fi
build=$(cd "$build" && pwd)
# The steady phase's browsers and services (bench/logout_load.c).
work=$(mktemp -d /tmp/idp-bench-logout.XXXXXX)
gcc -std=c17 -O2 -Wall -Wextra -D_GNU_SOURCE -pthread -o "$work/logout_load" \
	bench/logout_load.c || { echo "bench/logout.sh: cannot build bench/logout_load.c" >&2; exit 1; }
# shellcheck source=../tests/lib/stack.sh
. "$root/tests/lib/stack.sh"
trap 'stack_down; rm -rf "$work"' EXIT
# The product's client cache (client_cache_ttl, 30 s by default): the
# tests turn it off to see each change at once, which costs every
# client_credentials request a lookup of its client.
export IDP_CLIENT_CACHE_TTL=${IDP_CLIENT_CACHE_TTL:-30}
stack_up "$build" || exit 1
export ROOT=$root BENCH_SMOKE=$smoke BENCH_ROUNDS=$rounds BENCH_DURATION=$duration
export BENCH_RATE=$rate BENCH_OUT=$outfile BENCH_WORK=$work LOGOUT_LOAD=$work/logout_load
# BENCH_NODE_ARGS: options for node, e.g. --cpu-prof --cpu-prof-dir=DIR
# shellcheck disable=SC2086 # a list of options
node ${BENCH_NODE_ARGS:-} "$root/bench/logout.mjs"
status=$?
trap - EXIT
stack_down || status=1
rm -rf "$work"
exit $status
