#!/usr/bin/env bash
# What counting for /metrics costs the hot path, in one command:
#
#   bench/metrics_cost.sh [--build DIR] [--duration S] [--conns N]
#                         [--rounds N] [--format jwt|opaque]
#
# Builds a release idp in build-bench/ unless --build names a build, starts
# a private PostgreSQL and two idp processes of that build on it
# (tests/lib/stack.sh): the same configuration but metrics_enabled = true
# for one and false for the other. wrk drives client_credentials
# (client_secret_basic, access tokens as JWT ES256 by default, or opaque
# ones written to PostgreSQL) at one, then the other, for --rounds rounds
# of --duration seconds each, the order swapped every round, so both see
# the same machine in the same run; only one is loaded at a time. Prints
# requests/s of every run and
#
#   METRICS_COST rounds=N on_rps=X off_rps=Y ratio=on/off median_ratio=Z
#
# ratio is the sums' (total requests with metrics on over off), median the
# median of the rounds' ratios. The target: on within 3 % of off (ratio
# >= 0.97). docs/performance.md, "What metrics cost", holds the figures.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
build='' duration=5 conns=16 rounds=6 format=jwt
usage() {
	echo "usage: bench/metrics_cost.sh [--build DIR] [--duration S]" \
		"[--conns N] [--rounds N] [--format jwt|opaque]" >&2
	exit 2
}
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || usage
	case $1 in
	--build) build=$2 ;;
	--duration) duration=$2 ;;
	--conns) conns=$2 ;;
	--rounds) rounds=$2 ;;
	--format) format=$2 ;;
	*) usage ;;
	esac
	shift 2
done
case $format in jwt|opaque) ;; *) usage ;; esac
for n in "$duration" "$conns" "$rounds"; do
	case $n in ''|*[!0-9]*|0) usage ;; esac
done
say() { printf 'metrics_cost: %s\n' "$*" >&2; }

if [ -z "$build" ]; then
	build="build-bench"
	[ -f "$build/build.ninja" ] || meson setup "$build" -Dbuildtype=release >/dev/null
	ninja -C "$build" idp/idp idp/ctl/idpctl >/dev/null
fi
build=$(cd "$build" && pwd)
command -v wrk >/dev/null || { echo "metrics_cost: wrk is missing (apt-get install wrk)" >&2; exit 1; }

# shellcheck source=../tests/lib/stack.sh
. tests/lib/stack.sh
export IDP_LOG_LEVEL=warn
# As in production: the client from the cache, not from PostgreSQL on
# every request (the test stack reads it each time).
export IDP_CLIENT_CACHE_TTL=60
export IDP_METRICS_TOKEN=metrics-cost-bench-token-0123456789
export IDP_METRICS_ENABLED=true
stack_up "$build"
on_url=$IDP_URL
off_pid=''
trap '[ -n "$off_pid" ] && kill "$off_pid" 2>/dev/null; stack_down >/dev/null 2>&1 || true' EXIT

# The second idp: the same environment, nothing counted.
port=$(free_port)
IDP_LISTEN=127.0.0.1:$port IDP_ISSUER=http://127.0.0.1:$port \
	IDP_METRICS_ENABLED=false "$IDP_BIN" >>"$STACK_DIR/idp-off.log" 2>&1 &
off_pid=$!
off_url=http://127.0.0.1:$port
for _ in $(seq 1 100); do
	curl -fsS "$off_url/healthz" >/dev/null 2>&1 && break
	sleep 0.1
done
curl -fsS "$off_url/healthz" >/dev/null || { echo "metrics_cost: the second idp did not start" >&2; exit 1; }
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $IDP_METRICS_TOKEN" \
	"$off_url/metrics")" = 404 ] || { echo "metrics_cost: metrics_enabled = false still serves /metrics" >&2; exit 1; }

# A resource server offering api.read to the service (an API scope must
# exist and be allowed), then the service.
cat >"$STACK_DIR/rs.json" <<'JSON'
{
  "client_id": "rs-metrics",
  "client_name": "Metrics cost resource server",
  "first_party": true,
  "grant_types": ["client_credentials"],
  "token_endpoint_auth_method": "client_secret_basic",
  "scope": "api.read",
  "api": {
    "resource": ["https://api.bench.baliprov.go.id/"],
    "scopes": { "api.read": {"clients": ["cc-metrics"]} }
  }
}
JSON
"$IDP_CTL" client add --manifest "$STACK_DIR/rs.json" >/dev/null
args=(--grant client_credentials --scope api.read --first-party)
[ "$format" = jwt ] && args+=(--access-token-format jwt)
secret=$("$IDP_CTL" --json client add cc-metrics --name "Metrics cost bench" \
	"${args[@]}" | jq -r '.client_secret // empty')
[ -n "$secret" ] || { echo "metrics_cost: client add failed" >&2; exit 1; }
auth="Basic $(printf '%s' "cc-metrics:$secret" | base64 -w0)"
for u in "$on_url" "$off_url"; do
	code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: $auth" \
		-d grant_type=client_credentials -d scope=api.read "$u/token")
	[ "$code" = 200 ] || { echo "metrics_cost: $u/token answered $code" >&2; exit 1; }
done

lua=$STACK_DIR/cc.lua
cat >"$lua" <<'LUA'
wrk.method = "POST"
wrk.body = "grant_type=client_credentials&scope=api.read"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = os.getenv("BENCH_AUTH")
function done(summary)
  io.write(string.format("RUN requests=%d errors=%d\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read +
    summary.errors.timeout))
end
LUA
run() {	# URL: requests of one run (errors fail the bench)
	local out req err
	out=$(BENCH_AUTH=$auth wrk -t 2 -c "$conns" -d "${duration}s" -s "$lua" "$1/token")
	req=$(sed -n 's/^RUN requests=\([0-9]*\) .*/\1/p' <<<"$out")
	err=$(sed -n 's/^RUN .* errors=\([0-9]*\)/\1/p' <<<"$out")
	if [ "$err" != 0 ]; then
		echo "metrics_cost: $err errors against $1; now it answers:" \
			"$(curl -s -w ' %{http_code}' -H "Authorization: $auth" \
			-d grant_type=client_credentials -d scope=api.read "$1/token")" >&2
		tail -5 "$STACK_DIR"/idp*.log >&2
		exit 1
	fi
	echo "$req"
}

say "load before: $(uptime)"
say "$rounds rounds of $duration s, $conns connections, $format access tokens"
run "$on_url" >/dev/null	# warm both up: caches, connections
run "$off_url" >/dev/null
on_sum=0 off_sum=0 ratios=()
for r in $(seq 1 "$rounds"); do
	if [ $((r % 2)) = 1 ]; then
		on=$(run "$on_url"); off=$(run "$off_url")
	else
		off=$(run "$off_url"); on=$(run "$on_url")
	fi
	on_sum=$((on_sum + on)) off_sum=$((off_sum + off))
	ratios+=("$(awk -v a="$on" -v b="$off" 'BEGIN { printf "%.4f", a / b }')")
	say "round $r: on $((on / duration)) req/s, off $((off / duration)) req/s, ratio ${ratios[-1]}"
done
say "load after: $(uptime)"
median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END {
	print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
awk -v r="$rounds" -v a="$on_sum" -v b="$off_sum" -v d="$duration" -v m="$median" 'BEGIN {
	printf "METRICS_COST rounds=%d on_rps=%.0f off_rps=%.0f ratio=%.4f median_ratio=%.4f\n",
		r, a / (r * d), b / (r * d), a / b, m }'
