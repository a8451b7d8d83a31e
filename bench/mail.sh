#!/usr/bin/env bash
# The password-reset and mail benchmark, a workload of its own beside
# bench/run.sh, in one command (as root, from a checkout):
#
#   bench/mail.sh                 build a release idp in build-bench/, start
#                                 a private PostgreSQL, an aiosmtpd relay on
#                                 loopback and an idp with the default
#                                 argon2id cost, then measure
#                                 1. reset requests (POST /reset) answered
#                                    while a login storm saturates the hash
#                                    queue: p50/p99 (target p99 < 50 ms);
#                                 2. the outbox draining mails to the relay
#                                    (target >= 50 mails/s)
#   bench/mail.sh --smoke         a few seconds of each; fails unless both
#                                 work (CI runs it), prints no verdicts
#
# Options: --build DIR (an existing build), --duration S (login storm,
# default 10), --mails N (outbox drain, default 1000), --out FILE.
# Short on purpose: the machine is shared. docs/performance.md has the
# method and the figures.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
smoke=0 build='' duration=10 mails=1000 outfile=''
while [ $# -gt 0 ]; do
	case $1 in
	--smoke) smoke=1 duration=3 mails=100 ;;
	--build) build=$2; shift ;;
	--duration) duration=$2; shift ;;
	--mails) mails=$2; shift ;;
	--out) outfile=$2; shift ;;
	-h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench/mail.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
# shellcheck source=../deploy/lib/deps.sh
. deploy/lib/deps.sh
# shellcheck disable=SC2086
idp_install_deps $IDP_BUILD_PKGS $IDP_TEST_PKGS
if [ -z "$build" ]; then
	build=$root/build-bench
	[ -f "$build/build.ninja" ] ||
		meson setup "$build" -Dbuildtype=release -Dtests=disabled >/dev/null
	ninja -C "$build" >/dev/null
fi
build=$(cd "$build" && pwd)
# The idp the stack starts is not measured; bench/mail.mjs starts its own
# with the relay and the real password cost.
# shellcheck source=../tests/lib/stack.sh
. "$root/tests/lib/stack.sh"
trap 'stack_down' EXIT
stack_up "$build" || exit 1
export ROOT=$root BENCH_SMOKE=$smoke BENCH_DURATION=$duration BENCH_MAILS=$mails
export BENCH_OUT=$outfile
node "$root/bench/mail.mjs"
status=$?
trap - EXIT
stack_down || status=1
exit $status
