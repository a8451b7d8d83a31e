#!/usr/bin/env bash
# Fault tests: the provider under conditions that break naive servers,
# each against a fresh stack with the settings that make it observable in
# seconds (a 2 s head deadline instead of 10 s, a cap of 512 connections).
#   tests/fault/run.sh BUILD_DIR SLOW_CLIENTS_BINARY
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
export SLOW_CLIENTS=$2
export IDP_REQUEST_HEAD_TIMEOUT=2 IDP_REQUEST_BODY_TIMEOUT=4
export IDP_MAX_CONNECTIONS=512 IDP_MAX_CONNECTIONS_PER_IP=0
exec "$root/tests/e2e/run.sh" "$1" "$root/tests/fault/slow_clients.test.mjs"
