#!/usr/bin/env bash
# The interoperability suite: third-party relying-party libraries against
# a throwaway provider (tests/lib/stack.sh).
#   tests/interop/run.sh BUILD_DIR [FILE.test.mjs...]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "$1" && pwd)
shift
cd "$here" || exit 1
if [ ! -d node_modules/openid-client ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	npm ci --no-audit --no-fund --loglevel=error || exit 1
fi
# shellcheck source=../lib/stack.sh
. "$root/tests/lib/stack.sh"
trap 'stack_down' EXIT
stack_up "$build" || exit 1
files=("$@")
[ ${#files[@]} -gt 0 ] || files=("$here"/*.test.mjs)
node --test --test-concurrency=1 --test-reporter=tap "${files[@]}"
status=$?
trap - EXIT
stack_down || status=1
exit $status
