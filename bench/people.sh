#!/usr/bin/env bash
# The console's people search over the generated province directory, in one
# command:
#
#   bench/people.sh [--build DIR] [--duration S] [--conns N]
#
# Builds a release idp in build-bench/ unless --build names a build, starts a
# private PostgreSQL and idp (tests/lib/stack.sh), loads 33,000 people
# (bench/gen_directory.mjs, BENCH_USERS to change), signs an admin in to
# /admin, and drives GET /admin/people with wrk (bench/wrk/people.lua) over a
# mix of what the helpdesk types: a word of a name, a username, a whole NIP,
# a NIP's first digits, an e-mail address, and the unfiltered list at a deep
# page (?after= a person picked at random: keyset pagination). Prints requests/s, p50 and p99 of the whole request (session, roles,
# count and page queries, the rendered page). The target: p99 under 50 ms.
# docs/performance.md, "People search", holds the figures.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
build='' duration=10 conns=8
while [ $# -gt 0 ]; do
	case $1 in
	--build) build=$2; shift ;;
	--duration) duration=$2; shift ;;
	--conns) conns=$2; shift ;;
	*) echo "usage: bench/people.sh [--build DIR] [--duration S] [--conns N]" >&2
		exit 2 ;;
	esac
	shift
done
USERS=${BENCH_USERS:-33000}
say() { printf 'people: %s\n' "$*" >&2; }

if [ -z "$build" ]; then
	build="build-bench"
	[ -f "$build/build.ninja" ] || meson setup "$build" -Dbuildtype=release >/dev/null
	ninja -C "$build" idp/idp idp/ctl/idpctl >/dev/null
fi
build=$(cd "$build" && pwd)
command -v wrk >/dev/null || { echo "people: wrk is missing (apt-get install wrk)" >&2; exit 1; }

# shellcheck source=../tests/lib/stack.sh
. tests/lib/stack.sh
export IDP_LOG_LEVEL=warn
stack_up "$build"
work=$STACK_DIR/people
mkdir -p "$work"
trap 'stack_down >/dev/null 2>&1 || true; rm -rf "$STACK_DIR"' EXIT

gcc -std=c17 -O2 -o "$work/argon2_tool" bench/argon2_tool.c -largon2 -lpthread
pw=Sandi.Bench-01_Bali
printf '%s\t%s\n' "$pw" "$(printf '%s\n' "$pw" | "$work/argon2_tool" hash \
	bench-salt-1 "$IDP_ARGON2_MEMORY_KIB" "$IDP_ARGON2_ITERATIONS" 1)" \
	>"$work/hashes.tsv"
node bench/gen_directory.mjs --out "$work/dir" --hashes "$work/hashes.tsv" \
	--users "$USERS" >/dev/null
"$IDP_CTL" org import "$work/dir/organisations.csv" >/dev/null
"$IDP_CTL" user import "$work/dir/users.csv" >/dev/null
"$IDP_CTL" org add baliprov.diskominfos --name "Diskominfos Provinsi Bali" \
	--kind provincial_agency >/dev/null
opw=Sawah-Hijau.Tegal-7391
printf '%s\n' "$opw" | "$IDP_CTL" user add ops.konsol --name "Operator Konsol" \
	--org baliprov.diskominfos --password-stdin >/dev/null
"$IDP_CTL" member add ops.konsol baliprov.diskominfos admin >/dev/null
psql -X -q -h "$PG_DIR/run" -p "$PG_PORT" -U idp -d idp -c 'VACUUM ANALYZE' >/dev/null
say "$("$IDP_CTL" --json user list --limit 1 >/dev/null && echo "$USERS people loaded")"

# Sign in as a browser does: /login?next=/admin, the form, the cookie.
jar=$work/cookies
page=$(curl -fsS -c "$jar" -b "$jar" -L "$IDP_URL/admin")
field() { sed -n "s/.*name=\"$1\" value=\"\([^\"]*\)\".*/\1/p" <<<"$page" | head -1; }
curl -fsS -o /dev/null -c "$jar" -b "$jar" --data-urlencode "login=$(field login)" \
	--data-urlencode "csrf_token=$(field csrf_token)" \
	--data-urlencode "username=ops.konsol" --data-urlencode "password=$opw" \
	"$IDP_URL/login"
cookie=$(awk '$6 == "idp_session" { print "idp_session=" $7 }' "$jar")
[ -n "$cookie" ] || { echo "people: the sign-in failed" >&2; exit 1; }

# The queries, from the directory itself (URL-encoded, one a line); deep
# pages of the list start after people picked at random.
psql -X -At -h "$PG_DIR/run" -p "$PG_PORT" -U idp -d idp -c "SELECT id FROM
	users WHERE deleted_at IS NULL ORDER BY random() LIMIT 400" >"$work/ids.txt"
node -e '
const fs = require("fs");
const ids = fs.readFileSync(process.argv[3], "utf8").trim().split("\n");
const rows = fs.readFileSync(process.argv[1], "utf8").trim().split("\n");
// RFC 4180 fields: the hashes hold commas, so they are quoted.
const split = (line) => {
  const out = []; let f = "", q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q && c === "\"" && line[i + 1] === "\"") { f += c; i++; }
    else if (c === "\"") q = !q;
    else if (c === "," && !q) { out.push(f); f = ""; }
    else f += c;
  }
  out.push(f);
  return out;
};
const head = split(rows.shift());
const col = (r, n) => split(r)[head.indexOf(n)];
const out = [];
for (let i = 0; i < 400; i++) {
  const r = rows[(i * 7919) % rows.length];
  const name = col(r, "name").split(" ");
  if (i % 6 === 5) { out.push("after=" + ids[i % ids.length]); continue; }
  // A person without a NIP is looked for by their first name instead.
  const q = [name[name.length - 1], col(r, "username"), col(r, "nip"),
    (col(r, "nip") || "").slice(0, 8), col(r, "email")][i % 6] || name[0];
  out.push("q=" + encodeURIComponent(q));
}
fs.writeFileSync(process.argv[2], out.join("\n") + "\n");
' "$work/dir/users.csv" "$work/queries.txt" "$work/ids.txt"

