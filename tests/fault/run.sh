#!/usr/bin/env bash
# The fault suite, on the end-to-end harness (a private PostgreSQL and
# stack from tests/lib/stack.sh): the tests stop, start and freeze that
# PostgreSQL, and start, kill and restart idp processes of their own,
# driving them over HTTP under load.
#   tests/fault/run.sh BUILD_DIR [FILE.test.mjs...]
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$1
shift
files=("$@")
[ ${#files[@]} -gt 0 ] || files=("$root"/tests/fault/*.test.mjs)
exec "$root/tests/e2e/run.sh" "$build" "${files[@]}"
