#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a running identity provider
# with demo data:
#
#   deploy/demo.sh          install what is missing, build, start a private
#                           PostgreSQL, migrate, make keys, load the demo
#                           directory and the 57 service registrations,
#                           start idp (and the SPBE portal), print how to
#                           sign in. Running it again reuses what exists.
#   deploy/demo.sh stop     stop the portal, idp and PostgreSQL
#   deploy/demo.sh status   show what runs
#
# Everything lives in var/ of the checkout (or /var/lib/idp-demo when the
# postgres user cannot reach the checkout). Never touches a system-wide
# PostgreSQL cluster: the demo cluster listens on a private unix socket.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=lib/deps.sh
. deploy/lib/deps.sh
# shellcheck source=lib/pg.sh
. deploy/lib/pg.sh

PG_PORT=${IDP_DEMO_PG_PORT:-54329}
HTTP_PORT=${IDP_DEMO_PORT:-8080}
PORTAL_PORT=8081
build=$root/build

state_dir() {
	local v=$root/var
	mkdir -p "$v"
	if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$v" 2>/dev/null; then
		v=/var/lib/idp-demo
		mkdir -p "$v"
	fi
	echo "$v"
}

var=$(state_dir)
mkdir -p "$var/log" "$var/run"
export IDP_CONFIG=$var/idp.conf

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

stop_all() {
	if running "$var/spbe-portal/apache2.pid"; then
		PORTAL_STATE=$var/spbe-portal clients/spbe-portal/run.sh stop && echo "stopped spbe-portal"
	fi
	if running "$var/run/idp.pid"; then
		kill -TERM "$(cat "$var/run/idp.pid")" && echo "stopped idp"
	fi
	rm -f "$var/run/idp.pid"
	pg_stop "$var/pg" && echo "stopped PostgreSQL"
}

case ${1:-start} in
stop) stop_all; exit 0 ;;
status)
	for p in idp:run/idp.pid spbe-portal:spbe-portal/apache2.pid; do
		running "$var/${p#*:}" && echo "${p%%:*}: running (pid $(cat "$var/${p#*:}"))" ||
			echo "${p%%:*}: stopped"
	done
	exit 0 ;;
start) ;;
*) echo "usage: deploy/demo.sh [start|stop|status]" >&2; exit 2 ;;
esac

# 1. Packages and build.
# shellcheck disable=SC2086
idp_install_deps $IDP_BUILD_PKGS $IDP_PORTAL_PKGS
if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" -Dbuildtype=release -Dtests=disabled >/dev/null
fi
ninja -C "$build" >/dev/null
ctl=$build/idp/ctl/idpctl

# 2. A private PostgreSQL.
pg_setup "$var/pg" "$PG_PORT"

# 3. Configuration (written once; edit it freely afterwards), and the
# key-encryption key that seals the signing keys in the database.
if [ ! -f "$IDP_CONFIG" ] && [ ! -f "$root/certs/kek" ]; then
	(umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$root/certs/kek")
fi
if [ ! -f "$IDP_CONFIG" ]; then
	cat >"$IDP_CONFIG" <<CONF
# Demo configuration written by deploy/demo.sh; every key is documented in
# deploy/idp.conf.example.
issuer = http://127.0.0.1:$HTTP_PORT
listen = 127.0.0.1:$HTTP_PORT
database_url = $PG_URL
key_dir = $root/certs
key_encryption_key_file = $root/certs/kek
sql_dir = $root/sql
log_level = info
# Whom error pages send people to (an example for the demo).
helpdesk_email = helpdesk-sso@baliprov.go.id
helpdesk_hours = mon-fri 08:00-16:00
CONF
fi
# The portal's back-channel logout URI is on loopback: added to a
# configuration an earlier demo wrote without it.
if ! grep -q '^[[:space:]]*outbound_allow_loopback[[:space:]]*=' "$IDP_CONFIG"; then
	cat >>"$IDP_CONFIG" <<CONF
# Demo only: the services of the demo (the SPBE portal's back-channel
# logout URI) are on loopback over plain http. Never true in production.
outbound_allow_loopback = true
CONF
fi

# 4. Schema, keys, directory, services.
"$ctl" migrate
"$ctl" keys generate
"$ctl" org import deploy/demo/organisations.csv
"$ctl" user import deploy/demo/users.csv
pwfile=$var/demo-password
if [ ! -s "$pwfile" ]; then
	(umask 077 && head -c 12 /dev/urandom | base64 | tr -d '/+=' >"$pwfile")
fi
# Demo people get the demo password once; later runs leave passwords alone.
"$ctl" --json user list --limit 100000 |
	jq -r '.users[] | select(.has_password == false) | .username' |
	while read -r u; do
		"$ctl" user passwd "$u" --password-stdin <"$pwfile" >/dev/null
	done
(umask 077 && "$ctl" --json client apply clients/ >"$var/apply.json")
jq -r '.clients[] | select(.action != "unchanged") | "\(.action) \(.client_id)"' "$var/apply.json"
# New secrets are shown once: keep them for the operator (mode 0600).
if jq -e '[.clients[] | select(.client_secret)] | length > 0' "$var/apply.json" >/dev/null; then
	(umask 077 && jq '[.clients[] | select(.client_secret) | {client_id, client_secret}]' \
		"$var/apply.json" >"$var/client-secrets-$(date +%Y%m%d%H%M%S).json")
fi
secret=$var/spbe-portal.secret
new=$(jq -r '.clients[] | select(.client_id == "spbe-portal") | .client_secret // empty' "$var/apply.json")
if [ -n "$new" ]; then
	(umask 077 && printf '%s\n' "$new" >"$secret")
elif [ ! -s "$secret" ]; then
	# The portal exists but its secret file was lost: issue a new one.
	(umask 077 && "$ctl" --json client secret spbe-portal | jq -r .client_secret >"$secret")
fi
rm -f "$var/apply.json"

# 5. Start idp and the portal (unless they run already).
if ! running "$var/run/idp.pid"; then
	nohup "$build/idp/idp" >>"$var/log/idp.log" 2>&1 &
	echo $! >"$var/run/idp.pid"
fi
issuer=http://127.0.0.1:$HTTP_PORT
for _ in $(seq 1 50); do
	curl -fsS "$issuer/readyz" >/dev/null 2>&1 && break
	running "$var/run/idp.pid" || { tail -5 "$var/log/idp.log" >&2; exit 1; }
	sleep 0.2
done
# The SPBE portal: Apache with mod_auth_openidc on 127.0.0.1:$PORTAL_PORT.
if ! running "$var/spbe-portal/apache2.pid"; then
	PORTAL_ISSUER=$issuer PORTAL_CLIENT_ID=spbe-portal PORTAL_CLIENT_SECRET_FILE=$secret \
		PORTAL_LISTEN=127.0.0.1:$PORTAL_PORT PORTAL_STATE=$var/spbe-portal \
		clients/spbe-portal/run.sh start
fi

cat <<MSG

The identity provider runs.
  Issuer:            $issuer
  Discovery:         $issuer/.well-known/openid-configuration
  Demo login:        username demo, password $(cat "$pwfile")
                     (every person in deploy/demo/users.csv has this password)
  Demo client:       spbe-portal (Portal Evaluasi SPBE), secret in $secret
                     (secrets of the other services: $var/client-secrets-*.json)
  SPBE portal:       http://127.0.0.1:$PORTAL_PORT/  (sign in there with the demo login)
  Logs:              $var/log/
  Stop:              deploy/demo.sh stop
MSG
