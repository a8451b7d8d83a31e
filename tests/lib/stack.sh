# shellcheck shell=bash
# A throwaway provider for the e2e, interop and fault suites and the
# benchmark: a private PostgreSQL cluster, fresh keys, and a running idp on
# a free loopback port. Sourced.
#
#   stack_up BUILD_DIR     everything, with the tests' settings (cheap
#                          password hashing, no client cache, ...); exports
#                          IDP_URL, IDP_CTL, IDP_BIN, PG_DIR, and the IDP_*
#                          settings the daemon runs with
#   stack_restart_idp      stop and start idp with the same settings
#   stack_down             stop idp (checks it exits 0 and that the
#                          sanitizers stayed quiet), stop PostgreSQL
#
# The same in steps, for callers with their own settings (bench/run.sh):
#   stack_init BUILD_DIR   the work directory (STACK_DIR) and the cluster,
#                          with STACK_PG_SETTINGS (postgresql.conf lines)
#                          if set; exports the IDP_* settings every stack
#                          shares (database, keys, SQL, binaries)
#   stack_prepare          idpctl migrate and keys generate
#   stack_start_idp        start idp and wait until it answers

root=${root:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
# shellcheck source=../../deploy/lib/pg.sh
. "$root/deploy/lib/pg.sh"

stack_start_idp() {
	local port
	: >"$STACK_DIR/idp.log"
	for _ in 1 2 3 4 5; do
		port=$(free_port)
		export IDP_LISTEN=127.0.0.1:$port
		export IDP_ISSUER=http://127.0.0.1:$port
		export IDP_URL=$IDP_ISSUER
		"$IDP_BIN" >>"$STACK_DIR/idp.log" 2>&1 &
		IDP_PID=$!
		for _ in $(seq 1 100); do
			if curl -fsS "$IDP_URL/healthz" >/dev/null 2>&1; then
				export IDP_PID
				return 0
			fi
			kill -0 "$IDP_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill "$IDP_PID" 2>/dev/null || true
		wait "$IDP_PID" 2>/dev/null || true
	done
	echo "idp did not start:" >&2
	tail -20 "$STACK_DIR/idp.log" >&2
	return 1
}

# Stop idp; fail when it does not exit 0 or a sanitizer spoke.
stack_stop_idp() {
	local rc=0
	[ -n "${IDP_PID:-}" ] || return 0
	kill -TERM "$IDP_PID" 2>/dev/null || true
	wait "$IDP_PID" || rc=$?
	IDP_PID=
	if [ $rc -ne 0 ]; then
		echo "idp exited with status $rc after SIGTERM" >&2
		tail -40 "$STACK_DIR/idp.log" >&2
		return 1
	fi
	if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' \
		"$STACK_DIR/idp.log"; then
		echo "sanitizer report in the idp log:" >&2
		grep -A30 -E 'Sanitizer|runtime error' "$STACK_DIR/idp.log" | head -80 >&2
		return 1
	fi
}

stack_restart_idp() {
	stack_stop_idp && stack_start_idp
}

stack_init() {
	local build=$1 pgport
	STACK_DIR=$(mktemp -d /tmp/idp-stack.XXXXXX)
	chmod 755 "$STACK_DIR"
	export STACK_DIR
	export PG_DIR=$STACK_DIR/pg
	pgport=$(free_port)
	export PG_PORT=$pgport
	pg_setup "$PG_DIR" "$pgport" "${STACK_PG_SETTINGS:-}" || return 1
	export IDP_DATABASE_URL=$PG_URL
	export IDP_KEY_DIR=$STACK_DIR/keys
	# Signing keys are sealed into the database under this key-encryption
	# key, as in production; tests of key files unset it.
	if [ -z "${IDP_KEY_ENCRYPTION_KEY_FILE+set}" ]; then
		export IDP_KEY_ENCRYPTION_KEY_FILE=$STACK_DIR/kek
		(umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$IDP_KEY_ENCRYPTION_KEY_FILE")
	fi
	export IDP_SQL_DIR=$root/sql
	export IDP_BIN=$build/idp/idp
	export IDP_CTL=$build/idp/ctl/idpctl
	export IDP_BUILD_DIR=$build
	export IDP_ISSUER=http://127.0.0.1:1	# replaced when idp starts
}

stack_prepare() {
	"$IDP_CTL" migrate >/dev/null && "$IDP_CTL" keys generate >/dev/null
}

stack_up() {
	stack_init "$1" || return 1
	# Cheap password hashing keeps the suites fast; the cost is a setting.
	export IDP_ARGON2_MEMORY_KIB=${IDP_ARGON2_MEMORY_KIB:-1024}
	export IDP_ARGON2_ITERATIONS=${IDP_ARGON2_ITERATIONS:-1}
	export IDP_CLIENT_CACHE_TTL=${IDP_CLIENT_CACHE_TTL:-0}
	export IDP_KEY_RELOAD_INTERVAL=${IDP_KEY_RELOAD_INTERVAL:-1}
	export IDP_WORKER_THREADS=${IDP_WORKER_THREADS:-4}
	export IDP_CODE_TTL=${IDP_CODE_TTL:-30}
	# Every suite signs in from 127.0.0.1, wrong passwords included: the
	# per-address allowance would soon slow unrelated tests. The address
	# rule is tested on an idp of its own (tests/e2e/throttle.test.mjs).
	export IDP_THROTTLE_ADDRESS_FREE=${IDP_THROTTLE_ADDRESS_FREE:-100000}
	# The suites' relying parties listen on loopback; tests/e2e/outbound
	# starts a second idp without this to show the refusals.
	export IDP_OUTBOUND_ALLOW_LOOPBACK=${IDP_OUTBOUND_ALLOW_LOOPBACK:-true}
	# Every idp on the database delivers back-channel logout tokens; quick
	# retries and polling keep the logout suites short.
	export IDP_OUTBOX_RETRY_BASE=${IDP_OUTBOX_RETRY_BASE:-1}
	export IDP_OUTBOX_RETRY_MAX=${IDP_OUTBOX_RETRY_MAX:-2}
	export IDP_OUTBOX_POLL_INTERVAL=${IDP_OUTBOX_POLL_INTERVAL:-1}
	# Sessions of the stack have no second factor yet; the console's
	# refusal is tested by an idp of its own (tests/e2e/console.test.mjs).
	export IDP_CONSOLE_REQUIRE_SECOND_FACTOR=${IDP_CONSOLE_REQUIRE_SECOND_FACTOR:-false}
	# The helpdesk the error pages name (tests look for these values).
	export IDP_HELPDESK_PHONE=${IDP_HELPDESK_PHONE:-(0361) 555-0100}
	export IDP_HELPDESK_EMAIL=${IDP_HELPDESK_EMAIL:-helpdesk-sso@baliprov.go.id}
	export IDP_HELPDESK_HOURS=${IDP_HELPDESK_HOURS:-mon-fri 08:00-16:00}
	stack_prepare || return 1
	stack_start_idp
}

stack_down() {
	local rc=0
	stack_stop_idp || rc=1
	[ -n "${PG_DIR:-}" ] && pg_stop "$PG_DIR"
	if [ $rc -eq 0 ] && [ -n "${STACK_DIR:-}" ] && [ -z "${KEEP_STACK:-}" ]; then
		rm -rf "$STACK_DIR"
	elif [ -n "${STACK_DIR:-}" ]; then
		echo "kept $STACK_DIR for inspection" >&2
	fi
	return $rc
}
