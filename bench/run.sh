#!/usr/bin/env bash
# The benchmark of the identity provider, in one command (as root on a
# Debian 12 machine, from a checkout):
#
#   bench/run.sh                 install what is missing (wrk, build packages),
#                                build a release idp in build-bench/, start a
#                                private PostgreSQL and idp, load 33,000 people
#                                and 57 clients, drive every workload with wrk
#                                at 16 and 64 connections (10 s each), print
#                                one table and the targets of issue 5
#   bench/run.sh --peer          the same, plus oidc-provider (bench/peer/)
#                                side by side on discovery, JWKS,
#                                client_credentials, authorization requests,
#                                code exchanges and refresh, with ratios
#                                ours/peer, and the writing workloads also
#                                "before" (--before async): everything for
#                                docs/performance.md in one command
#   bench/run.sh --smoke [DIR]   every workload ~2 s at 4 connections; exits
#                                non-zero unless every one answered as
#                                expected (2xx; 302 for logins). CI runs it.
#
# Options:
#   --build DIR      use this existing build directory (e.g. the sanitizer
#                    build of CI) instead of building build-bench/
#   --duration S     seconds per measurement (default 10; 2 with --smoke)
#   --conns "A B"    connection counts (default "16 64"; "4" with --smoke)
#   --out FILE       also write the report (Markdown) to FILE
#   --keep           keep the work directory (PostgreSQL, logs, pools)
#   --only REGEX     run only the workloads whose label matches (grep -E),
#                    e.g. --only 'login|userinfo'
#   --before async   measure the workloads that write (client_credentials
#                    with opaque tokens, authorization requests, code
#                    exchanges, refresh) a second time right after each
#                    measurement with the cluster's synchronous_commit =
#                    off: what idp did before every commit waited for its
#                    WAL flush. The default with --peer.
#   --before DIR     the same with the idp of another build directory (e.g.
#                    the commit before, built with -Dbuildtype=release)
#                    against the same database
#   --before none    no "before" runs (with --peer)
#   --slow N         hold N slow clients open during every measurement:
#                    connections from 127.0.0.2 (bench/slow_clients.c) that
#                    send the start of a request head and then a byte every
#                    10 s, reconnecting when cut (at most BENCH_SLOW_RATE
#                    new connections a second, default 1000; 0: no cap);
#                    the legitimate load comes from 127.0.0.1. E.g.
#                    --slow 4000 --only 'discovery|client_credentials,
#                    opaque|userinfo'
#   --profile        also record, during every measurement, `perf record -a
#                    -g` (CPU split between idp, PostgreSQL, wrk, kernel and
#                    idp's hottest functions) and pg_stat_statements; prints
#                    where the profiles are (this slows the measured run)
#
# Environment, for experiments (the report names what was set):
#   IDP_WORKER_THREADS, IDP_HASH_THREADS, IDP_DB_POOL_SIZE, ...  reach idp
#                    (the password cost, log level and code lifetime are
#                    fixed by this script)
#   BENCH_PG_SETTINGS="commit_delay = 100"   postgresql.conf lines for the
#                    private cluster
#   BENCH_PEER_PROCS=N   oidc-provider as N node:cluster processes (default 1)
#   BENCH_USERS=N    people in the directory (default 33000)
#
# The machine should be otherwise idle: wrk, idp and PostgreSQL share its
# cores. docs/performance.md explains the method and holds the figures.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

smoke=0 peer=0 keep=0 profile=0 only='' build='' duration='' conns='' outfile=''
slow=0 before='' before_set=0
while [ $# -gt 0 ]; do
	case $1 in
	--before) before=$2 before_set=1; shift ;;
	--smoke) smoke=1 ;;
	--peer) peer=1 ;;
	--keep) keep=1 ;;
	--profile) profile=1 ;;
	--only) only=$2; shift ;;
	--slow) slow=$2; shift ;;
	--build) build=$2; shift ;;
	--duration) duration=$2; shift ;;
	--conns) conns=$2; shift ;;
	--out) outfile=$2; shift ;;
	-h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	-*) echo "bench/run.sh: unknown option $1" >&2; exit 2 ;;
	*) build=$1 ;;
	esac
	shift
done
if [ $smoke = 1 ]; then
	duration=${duration:-2} conns=${conns:-4}
else
	duration=${duration:-10} conns=${conns:-16 64}
fi
case $duration in '' | *[!0-9]*) echo "--duration: whole seconds" >&2; exit 2 ;; esac
case $slow in '' | *[!0-9]*) echo "--slow: a number of connections" >&2; exit 2 ;; esac
if [ $peer = 1 ] && [ $before_set = 0 ]; then before=async; fi
BEFORE_BIN=
case $before in
none) before= ;;
'' | async) ;;
*)
	BEFORE_BIN=$(cd "$before" 2>/dev/null && pwd)/idp/idp
	[ -x "$BEFORE_BIN" ] || { echo "--before: no idp/idp in $before" >&2; exit 2; }
	before=build
	;;
esac
USERS=${BENCH_USERS:-33000}
THREADS=2			# wrk threads (the machine of docs/ has 2 cores)
MAXC=0
for c in $conns; do [ "$c" -gt "$MAXC" ] && MAXC=$c; done

calc() { awk "BEGIN { printf \"$1\", $2 }"; }	# FORMAT EXPRESSION
say() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { say "FAILED: $*"; exit 1; }

# ---- 1. Packages and the build ---------------------------------------------

# shellcheck source=../deploy/lib/deps.sh
. deploy/lib/deps.sh
# The same private PostgreSQL and idp start-up as the tests.
# shellcheck source=../tests/lib/stack.sh
. tests/lib/stack.sh
# shellcheck disable=SC2086
idp_install_deps $IDP_BUILD_PKGS $IDP_BENCH_PKGS $IDP_TEST_PKGS

if [ -z "$build" ]; then
	build=$root/build-bench
	if [ ! -f "$build/build.ninja" ]; then
		meson setup "$build" -Dbuildtype=release -Dtests=disabled >/dev/null
	fi
	say "building a release idp in build-bench/"
	ninja -C "$build" >/dev/null
fi
build=$(cd "$build" && pwd)
IDP_BIN=$build/idp/idp
CTL=$build/idp/ctl/idpctl
if [ ! -x "$IDP_BIN" ] || [ ! -x "$CTL" ]; then
	die "no idp and idpctl in $build (build it first)"
fi

# ---- 2. PostgreSQL, work directory, cleanup ----------------------------------

# Experiments: BENCH_PG_SETTINGS="commit_delay = 100" (lines of
# postgresql.conf) changes the private cluster; the report says so.
# track_wal_io_timing: the report gives the mean WAL flush time of each run.
STACK_PG_SETTINGS="track_wal_io_timing = on"$'\n'${BENCH_PG_SETTINGS:-}
if [ $profile = 1 ]; then
	command -v perf >/dev/null || die "--profile needs perf (apt-get install linux-perf)"
	# The quotes are for postgresql.conf.
	# shellcheck disable=SC2089
	STACK_PG_SETTINGS+=$'\n'"shared_preload_libraries = 'pg_stat_statements'"
