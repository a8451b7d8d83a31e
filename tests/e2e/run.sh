#!/usr/bin/env bash
# The end-to-end suite: a private PostgreSQL, a running idp (the build
# under test, sanitizers on), and node:test files driving it over HTTP
# like a browser and like a relying party.
#   tests/e2e/run.sh BUILD_DIR [FILE.test.mjs...]
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$1" && pwd)
shift
# shellcheck source=../lib/stack.sh
. "$root/tests/lib/stack.sh"
trap 'stack_down' EXIT
stack_up "$build" || exit 1
export ROOT=$root
files=("$@")
[ ${#files[@]} -gt 0 ] || files=("$root"/tests/e2e/*.test.mjs)
# IDP_E2E_NODE_ARGS: more options for node, e.g.
# --test-name-pattern=REGEX to run some tests of a file.
# shellcheck disable=SC2086 # a list of options
node --test --test-concurrency=1 --test-reporter=tap ${IDP_E2E_NODE_ARGS:-} "${files[@]}"
status=$?
trap - EXIT
stack_down || status=1
exit $status
