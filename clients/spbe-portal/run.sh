#!/usr/bin/env bash
# The SPBE portal: Apache with mod_auth_openidc and PHP, on loopback, with
# its own ServerRoot, pid file and logs (no system Apache is touched).
#
#   clients/spbe-portal/run.sh start   start it (returns once it answers)
#   clients/spbe-portal/run.sh stop    stop it
#
# Environment (start):
#   PORTAL_ISSUER               the SSO's issuer (required)
#   PORTAL_CLIENT_SECRET_FILE   file holding the client secret (required)
#   PORTAL_CLIENT_ID            default spbe-portal
#   PORTAL_LISTEN               default 127.0.0.1:8081
#   PORTAL_URL                  default http://$PORTAL_LISTEN; the redirect
#                               URI is $PORTAL_URL/callback
#   PORTAL_STATE                pid file, logs, the cookie passphrase;
#                               default var/spbe-portal of the checkout
#   PORTAL_SITE                 the site's configuration; default
#                               apache/portal.conf (the guide's test runs
#                               its Apache example in this server)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export PORTAL_HOME=$here
export PORTAL_APP=$here/app
export PORTAL_LISTEN=${PORTAL_LISTEN:-127.0.0.1:8081}
export PORTAL_URL=${PORTAL_URL:-http://$PORTAL_LISTEN}
export PORTAL_CLIENT_ID=${PORTAL_CLIENT_ID:-spbe-portal}
export PORTAL_STATE=${PORTAL_STATE:-$here/../../var/spbe-portal}
export PORTAL_ISSUER=${PORTAL_ISSUER:-}
export PORTAL_SITE=${PORTAL_SITE:-$here/apache/portal.conf}
export PORTAL_CLIENT_SECRET=
export PORTAL_PASSPHRASE=
conf=$here/apache/httpd.conf

stop() {
	local pid
	[ -f "$PORTAL_STATE/apache2.pid" ] || return 0
	pid=$(cat "$PORTAL_STATE/apache2.pid")
	kill -TERM "$pid" 2>/dev/null || true
	for _ in $(seq 1 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	rm -f "$PORTAL_STATE/apache2.pid"
}

# Apache's children run as www-data and read the page and the table. A
# checkout they cannot reach (under /root, say) is copied into the state
# directory, which they may then traverse but not list.
publish() {
	local site=$PORTAL_STATE/site
	if [ "$(id -u)" != 0 ] ||
		runuser -u www-data -- test -r "$here/app/index.php" -a -r "$here/data/spbe-2023-bali.csv"; then
		PORTAL_APP=$here/app
		return
	fi
	rm -rf "$site"
	mkdir -p "$site"
	cp -R "$here/app" "$here/data" "$site/"
	chmod -R a+rX "$site"
	chmod 711 "$PORTAL_STATE"
	PORTAL_APP=$site/app
}

start() {
	if [ -z "$PORTAL_ISSUER" ] || [ ! -r "${PORTAL_CLIENT_SECRET_FILE:-}" ]; then
		echo "run.sh: PORTAL_ISSUER and a readable PORTAL_CLIENT_SECRET_FILE are required" >&2
		exit 2
	fi
	mkdir -p "$PORTAL_STATE"
	PORTAL_STATE=$(cd "$PORTAL_STATE" && pwd)
	# mod_auth_openidc encrypts its cookies and cache entries with this.
	if [ ! -s "$PORTAL_STATE/passphrase" ]; then
		(umask 077 && head -c 32 /dev/urandom | base64 | tr -d '/+=' >"$PORTAL_STATE/passphrase")
	fi
	PORTAL_PASSPHRASE=$(cat "$PORTAL_STATE/passphrase")
	publish
	PORTAL_CLIENT_SECRET=$(head -n 1 "$PORTAL_CLIENT_SECRET_FILE")
	/usr/sbin/apache2 -f "$conf" -t >/dev/null 2>&1 || /usr/sbin/apache2 -f "$conf" -t
	/usr/sbin/apache2 -f "$conf" -k start
	for _ in $(seq 1 100); do
		if curl -fsS -o /dev/null "$PORTAL_URL/style.css" 2>/dev/null; then
			return 0
		fi
		sleep 0.05
	done
	echo "run.sh: the portal did not answer; $PORTAL_STATE/error.log:" >&2
	tail -20 "$PORTAL_STATE/error.log" >&2
	exit 1
}

case ${1:-start} in
start) stop; start ;;
stop) stop ;;
*) echo "usage: run.sh start|stop" >&2; exit 2 ;;
esac