fi
# shellcheck disable=SC2090
export STACK_PG_SETTINGS
IDP_PID='' PEER_PID='' SLOW_PID=''
# Every command guarded: under set -e a failing one would turn the exit
# status of a good run into 1.
# shellcheck disable=SC2317 # reached through the EXIT trap
cleanup() {
	local rc=$?
	if [ -n "$SLOW_PID" ]; then
		kill -TERM "$SLOW_PID" 2>/dev/null || true
		wait "$SLOW_PID" 2>/dev/null || true
	fi
	if [ -n "$PEER_PID" ]; then
		kill -TERM "$PEER_PID" 2>/dev/null || true
		wait "$PEER_PID" 2>/dev/null || true
	fi
	if [ "$keep" = 1 ] || [ "$rc" -ne 0 ]; then
		export KEEP_STACK=1
	fi
	stack_down >/dev/null 2>&1 || true
	if [ -n "${KEEP_STACK:-}" ]; then
		say "kept ${STACK_DIR:-the work directory} for inspection"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- 3. Configuration, schema, keys -------------------------------------------

say "starting a private PostgreSQL"
# Key files, not keys sealed in the database: the peer reads them too.
export IDP_KEY_ENCRYPTION_KEY_FILE=
stack_init "$build" || die "PostgreSQL did not start"
work=$STACK_DIR
CTL=$IDP_CTL
psql_idp() { pg_as_owner "$PG_BIN/psql" -X -q -At -h "$PG_DIR/run" -p "$PG_PORT" -U idp -d idp "$@"; }
if [ $profile = 1 ]; then
	psql_idp -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
	mkdir -p "$work/profile"
fi

unset IDP_CONFIG
# The peer server of the comparison reads RS256 and ES256 key files.
export IDP_SIGNING_ALGS="RS256 ES256"
export IDP_LOG_LEVEL=warn
export IDP_CODE_TTL=60
# The production password cost, the default of deploy/idp.conf.example.
export IDP_ARGON2_MEMORY_KIB=12288 IDP_ARGON2_ITERATIONS=3 IDP_ARGON2_PARALLELISM=1
M_KIB=$IDP_ARGON2_MEMORY_KIB T_COST=$IDP_ARGON2_ITERATIONS P_LANES=$IDP_ARGON2_PARALLELISM
stack_prepare || die "idpctl migrate / keys generate"

# ---- 4. The directory: 33,000 people over the province's organisations -----

say "building bench/argon2_tool.c"
gcc -std=c17 -O2 -Wall -Wextra -o "$work/argon2_tool" bench/argon2_tool.c -largon2 \
	-lpthread || die "cannot build bench/argon2_tool.c"

# A handful of distinct passwords, each hashed once at the production cost
# (deterministic salts); person i gets password i mod 8. See
# docs/performance.md, "The directory".
t0=$(date +%s.%N)
for k in 1 2 3 4 5 6 7 8; do
	pw="Sandi.Bench-0${k}_Bali"
	printf '%s\t%s\n' "$pw" "$(printf '%s\n' "$pw" |
		"$work/argon2_tool" hash "bench-salt-$k" "$M_KIB" "$T_COST" "$P_LANES")"
done >"$work/hashes.tsv"
node bench/gen_directory.mjs --out "$work/dir" --hashes "$work/hashes.tsv" \
	--users "$USERS" >"$work/gen.log"
t1=$(date +%s.%N)
say "generated: $(cat "$work/gen.log") in $(calc %.1f "$t1 - $t0") s"

t0=$(date +%s.%N)
"$CTL" org import "$work/dir/organisations.csv" >/dev/null
"$CTL" user import "$work/dir/users.csv" >"$work/import.log"
t1=$(date +%s.%N)
LOAD_S=$(calc %.2f "$t1 - $t0")
say "directory load (org import + user import): $LOAD_S s ($(cat "$work/import.log"))"

# People with an authenticator app: the last third of the directory, each
# with a random TOTP key, written as rows from before keys were sealed
# (plain); idp, started below with a key-encryption key, seals them all at
# start (core/totpkey.c). Password logins take people from the front,
# "password + TOTP login" from here on (each person once a run: a code
# works once per person and time step).
TOTP_USERS=$((USERS / 3))
TOTP_FROM=$((USERS - TOTP_USERS))
tail -n "$TOTP_USERS" "$work/dir/credentials.tsv" >"$work/totp-base.tsv"
node bench/prep.mjs totp-people --creds "$work/totp-base.tsv" --count "$TOTP_USERS" \
	--out "$work/totp-creds.tsv" || die "bench/prep.mjs totp-people"
psql_idp -c "CREATE TABLE bench_totp_keys (username text, key bytea)" >/dev/null
awk -F'\t' '{ printf "%s\t\\\\x%s\n", $1, $3 }' "$work/totp-creds.tsv" |
	psql_idp -c "COPY bench_totp_keys FROM STDIN" >/dev/null
psql_idp -c "INSERT INTO credentials (user_id, kind, totp_secret, confirmed_at)
	SELECT u.id, 'totp', k.key, now() FROM bench_totp_keys k JOIN users u
	ON u.username = k.username; DROP TABLE bench_totp_keys" >/dev/null
say "$TOTP_USERS people with an authenticator app (TOTP), stored plain for now"

# ---- 5. 57 clients ------------------------------------------------------------

REDIRECT=https://rp-01.bench.baliprov.go.id/callback
declare -A SECRET
add_client() {	# ID ARGS... ; remembers the secret
	local id=$1 j
	shift
	j=$("$CTL" --json client add "$id" "$@") || die "client add $id"
	SECRET[$id]=$(jq -r '.client_secret // empty' <<<"$j")
}
add_manifest() {	# ID ALG [RESOURCE-ONLY]
	local id=$1
	cat >"$work/$id.json" <<JSON
{
  "client_id": "$id",
  "client_name": "Bench service $id",
  "first_party": true,
  "grant_types": ["client_credentials"],
  "token_endpoint_auth_method": "client_secret_basic",
  "scope": "api.read api.write",
  "access_token_format": "jwt",
  "access_token_signed_response_alg": "$2"
}
JSON
	local j
	j=$("$CTL" --json client add --manifest "$work/$id.json") || die "client add $id"
	SECRET[$id]=$(jq -r '.client_secret // empty' <<<"$j")
}
# A resource server offering api.read and api.write to the services
# below (the API scopes of a service must exist and be allowed), and the
# services calling it (client_credentials).
cat >"$work/rs-api.json" <<JSON
{
  "client_id": "rs-api",
  "client_name": "Bench resource server",
  "first_party": true,
  "grant_types": ["client_credentials"],
  "token_endpoint_auth_method": "client_secret_basic",
  "scope": "api.read",
  "api": {
    "resource": ["https://api.bench.baliprov.go.id/"],
    "scopes": {
      "api.read": {"clients": ["cc-opaque", "cc-jwt-es256", "cc-jwt-rs256", "cc-jwt-default"]},
      "api.write": {"clients": ["cc-opaque", "cc-jwt-es256", "cc-jwt-rs256", "cc-jwt-default"]}
    }
  }
}
JSON
j=$("$CTL" --json client add --manifest "$work/rs-api.json") || die "client add rs-api"
SECRET[rs-api]=$(jq -r '.client_secret // empty' <<<"$j")
add_client cc-opaque --name "Bench service (opaque tokens)" --grant client_credentials \
	--scope "api.read api.write" --first-party