check=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" \
	"$IDP_URL/admin/people?$(head -1 "$work/queries.txt")")
[ "$check" = 200 ] || { echo "people: /admin/people answered $check" >&2; exit 1; }
if [ -n "${BENCH_DUMP:-}" ]; then
	for k in 1 3 6; do
		q=$(sed -n "${k}p" "$work/queries.txt")
		echo "== $q"
		curl -s -H "Cookie: $cookie" "$IDP_URL/admin/people?$q"
		echo
	done >"$BENCH_DUMP"
	psql -X -h "$PG_DIR/run" -p "$PG_PORT" -U idp -d idp -c "EXPLAIN ANALYZE
		SELECT u.id FROM users u WHERE u.deleted_at IS NULL AND
		(lower(u.name), u.id) > (SELECT lower(c.name), c.id FROM users c
		WHERE c.id = $(sed -n 6p "$work/ids.txt"))
		ORDER BY lower(u.name), u.id LIMIT 26" \
		-c "EXPLAIN ANALYZE SELECT count(*) FROM (SELECT 1 FROM users u
		WHERE u.deleted_at IS NULL AND (lower(u.name) || ' ' ||
		lower(u.username) || ' ' || coalesce(lower(u.email), ''))
		LIKE '%wayan%' LIMIT 201) m" \
		-c "EXPLAIN ANALYZE SELECT u.id FROM users u WHERE u.deleted_at IS NULL
		AND (lower(u.name) || ' ' || lower(u.username) || ' ' ||
		coalesce(lower(u.email), '')) LIKE
		lower('%$(sed -n '1s/^q=//p' "$work/queries.txt")%')
		ORDER BY lower(u.name), u.id LIMIT 26" >>"$BENCH_DUMP"
	# The plans PostgreSQL may cache for the prepared statements.
	w=$(sed -n '1s/^q=//p' "$work/queries.txt")
	psql -X -h "$PG_DIR/run" -p "$PG_PORT" -U idp -d idp >>"$BENCH_DUMP" <<-SQL
	SET plan_cache_mode = force_generic_plan;
	PREPARE t(text, int) AS SELECT u.id FROM users u WHERE u.deleted_at IS NULL
	AND (lower(u.name) || ' ' || lower(u.username) || ' ' ||
	coalesce(lower(u.email), '')) LIKE lower(\$1)
	ORDER BY lower(u.name), u.id LIMIT \$2;
	EXPLAIN ANALYZE EXECUTE t('%$w%', 26);
	PREPARE c(text) AS SELECT count(*) FROM (SELECT 1 FROM users u WHERE
	u.deleted_at IS NULL AND (lower(u.name) || ' ' || lower(u.username) || ' '
	|| coalesce(lower(u.email), '')) LIKE lower(\$1) LIMIT 201) m;
	EXPLAIN ANALYZE EXECUTE c('%$w%');
	PREPARE b(text, int) AS SELECT u.id FROM users u WHERE u.deleted_at IS NULL
	AND ((lower(u.name) || ' ' || lower(u.username) || ' ' ||
	coalesce(lower(u.email), '')) || '') LIKE lower(\$1)
	ORDER BY lower(u.name), u.id LIMIT \$2;
	EXPLAIN ANALYZE EXECUTE b('%wayan%', 26);
	EXPLAIN ANALYZE EXECUTE b('%ni%', 26);
	SQL
fi

# One request of each kind alone, before the load: which kind costs what.
kinds=(name username nip nip_prefix email list)
for k in 0 1 2 3 4 5; do
	t=$(sed -n "$((k + 1))~6p" "$work/queries.txt" | head -20 | while read -r q; do
		curl -s -o /dev/null -w '%{time_total} %{size_download} %{http_code}\n' \
			-H "Cookie: $cookie" "$IDP_URL/admin/people?$q"
	done | sort -n | awk '{ t[NR] = $1; s = $2; c = $3 } END {
		printf "median %.1f ms, max %.1f ms, %d bytes, status %s",
		t[int((NR + 1) / 2)] * 1000, t[NR] * 1000, s, c }')
	say "${kinds[$k]}: $t"
done

# Not measured: 3 s of the same mix first, so that every worker's pool
# connection is open and PostgreSQL has planned the searches (bench/run.sh's
# warm_up says why).
BENCH_QUERIES=$work/queries.txt BENCH_COOKIE=$cookie \
	wrk -t 2 -c "$conns" -d 3s -s bench/wrk/people.lua "$IDP_URL" >/dev/null
say "wrk: $conns connections, $duration s, $(wc -l <"$work/queries.txt") queries"
BENCH_QUERIES=$work/queries.txt BENCH_COOKIE=$cookie \
	wrk -t 2 -c "$conns" -d "${duration}s" --latency -s bench/wrk/people.lua \
	"$IDP_URL" | tee "$work/wrk.txt" >&2
grep '^PEOPLE ' "$work/wrk.txt"
