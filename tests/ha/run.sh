#!/usr/bin/env bash
# The high-availability test: the topology of deploy/ha/ on loopback
# (tests/ha/topology.sh), driven by tests/ha/failover.test.mjs: sign-in
# through one idp node and refresh through the other, the PostgreSQL
# primary's machine (its etcd member too) killed with SIGKILL under load,
# Patroni's promotion, the machine back and its PostgreSQL a standby
# again, then one idp node killed. Prints the seconds of 503s and what was
# lost.
#   tests/ha/run.sh BUILD_DIR
#   HA_IDP_COMMIT=async tests/ha/run.sh BUILD_DIR   idp's default commits
# Needs root to run etcd, PostgreSQL and HAProxy as their own users.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$1" && pwd)
if [ "$(id -u)" != 0 ]; then
	echo "skipped: the topology runs etcd, postgres and haproxy as their users (needs root)"
	exit 77
fi
export IDP_BIN=$build/idp/idp IDP_CTL=$build/idp/ctl/idpctl ROOT=$root
# shellcheck source=topology.sh
. "$root/tests/ha/topology.sh"
trap 'ha_down' EXIT
SECONDS=0
ha_up || exit 1
echo "# topology up in $SECONDS s (idp commits: ${HA_IDP_COMMIT:-sync})"
export STACK_DIR=$HA_DIR
node --test --test-concurrency=1 --test-reporter=tap "$root/tests/ha/failover.test.mjs"
status=$?
if [ $status -ne 0 ]; then
	for f in "$HA_DIR"/node*/patroni.log "$HA_DIR"/etcd*/etcd.log \
		"$HA_DIR/haproxy.log"; do
		echo "--- $f" >&2
		tail -15 "$f" >&2
	done
fi
exit $status