add_manifest cc-jwt-es256 ES256
add_manifest cc-jwt-rs256 RS256
add_client cc-jwt-default --name "Bench service (JWT, default alg)" \
	--grant client_credentials --scope "api.read api.write" --first-party \
	--access-token-format jwt
# 52 relying parties: RS256 and ES256 ID tokens, every fourth with JWT
# access tokens. bench-rp-01 (RS256, opaque: the common case) carries the
# code, refresh, userinfo and introspection workloads.
for i in $(seq 1 52); do
	n=$(printf '%02d' "$i")
	args=(--name "Layanan Bench $n" --redirect-uri "https://rp-$n.bench.baliprov.go.id/callback"
		--grant authorization_code --grant refresh_token
		--scope "openid profile email phone organisation" --first-party
		--id-token-alg "$([ $((i % 2)) = 1 ] && echo RS256 || echo ES256)")
	[ $((i % 4)) = 0 ] && args+=(--access-token-format jwt)
	add_client "bench-rp-$n" "${args[@]}"
done
NCLIENTS=$("$CTL" --json client list | jq '.clients | length')
[ "$NCLIENTS" = 57 ] || die "expected 57 clients, have $NCLIENTS"
basic() { printf 'Basic %s' "$(printf '%s:%s' "$1" "${SECRET[$1]}" | base64 -w0)"; }

# ---- 6. Start idp -------------------------------------------------------------

# A key-encryption key for idp, as in production, from here on: the
# signing keys made above stay files (a node with a KEK reads them, and so
# does the peer), the TOTP keys are sealed by idp as it starts.
export IDP_KEY_ENCRYPTION_KEY_FILE=$work/kek
(umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$IDP_KEY_ENCRYPTION_KEY_FILE")
t0=$(date +%s.%N)
stack_start_idp || die "idp did not start"
t1=$(date +%s.%N)
URL=$IDP_URL
TOTP_PLAIN=$(psql_idp -c "SELECT count(*) FROM credentials WHERE kind = 'totp' AND totp_secret IS NOT NULL")
[ "$TOTP_PLAIN" = 0 ] || die "$TOTP_PLAIN TOTP keys still plain after idp started"
START_S=$(calc %.2f "$t1 - $t0")
say "idp started in $START_S s, sealing $TOTP_USERS TOTP keys on the way"
sleep 1
# A process and its children (oidc-provider with PEER_PROCS > 1).
family() { echo "$1"; pgrep -P "$1" || true; }
status_kib() {	# PID KEY: summed over the process and its children
	local p sum=0 v
	for p in $(family "$1"); do
		v=$(awk -v k="$2:" '$1 == k { print $2 }' "/proc/$p/status" 2>/dev/null || true)
		sum=$((sum + ${v:-0}))
	done
	echo "$sum"
}
IDLE_KIB=$(status_kib "$IDP_PID" VmRSS)
say "idp runs at $URL (pid $IDP_PID), idle RSS $((IDLE_KIB / 1024)) MiB"

# --slow N: the slow-client flood, from another address than the load.
if [ "$slow" -gt 0 ]; then
	gcc -std=c17 -O2 -Wall -Wextra -D_GNU_SOURCE -o "$work/slow_clients" bench/slow_clients.c ||
		die "cannot build bench/slow_clients.c"
	ulimit -n "$(ulimit -Hn)"
	[ "$(ulimit -n)" -gt $((slow + 256)) ] || die "--slow $slow needs more file descriptors (ulimit -Hn)"
	"$work/slow_clients" 127.0.0.1 "${URL##*:}" 127.0.0.2 "$slow" 10 86400 \
		"${BENCH_SLOW_RATE:-1000}" >"$work/slow.out" 2>"$work/slow.log" &
	SLOW_PID=$!
	sleep 6
	say "slow clients: $(tail -1 "$work/slow.log")"
fi

# ---- 7. Measuring ---------------------------------------------------------------

export BENCH_LUA=$root/bench/wrk
RESULTS=$work/results.tsv
MAIN_RESULTS=$RESULTS
: >"$RESULTS"
# Peak RSS per workload: writing 5 to clear_refs resets VmHWM (Linux >= 4.0).
reset_peak() {
	local p
	for p in $(family "$1"); do echo 5 >"/proc/$p/clear_refs" 2>/dev/null || true; done
}
PEAK_KIB=$IDLE_KIB

# --profile: CPU by process, the hottest functions of the measured server,
# and PostgreSQL's statements by total time, into PREFIX.txt.
profile_report() {	# PREFIX PERF-PID SERVER-PID
	wait "$2" || true
	{
		echo "== CPU by process (all CPUs, perf record -a)"
		perf report -i "$1.data" --stdio --no-children --sort comm -g none \
			--percent-limit 1 2>/dev/null | grep -v '^#' | grep -v '^$' || true
		echo "== CPU of pid $3 by library"
		perf report -i "$1.data" --stdio --no-children --pid "$3" --sort dso -g none \
			--percentage relative --percent-limit 1 2>/dev/null | grep -v '^#' | grep -v '^$' || true
		echo "== hottest functions of pid $3"
		perf report -i "$1.data" --stdio --no-children --pid "$3" --sort dso,sym -g none --percentage relative \
			--percent-limit 0.7 2>/dev/null | grep -v '^#' | grep -v '^$' | head -40 || true
		echo "== hottest functions of PostgreSQL"
		perf report -i "$1.data" --stdio --no-children --comms postgres --sort dso,sym --percentage relative \
			-g none --percent-limit 0.7 2>/dev/null | grep -v '^#' | grep -v '^$' | head -25 || true
		echo "== pg_stat_statements, by total time"
		psql_idp -F ' | ' -c "SELECT calls, round(total_exec_time::numeric, 1) AS total_ms,
			round(mean_exec_time::numeric, 3) AS mean_ms, left(regexp_replace(query, '\s+', ' ', 'g'), 160)
			FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 8" || true
	} >"$1.txt" 2>&1
	[ $keep = 1 ] || rm -f "$1.data"
}

want() {	# LABEL...: is any of these workloads to be run?
	local l
	[ -z "$only" ] && return 0
	for l; do grep -qE -- "$only" <<<"$l" && return 0; done
	return 1
}
# Every run starts from a quiet database: no checkpoint of the previous
# run's writes in the middle of this one.
settle() { psql_idp -c CHECKPOINT >/dev/null 2>&1 || true; sleep 1; }

# WAL flushes (fsyncs) so far and the milliseconds they took.
wal_flushes() { psql_idp -F ' ' -c "SELECT wal_sync, round(wal_sync_time) FROM pg_stat_wal"; }

# measure LABEL CONNS SCRIPT URL [WRK-THREADS] [PID]: one wrk run; the
# BENCH_* variables of the call reach the Lua script. Appends a row:
# label conns rps p50_us p99_us non2xx sockerr exhausted peak_kib requests
# wal_flushes wal_flush_ms
measure() {
	local label=$1 c=$2 script=$3 url=$4 t=${5:-$THREADS} pid=${6:-$IDP_PID} out line hwm
	local s0 ms0 s1 ms1
	[ "$c" -lt "$t" ] && t=$c
	want "$label" || return 0
	settle
	reset_peak "$pid"
	read -r s0 ms0 < <(wal_flushes)
	local prof='' perf_pid=''
	if [ $profile = 1 ]; then
		prof=$work/profile/$(tr -c 'a-zA-Z0-9\n' '-' <<<"$label" | tr -s '-')-$c
		[ "$pid" != "$IDP_PID" ] && prof=$prof-peer
		psql_idp -c "SELECT pg_stat_statements_reset()" >/dev/null
		perf record -F 499 -a -g -o "$prof.data" -- sleep "$duration" >/dev/null 2>&1 &
		perf_pid=$!
	fi
	out=$(BENCH_NTHREADS=$t wrk -t"$t" -c"$c" -d"${duration}s" --timeout 10s -s "bench/wrk/$script" "$url" 2>&1) ||
		{ echo "$out" >&2; die "wrk failed for $label"; }
	[ -n "$perf_pid" ] && profile_report "$prof" "$perf_pid" "$pid"
	line=$(grep '^BENCHRESULT' <<<"$out") || { echo "$out" >&2; die "no result for $label"; }
	read -r s1 ms1 < <(wal_flushes)
	hwm=$(status_kib "$pid" VmHWM)
	# The peak of the idp measured, not of a --before build or the peer.
	if [ "$pid" = "$IDP_PID" ] && [ "$RESULTS" = "$MAIN_RESULTS" ] &&
		[ "$hwm" -gt "$PEAK_KIB" ]; then
		PEAK_KIB=$hwm
	fi
	# shellcheck disable=SC2086
	eval "local ${line#BENCHRESULT }"
	# shellcheck disable=SC2154
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$c" "$rps" \
		"$p50_us" "$p99_us" "$non2xx" "$sockerr" "$exhausted" "$hwm" "$requests" \
		"$((s1 - s0))" "$((ms1 - ms0))" >>"$RESULTS"
	say "$(printf '%-34s %3s conns %9s req/s  p50 %6.2f ms  p99 %7.2f ms  bad %s%s' \
		"$label" "$c" "$rps" "$(calc %.3f "$p50_us / 1000")" \
		"$(calc %.3f "$p99_us / 1000")" "$non2xx" \
		"$(if [ "$exhausted" != 0 ]; then echo '  POOL RAN DRY'; fi)")"
}

VERIFIER=bench-code-verifier-0123456789-abcdefghijklmnopqrstuvwxyz
CHALLENGE=$(printf %s "$VERIFIER" | openssl dgst -sha256 -binary | base64 -w0 |
	tr '+/' '-_' | tr -d '=')
RP=bench-rp-01
AUTHZ_PATH="/authorize?response_type=code&client_id=$RP&redirect_uri=$(jq -rn \
	--arg u "$REDIRECT" '$u|@uri')&scope=openid%20profile%20email%20organisation&state=bench-state&nonce=bench-nonce&code_challenge=$CHALLENGE&code_challenge_method=S256"
CREDS=$work/dir/credentials.tsv
NEXT_USER=0	# people not signed in yet (logins use each person once)
prep() {	# MODE COUNT OUT [OPTIONS]
	[ $((NEXT_USER + $2)) -le "$TOTP_FROM" ] ||
		die "only $TOTP_FROM people without a second factor: fewer seconds or more BENCH_USERS"
	node bench/prep.mjs "$1" --issuer "$URL" --client "$RP" --redirect "$REDIRECT" \
		--challenge "$CHALLENGE" --creds "$CREDS" --from "$NEXT_USER" --count "$2" \
		--out "$3" --concurrency 8 "${@:4}" || die "bench/prep.mjs $1"
	NEXT_USER=$((NEXT_USER + $2))
}
NEXT_TOTP=0	# the same among the people with an app ($work/totp-creds.tsv)
prep_totp() {	# COUNT OUT: pending logins with the codes of the next minutes
	[ $((NEXT_TOTP + $1)) -le "$TOTP_USERS" ] ||
		die "only $TOTP_USERS people with TOTP: fewer seconds or more BENCH_USERS"
	node bench/prep.mjs logins --issuer "$URL" --client "$RP" --redirect "$REDIRECT" \
		--challenge "$CHALLENGE" --creds "$work/totp-creds.tsv" --from "$NEXT_TOTP" \
		--count "$1" --out "$2" --concurrency 8 --totp-steps $((rate_s / 30 + duration / 30 + 6)) ||
		die "bench/prep.mjs logins (TOTP)"
	NEXT_TOTP=$((NEXT_TOTP + $1))
}


# The relying party's side of the workloads, on idp or on the peer: where
# they go, its client's Basic header, the authorization request, the SSO
# sessions that mint codes and the session cookie's name ("": each line is
# a whole Cookie header).
use_idp() {
	T_URL=$URL T_PID=$IDP_PID T_AUTH=$(basic $RP) T_PATH=$AUTHZ_PATH
	T_SESSIONS=$work/sessions.txt T_COOKIE=idp_session
}

# mint_codes SECONDS CONNS: GET /authorize with a session, for SECONDS;
# the codes go to $work/codes.txt. Not measured.
mint_codes() {
	rm -rf "$work/mint" && mkdir "$work/mint"
	BENCH_POOL=$T_SESSIONS BENCH_COOKIE=$T_COOKIE BENCH_PATH=$T_PATH \
		BENCH_OUT=$work/mint/codes BENCH_NTHREADS=$THREADS wrk -t"$THREADS" -c"$2" -d"$1s" --timeout 10s \
		-s bench/wrk/mint.lua "$T_URL" >"$work/mint.log" 2>&1 || die "minting codes"
	cat "$work"/mint/codes.* >"$work/codes.txt"
	wc -l <"$work/codes.txt"
}
# mint_tokens N: N code exchanges whose access and refresh tokens go to
# $work/access.txt and $work/refresh.txt (pools for the next workloads), in
# rounds of minting codes for 2 s and exchanging them at once, until there
# are N: a loaded machine (a sanitizer build, other work) needs more rounds.
# Each round exchanges all its codes (a pool smaller than wrk's connections
# would stop its threads at once), and the surplus is left over.
# Answers the target gives when it is too busy (503, Retry-After) only cost
# a round; any other refusal is a real error and ends the benchmark.
mint_tokens() {
	local n=$1 got=0 round=0 before refused
	: >"$work/tokens.tsv"
	: >"$work/refused.txt"
	while [ "$got" -lt "$n" ]; do
		round=$((round + 1))
		[ $round -le 30 ] || die "minted only $got of $n token sets in 30 rounds"
		mint_codes 2 16 >/dev/null
		head -n "$n" "$work/codes.txt" >"$work/codes-pool.txt"
		rm -rf "$work/capture" && mkdir "$work/capture"
		BENCH_POOL=$work/codes-pool.txt BENCH_AUTH=$T_AUTH BENCH_REDIRECT=$REDIRECT \
			BENCH_VERIFIER=$VERIFIER BENCH_CAPTURE=$work/capture/tokens BENCH_NTHREADS=$THREADS \
			wrk -t"$THREADS" -c16 -d4s --timeout 10s -s bench/wrk/code.lua "$T_URL" \
			>"$work/capture.log" 2>&1 || die "minting tokens"
		cat "$work"/capture/tokens.*.bad >>"$work/refused.txt"
		refused=$(awk -F'\t' '$1 != 503' "$work/refused.txt" | head -3)
		[ -z "$refused" ] || die "code exchanges refused while minting tokens: $refused"
		before=$got
		for f in "$work"/capture/tokens.*; do
			case $f in *.bad) ;; *) cat "$f" >>"$work/tokens.tsv" ;; esac
		done
		got=$(wc -l <"$work/tokens.tsv")
		[ "$got" -gt "$before" ] || [ "$(wc -l <"$work/codes-pool.txt")" -lt 64 ] ||
			die "a round of minting tokens issued none ($(wc -l <"$work/refused.txt") busy answers)"
	done
	[ "$round" = 1 ] || say "minted $got token sets in $round rounds"
	head -n "$n" "$work/tokens.tsv" | cut -f1 >"$work/access.txt"
	head -n "$n" "$work/tokens.tsv" | cut -f2 >"$work/refresh.txt"
}

# The workloads on the target use_idp or use_peer chose; CONNS each.
CC_BODY="grant_type=client_credentials&scope=api.read"
# warm_up URL AUTH: 3 s of client_credentials at 64 connections, not
# measured, right after a server starts. A fresh idp opens its pool's
# connections and prepares its statements on each worker's first query,
# and PostgreSQL's backends plan their first executions: seconds of CPU
# that would otherwise fall into the first workload measured and stand in
# its p99 (a 150-250 ms tail on 2 cores) as if it were the steady state.
# The peer gets the same, for its JIT.
warm_up() {
	BENCH_METHOD=POST BENCH_BODY=$CC_BODY BENCH_AUTH=$2 BENCH_NTHREADS=$THREADS \
		wrk -t"$THREADS" -c64 -d3s --timeout 10s -s bench/wrk/static.lua "$1/token" \
		>/dev/null 2>&1 || die "warming up $1"
}
run_cc() {	# CLIENT-ID LABEL CONNS [AUTH]
	BENCH_METHOD=POST BENCH_BODY=$CC_BODY BENCH_AUTH=${4:-$(basic "$1")} \
		measure "client_credentials, $2" "$3" static.lua "$T_URL/token" "$THREADS" "$T_PID"
}
# Each request a new code for a signed-in person (code row, session touch).
run_authz() {
	want "authorization request (SSO session)" || return 0
	rm -rf "$work/mint" && mkdir "$work/mint"
	BENCH_POOL=$T_SESSIONS BENCH_COOKIE=$T_COOKIE BENCH_PATH=$T_PATH \
		BENCH_OUT=$work/mint/codes measure "authorization request (SSO session)" "$1" \
		mint.lua "$T_URL" "$THREADS" "$T_PID"
}
# Codes live at most 60 s: mint right before each run, for 1.5 times the
# run (at most 45 s minus the run), and exchange them at once: no code is
# older than 45 s plus a second of settling when it is used.
code_s=$duration
[ "$code_s" -gt 25 ] && code_s=25
run_code() {
	local mint_s=$((code_s * 3 / 2)) n
	want "authorization code exchange" || return 0
	[ $mint_s -gt $((45 - code_s)) ] && mint_s=$((45 - code_s))
	[ $mint_s -lt 2 ] && mint_s=2
	n=$(mint_codes "$mint_s" "$MAXC")
	say "minted $n codes in $mint_s s"
	duration=$code_s BENCH_POOL=$work/codes.txt BENCH_AUTH=$T_AUTH \
		BENCH_REDIRECT=$REDIRECT BENCH_VERIFIER=$VERIFIER \
		measure "authorization code exchange" "$1" code.lua "$T_URL" "$THREADS" "$T_PID"
}
# From 2,000 grants; each answer's new refresh token is used again later.
run_refresh() {
	want "refresh (rotating)" || return 0
	mint_tokens 2000
	BENCH_POOL=$work/refresh.txt BENCH_AUTH=$T_AUTH \
		measure "refresh (rotating)" "$1" refresh.lua "$T_URL" "$THREADS" "$T_PID"
}

# "Before": the workloads that write, measured again right after each
# measurement, committed as before every commit waited for its WAL flush.
#   --before async  the same idp; the cluster's synchronous_commit = off
#                   (what idp set on its own connections before)
#   --before DIR    the idp of another build directory (an older commit)
#                   against the same database, clients and sessions
BEFORE_RESULTS=$work/before.tsv
: >"$BEFORE_RESULTS"
sync_commit() {	# on|off, for the whole cluster
	if [ "$1" = off ]; then
		psql_idp -c "ALTER SYSTEM SET synchronous_commit = off" >/dev/null
	else
		psql_idp -c "ALTER SYSTEM RESET synchronous_commit" >/dev/null
	fi
	psql_idp -c "SELECT pg_reload_conf()" >/dev/null
	sleep 0.5
}
switch_idp() {	# BINARY: restart idp from it (same settings)
	stack_stop_idp || die "idp did not stop cleanly"
	IDP_BIN=$1 stack_start_idp || die "$1 did not start"
	URL=$IDP_URL
	warm_up "$URL" "$(basic cc-opaque)"
}
# measure_writes LABEL FUNCTION ARGS...: FUNCTION ARGS, then "before" too.
measure_writes() {
	local label=$1
	shift
	want "$label" || return 0
	use_idp
	"$@"
	[ -n "$before" ] || return 0
	RESULTS=$BEFORE_RESULTS
	if [ "$before" = async ]; then
		sync_commit off
	else
		switch_idp "$BEFORE_BIN"
	fi
	use_idp
	"$@"
	if [ "$before" = async ]; then
		sync_commit on
	else
		switch_idp "$AFTER_BIN"
	fi
	use_idp
	RESULTS=$MAIN_RESULTS
}
AFTER_BIN=$IDP_BIN

warm_up "$URL" "$(basic cc-opaque)"
say "measuring, $duration s per run, connections: $conns"
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
if awk -v l="$LOAD_BEFORE" 'BEGIN { exit !(l > 1.0) }'; then
	say "warning: load average $LOAD_BEFORE before measuring; other work on this machine lowers the figures"
fi
for c in $conns; do
	measure "discovery" "$c" static.lua "$URL/.well-known/openid-configuration"
done
for c in $conns; do
	measure "jwks" "$c" static.lua "$URL/jwks"
done
use_idp
for c in $conns; do
	measure_writes "client_credentials, opaque" run_cc cc-opaque opaque "$c"
done
for v in cc-jwt-es256:"JWT ES256" cc-jwt-rs256:"JWT RS256" \
	cc-jwt-default:"JWT, default alg (ES256)"; do
	for c in $conns; do
		run_cc "${v%%:*}" "${v#*:}" "$c"
	done
done

# Sessions to mint codes with: 64 people sign in (real password logins).
if want "authorization request (SSO session)" "authorization code exchange" \
	"refresh (rotating)" "userinfo" "introspection (opaque)" "mixed: password login" \
	"mixed: userinfo during logins"; then
	say "signing in 64 people for the SSO sessions that mint codes"
	prep sessions 64 "$work/sessions.txt"
fi
for c in $conns; do
	measure_writes "authorization request (SSO session)" run_authz "$c"
done
for c in $conns; do
	measure_writes "authorization code exchange" run_code "$c"
done
for c in $conns; do
	measure_writes "refresh (rotating)" run_refresh "$c"
done
if want "userinfo" "introspection (opaque)"; then
	mint_tokens 2000
	for c in $conns; do
		BENCH_KIND=userinfo BENCH_POOL=$work/access.txt measure "userinfo" "$c" pool.lua "$URL"
	done
	for c in $conns; do
		# The tokens are bench-rp-01's (identity scopes): only it may
		# introspect them (a resource server sees tokens for it alone).
		BENCH_KIND=introspect BENCH_POOL=$work/access.txt BENCH_AUTH=$(basic $RP) \
			measure "introspection (opaque)" "$c" pool.lua "$URL"
	done
fi

# Logins, and the bare argon2id rate of this machine at the same cost with
# as many threads as idp hashes with (hash_threads = 0: one per core),
# measured right before each login run: the machine is the same, the moment
# too (a shared machine's speed drifts).
HASH_THREADS=${IDP_HASH_THREADS:-0}
[ "$HASH_THREADS" = 0 ] && HASH_THREADS=$(nproc)
rate_s=$duration
[ "$rate_s" -lt 3 ] && rate_s=3
: >"$work/hashrate.tsv"
bare_rate() {	# CONNS: measures, sets HASH_RATE, records it
	read -r HASH_RATE _ < <("$work/argon2_tool" rate "$M_KIB" "$T_COST" "$P_LANES" \
		"$HASH_THREADS" "$rate_s")
	printf '%s\t%s\n' "$1" "$HASH_RATE" >>"$work/hashrate.tsv"
	say "bare argon2id: $HASH_RATE hashes/s on $HASH_THREADS threads (m=$M_KIB KiB, t=$T_COST, p=$P_LANES)"
}
pool_size() {	# CONNS -> pending logins enough for one run (needs HASH_RATE)
	calc %d "($HASH_RATE > 100 ? $HASH_RATE : 100) * $duration * 2 + 2 * $1 + 20"
}
login_pool() { prep logins "$(pool_size "$1")" "$work/logins.txt"; }
HASH_RATE=150	# a first guess, for the size of the first pool only
for c in $conns; do
	want "password login" || continue
	login_pool "$c"
	bare_rate "$c"
	BENCH_POOL=$work/logins.txt measure "password login" "$c" login.lua "$URL"
done
# Password + TOTP: the same people-once rule, the second step's code from
# the codes prep computed; rated against the bare argon2id rate too (the
# code costs an HMAC, a sealed key to open and one more round trip).
for c in $conns; do
	want "password + TOTP login" || continue
	prep_totp "$(pool_size "$c")" "$work/totp-logins.txt"
	bare_rate "totp:$c"
	BENCH_POOL=$work/totp-logins.txt measure "password + TOTP login" "$c" totp_login.lua "$URL"
done

# Mixed: logins saturating the hashing threads while userinfo runs; one wrk
# thread each (two wrk processes on a 2-core machine).
MIXC=16
[ $smoke = 1 ] && MIXC=4
if want "mixed: password login" "mixed: userinfo during logins"; then
	only_save=$only only=	# the two halves go together
	login_pool "$MIXC"
	mint_tokens 2000
	BENCH_POOL=$work/logins.txt measure "mixed: password login" "$MIXC" login.lua "$URL" 1 \
		>"$work/mixed-login.log" 2>&1 &
	mixed_pid=$!
	BENCH_KIND=userinfo BENCH_POOL=$work/access.txt \
		measure "mixed: userinfo during logins" "$MIXC" pool.lua "$URL" 1
	wait $mixed_pid || { cat "$work/mixed-login.log" >&2; die "mixed login run"; }
	cat "$work/mixed-login.log" >&2
	# The background run appended its row after ours; the peak is in both.
	PEAK_KIB=$(awk -F'\t' -v p="$PEAK_KIB" '$9 > p { p = $9 } END { print p }' "$RESULTS")
	only=$only_save
fi

# ---- 8. The peer: oidc-provider -----------------------------------------------

PEER_RESULTS=$work/peer.tsv
: >"$PEER_RESULTS"
PEER_VERSION=
if [ $peer = 1 ] && want discovery jwks "client_credentials, opaque" \
	"client_credentials, JWT ES256" "authorization request (SSO session)" \
	"authorization code exchange" "refresh (rotating)"; then
	say "installing oidc-provider (bench/peer, npm ci)"
	(cd bench/peer && npm ci --no-audit --no-fund --loglevel=error >/dev/null) ||
		die "npm ci in bench/peer"
	PEER_VERSION=$(node -p "require('./bench/peer/node_modules/oidc-provider/package.json').version")
	ppass() { head -c 32 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '='; }
	export PEER_OPAQUE_ID=cc-opaque PEER_OPAQUE_SECRET PEER_JWT_ID=cc-jwt-es256 PEER_JWT_SECRET
	PEER_OPAQUE_SECRET=$(ppass)
	PEER_JWT_SECRET=$(ppass)
	# The relying party of the code and refresh workloads, and the people.
	export PEER_RP_ID=$RP PEER_RP_SECRET PEER_RP_REDIRECT=$REDIRECT
	PEER_RP_SECRET=$(ppass)
	export PEER_USERS=$work/dir/users.csv PEER_CREDS=$CREDS
	export PEER_KEY_DIR=$IDP_KEY_DIR PEER_PORT
	PEER_PORT=$(free_port)
	PEER_URL=http://127.0.0.1:$PEER_PORT
	export PEER_PROCS=${BENCH_PEER_PROCS:-1}
	NODE_ENV=production node bench/peer/server.mjs >"$work/peer.log" 2>&1 &
	PEER_PID=$!
	for _ in $(seq 1 100); do
		curl -fsS "$PEER_URL/.well-known/openid-configuration" >/dev/null 2>&1 && break
		kill -0 "$PEER_PID" 2>/dev/null || { cat "$work/peer.log" >&2; die "oidc-provider"; }
		sleep 0.1
	done
	sleep 1
	PEER_IDLE_KIB=$(status_kib "$PEER_PID" VmRSS)
	peer_basic() { printf 'Basic %s' "$(printf '%s:%s' "$1" "$2" | base64 -w0)"; }
	use_peer() {
		T_URL=$PEER_URL T_PID=$PEER_PID T_AUTH=$(peer_basic "$PEER_RP_ID" "$PEER_RP_SECRET")
		T_PATH=/auth${AUTHZ_PATH#/authorize} T_SESSIONS=$work/peer-sessions.txt T_COOKIE=
	}
	use_peer
	warm_up "$PEER_URL" "$(peer_basic "$PEER_OPAQUE_ID" "$PEER_OPAQUE_SECRET")"
	RESULTS=$PEER_RESULTS
	for c in $conns; do
		measure "discovery" "$c" static.lua "$PEER_URL/.well-known/openid-configuration" \
			"$THREADS" "$PEER_PID"
	done
	for c in $conns; do
		measure "jwks" "$c" static.lua "$PEER_URL/jwks" "$THREADS" "$PEER_PID"
	done
	for c in $conns; do
		run_cc "$PEER_OPAQUE_ID" opaque "$c" "$(peer_basic "$PEER_OPAQUE_ID" "$PEER_OPAQUE_SECRET")"
	done
	for c in $conns; do
		run_cc "$PEER_JWT_ID" "JWT ES256" "$c" "$(peer_basic "$PEER_JWT_ID" "$PEER_JWT_SECRET")"
	done
	if want "authorization request (SSO session)" "authorization code exchange" \
		"refresh (rotating)"; then
		say "signing 64 people in at oidc-provider (its login interaction)"
		URL=$PEER_URL prep peer-sessions 64 "$T_SESSIONS" --authorize /auth
	fi
	for c in $conns; do
		run_authz "$c"
	done
	for c in $conns; do
		run_code "$c"
	done
	for c in $conns; do
		run_refresh "$c"
	done
	RESULTS=$MAIN_RESULTS
fi

# ---- 9. The report ---------------------------------------------------------------

mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
report() {
	local pgv
	pgv=$("$PG_BIN/postgres" --version | awk '{ print $3 }')
	echo "## Results"
	echo
	echo "Machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1)," \
		"$(free -g | awk '/^Mem:/ { print $2 }') GiB RAM, Linux $(uname -r)," \
		"Debian $(cat /etc/debian_version), PostgreSQL $pgv and wrk $(wrk -v 2>&1 |
			awk 'NR == 1 { print $2 }') on the same machine."
	echo "idp: $(basename "$build") ($("$IDP_BIN" --version 2>/dev/null | head -1)), argon2id" \
		"m=$M_KIB KiB t=$T_COST p=$P_LANES, log_level warn; wrk -t$THREADS, $duration s per run."
	echo "Directory: $(cat "$work/gen.log"); $NCLIENTS clients."
	echo "Load average (1 min) before measuring: $LOAD_BEFORE."
	[ -n "${BENCH_PG_SETTINGS:-}" ] && echo "PostgreSQL changed for this run: ${BENCH_PG_SETTINGS//$'\n'/; }."
	env | grep -E '^(IDP_(WORKER_THREADS|HASH_THREADS|HASH_QUEUE|DB_POOL_SIZE|CLIENT_CACHE_TTL|MAX_CONNECTIONS|MAX_CONNECTIONS_PER_IP|REQUEST_HEAD_TIMEOUT|REQUEST_BODY_TIMEOUT)|GLIBC_TUNABLES|MALLOC_)' |
		sed 's/^/Environment of this run: /' || true
	[ $profile = 1 ] && echo "Profiled run (perf record -a -g during every measurement): figures are lower than usual."
	[ "$slow" -gt 0 ] && echo "During every measurement $slow slow clients from 127.0.0.2 held" \
		"connections open (bench/slow_clients.c: a partial head, then a byte every 10 s;" \
		"at most ${BENCH_SLOW_RATE:-1000} new connections a second); the load came from" \
		"127.0.0.1. Flood at the end: $(tail -1 "$work/slow.log")."
	echo
	echo "| workload | conns | req/s | p50 ms | p99 ms | non-2xx | idp peak RSS MiB |"
	echo "|---|---:|---:|---:|---:|---:|---:|"
	awk -F'\t' '{
		bad = $6; if ($7 > 0) bad = bad " (+" $7 " socket)"; if ($8 > 0) bad = bad " POOL DRY"
		printf "| %s | %s | %.0f | %.2f | %.2f | %s | %.1f |\n", $1, $2, $3, $4 / 1000,
			$5 / 1000, bad, $9 / 1024 }' "$RESULTS"
	echo
	echo "For password logins, success is the 302 to the client; non-2xx counts the rest."
	echo "For password + TOTP logins, req/s counts sign-ins (each two requests: the password,"
	echo "then the code), p50/p99 single requests of either step."
	echo
	echo "- idp idle RSS (right after start): $(mib "$IDLE_KIB") MiB; peak RSS over the whole run: $(mib "$PEAK_KIB") MiB"
	echo "- directory load (idpctl org import + user import of $USERS people): $LOAD_S s"
	awk -F'\t' -v n="$HASH_THREADS" 'NR == FNR { h[$1] = $2; next }
		$1 == "password login" { printf "- password logins at %s connections: %.1f/s; bare " \
			"argon2id on %s threads just before: %.1f hashes/s; ratio %.0f%%\n",
			$2, $3, n, h[$2], 100 * $3 / h[$2] }
		$1 == "password + TOTP login" { printf "- password + TOTP sign-ins at %s connections: " \
			"%.1f/s; bare argon2id on %s threads just before: %.1f hashes/s; ratio %.0f%%\n",
			$2, $3, n, h["totp:" $2], 100 * $3 / h["totp:" $2] }' "$work/hashrate.tsv" "$RESULTS"
	echo "- idp start with $TOTP_USERS TOTP keys stored plain, all sealed on the way: $START_S s"
	awk -F'\t' '$1 == "userinfo" { alone[$2] = $5 }
		$1 == "mixed: userinfo during logins" { printf "- userinfo p99 with logins queued " \
			"(%s + %s connections): %.2f ms (alone at %s: %s ms)\n", $2, $2, $5 / 1000, $2,
			($2 in alone) ? sprintf("%.2f", alone[$2] / 1000) : "n/a" }
		$1 == "mixed: password login" { printf "- logins meanwhile: %.1f/s\n", $3 }' "$RESULTS"
	if [ -s "$PEER_RESULTS" ]; then
		echo
		echo "### Side by side with oidc-provider $PEER_VERSION (Node.js $(node -v), ${PEER_PROCS:-1} process(es))"
		echo
		echo "| workload | conns | idp req/s | oidc-provider req/s | ratio | idp p99 ms | oidc-provider p99 ms | peer non-2xx | peer peak RSS MiB |"
		echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
		awk -F'\t' 'NR == FNR { r[$1 "|" $2] = $3; p[$1 "|" $2] = $5; next }
			{ k = $1 "|" $2; printf "| %s | %s | %.0f | %.0f | %.2f | %.2f | %.2f | %s | %.1f |\n",
				$1, $2, r[k], $3, r[k] / $3, p[k] / 1000, $5 / 1000, $6 + $7, $9 / 1024 }' \
			"$RESULTS" "$PEER_RESULTS"
		echo
		echo "oidc-provider idle RSS: $(mib "$PEER_IDLE_KIB") MiB."
	fi
	if [ -s "$BEFORE_RESULTS" ]; then
		echo
		echo "### Durability: after and before"
		echo
		if [ "$before" = async ]; then
			echo "After: every commit waits for its WAL flush (synchronous_commit = on)." \
				"Before: the same idp, the cluster at synchronous_commit = off, measured right after each \"after\" run."
		else
			echo "After: $(basename "$build"). Before: $BEFORE_BIN ($("$BEFORE_BIN" --version 2>/dev/null | head -1))," \
				"against the same database, measured right after each \"after\" run."
		fi
		echo
		echo "| workload | conns | after req/s | before req/s | after/before | after p99 ms | before p99 ms | after: requests per WAL flush | after: mean flush ms | before non-2xx |"
		echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
		awk -F'\t' 'NR == FNR { r[$1 "|" $2] = $3; p[$1 "|" $2] = $5
				n[$1 "|" $2] = $10; f[$1 "|" $2] = $11; ms[$1 "|" $2] = $12; next }
			{ k = $1 "|" $2; printf "| %s | %s | %.0f | %.0f | %.2f | %.2f | %.2f | %s | %s | %s |\n",
				$1, $2, r[k], $3, r[k] / $3, p[k] / 1000, $5 / 1000,
				(f[k] > 0 ? sprintf("%.1f", n[k] / f[k]) : "-"),
				(f[k] > 0 ? sprintf("%.2f", ms[k] / f[k]) : "-"), $6 + $7 }' \
			"$RESULTS" "$BEFORE_RESULTS"
	fi
	if [ $smoke = 1 ]; then
		echo
		echo "(smoke run: the figures only show that every workload ran; no targets)"
		return
	fi
	echo
	echo "### Targets (issues 5, 8 and 9)"
	echo
	targets
}

# The targets, evaluated at the highest connection count.
targets() {
	local c=$MAXC
	awk -F'\t' -v c="$c" -v h="$(awk -F'\t' -v c="$c" '$1 == c { print $2 }' \
		"$work/hashrate.tsv")" -v ht="$(awk -F'\t' -v c="totp:$c" '$1 == c { print $2 }' \
		"$work/hashrate.tsv")" -v idle="$IDLE_KIB" -v peak="$PEAK_KIB" \
		-v load="$LOAD_S" -v peer="$([ -s "$PEER_RESULTS" ] && echo 1 || echo 0)" -v peerfile="$PEER_RESULTS" '
	function row(name, what, ok) { printf "| %s | %s | %s |\n", name, what, ok ? "met" : "**not met**" }
	BEGIN {
		if (peer == 1) while ((getline line < peerfile) > 0) {
			split(line, f, "\t"); prps[f[1] "|" f[2]] = f[3]
		}
	}
	{ rps[$1 "|" $2] = $3; p99[$1 "|" $2] = $5 / 1000 }
	END {
		print "| target | measured | |"
		print "|---|---|---|"
		if (peer == 1) {
			n = split("client_credentials, JWT ES256|8|client_credentials, opaque|2|" \
				"authorization code exchange|3|refresh (rotating)|3", pt, "|")
			for (i = 1; i < n; i += 2) {
				k = pt[i] "|" c
				if (k in prps && k in rps) row(sprintf("%s: >= %sx oidc-provider", pt[i], pt[i + 1]),
					sprintf("%.2fx at %s connections", rps[k] / prps[k], c),
					rps[k] >= pt[i + 1] * prps[k])
			}
		}
		split("discovery jwks", s, " ")
		for (i = 1; i <= 2; i++) {
			k = s[i] "|" c
			if (k in rps) row(s[i] ": >= 25,000 req/s at 64 connections, p99 < 5 ms",
				sprintf("%.0f req/s, p99 %.2f ms at %s", rps[k], p99[k], c),
				rps[k] >= 25000 && p99[k] < 5)
		}
		n = split("authorization code exchange|refresh (rotating)|userinfo|introspection (opaque)", w, "|")
		for (i = 1; i <= n; i++) {
			k = w[i] "|" c
			if (k in rps) row(w[i] ": p99 < 10 ms at 64 connections", sprintf("p99 %.2f ms at %s", p99[k], c),
				p99[k] < 10)
		}
		k = "password login|" c
		if (k in rps) row("logins >= 90% of the bare argon2id rate",
			sprintf("%.1f/s vs %.1f/s = %.0f%%", rps[k], h, 100 * rps[k] / h), rps[k] >= 0.9 * h)
		k = "password + TOTP login|" c
		if (k in rps) row("password + TOTP sign-ins >= 90% of the bare argon2id rate",
			sprintf("%.1f/s vs %.1f/s = %.0f%%", rps[k], ht, 100 * rps[k] / ht), rps[k] >= 0.9 * ht)
		row("idle RSS <= 16 MiB", sprintf("%.1f MiB", idle / 1024), idle <= 16 * 1024)
		row("peak RSS <= 48 MiB during the benchmark", sprintf("%.1f MiB", peak / 1024),
			peak <= 48 * 1024)
		row("directory load < 60 s", sprintf("%s s", load), load < 60)
	}' "$RESULTS"
}

echo
report | tee "$work/report.md"
if [ $profile = 1 ]; then
	keep=1
	say "profiles: $work/profile/*.txt"
fi
[ -n "$outfile" ] && cp "$work/report.md" "$outfile"

# ---- 10. Smoke verdict, clean stop ------------------------------------------------

status=0
if [ $smoke = 1 ]; then
	bad=$(awk -F'\t' '$6 > 0 || $7 > 0 || $8 > 0 || $10 == 0 { print "  " $1 " (" $2 " conns): " \
		$10 " requests, " $6 " unexpected statuses, " $7 " socket errors" \
		($8 > 0 ? ", pool ran dry" : "") }' "$RESULTS" "$PEER_RESULTS" "$BEFORE_RESULTS")
	if [ -n "$bad" ]; then
		say "smoke: these workloads did not answer as expected:"
		echo "$bad" >&2
		tail -20 "$work/idp.log" >&2
		status=1
	else
		say "smoke: every workload answered as expected"
	fi
fi
# idp must exit 0 on SIGTERM, and its log hold no sanitizer report.
stack_stop_idp || status=1
exit $status
