#!/usr/bin/env bash
# The Debian package as an operator meets it: build it from this checkout
# (dpkg-buildpackage -us -uc -b), install it, check the idp user, the
# directories and their modes, the unit and the pages it names, that
# nothing started; point it at a private PostgreSQL through
# /etc/idp/idp.conf (sql_dir and key_dir left at their compiled-in
# defaults), migrate, generate keys, run idp as the idp user and see
# /readyz answer 200; then dpkg --purge and check that nothing is left
# but the idp user and group, which policy keeps.
#   tests/package/run.sh
# Needs root (it installs a package); skipped otherwise (exit 77).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ "$(id -u)" != 0 ]; then
	echo "skipped: installing a package needs root"
	exit 77
fi
if dpkg-query -W -f='${Status}' idp 2>/dev/null | grep -q installed ||
	[ -e /etc/idp ] || [ -e /var/lib/idp ]; then
	echo "an idp package or /etc/idp is already on this machine:" \
		"the test installs and purges its own, so it leaves that alone" >&2
	exit 1
fi
# shellcheck source=../../deploy/lib/pg.sh
. "$root/deploy/lib/pg.sh"

work=$(mktemp -d /tmp/idp-package.XXXXXX)
chmod 755 "$work"
idp_pid=
failures=0
installed=0
cleanup() {
	[ -n "$idp_pid" ] && kill "$idp_pid" 2>/dev/null
	[ $installed -eq 1 ] && dpkg --purge idp >/dev/null 2>&1
	pg_stop "$work/pg"
	rm -rf "$work"
}
trap cleanup EXIT
ok() { echo "ok - $*"; }
bad() { echo "not ok - $*"; failures=$((failures + 1)); }
check() {
	local what=$1
	shift
	if "$@"; then ok "$what"; else bad "$what"; fi
}
mode_is() { [ "$(stat -c '%U:%G %a' "$1")" = "$2" ]; }

# --- build -----------------------------------------------------------------
mkdir "$work/src"
(cd "$root" && git ls-files -co --exclude-standard -z |
	xargs -0 cp --parents -t "$work/src")
SECONDS=0
if ! (cd "$work/src" && dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1; then
	tail -40 "$work/build.log" >&2
	echo "not ok - dpkg-buildpackage -us -uc -b"
	exit 1
fi
ok "dpkg-buildpackage -us -uc -b ($SECONDS s)"
deb=$(ls "$work"/idp_*_*.deb)

# --- install -----------------------------------------------------------------
installed=1
dpkg -i "$deb" >"$work/install.log" 2>&1 || {
	cat "$work/install.log" >&2
	echo "not ok - dpkg -i"
	exit 1
}
ok "dpkg -i $(basename "$deb")"
no_login() { [ "$(getent passwd idp | cut -d: -f7)" = /usr/sbin/nologin ]; }
check "the idp system user exists, no login shell" no_login
check "/etc/idp is root:idp 0750" mode_is /etc/idp "root:idp 750"
check "/etc/idp/keys is idp:idp 0700" mode_is /etc/idp/keys "idp:idp 700"
check "/var/lib/idp is idp:idp 0700" mode_is /var/lib/idp "idp:idp 700"
check "the migrations are in /usr/share/idp/sql" \
	bash -c 'ls /usr/share/idp/sql/001_*.sql >/dev/null'
check "the example configuration is installed" \
	test -f /usr/share/doc/idp/examples/idp.conf.example
unit=/lib/systemd/system/idp.service
check "the systemd unit is installed and runs /usr/bin/idp" \
	grep -q '^ExecStart=/usr/bin/idp --config /etc/idp/idp.conf$' "$unit"
docs_exist() {
	local d page
	# shellcheck disable=SC2013 # the values are space-separated words
	for d in $(sed -n 's/^Documentation=//p' "$unit"); do
		case $d in
		man:*)
			page=${d#man:}
			page=${page%)}
			man -w "${page/(/.}" >/dev/null 2>&1 ||
				{ echo "missing: $d" >&2; return 1; } ;;
		file://*)
			[ -f "${d#file://}" ] || { echo "missing: $d" >&2; return 1; } ;;
		*) echo "unknown: $d" >&2; return 1 ;;
		esac
	done
}
check "every Documentation= of the unit exists" docs_exist
check "idp(8), idpctl(8), idp.conf(5) are installed" \
	bash -c 'man -w idp.8 && man -w idpctl.8 && man -w idp.conf.5' >/dev/null
check "no idp process was started by the installation" \
	bash -c '! pgrep -u idp >/dev/null'
check "the compiled-in sql_dir is /usr/share/idp/sql" \
	bash -c '/usr/bin/idp --config-keys | grep -q "^sql_dir .*/usr/share/idp/sql"'

# --- configure and run ---------------------------------------------------------
pgport=$(free_port)
pg_setup "$work/pg" "$pgport" >/dev/null
# The idp user connects over the cluster's socket: open it for this
# throwaway cluster (its directory is a fresh random one).
echo "unix_socket_permissions = 0777" >>"$work/pg/data/postgresql.conf"
chmod 711 "$work/pg/run"
pg_stop "$work/pg"
pg_start "$work/pg"
port=$(free_port)
install -o root -g idp -m 0640 /dev/stdin /etc/idp/idp.conf <<CONF
issuer = http://127.0.0.1:$port
listen = 127.0.0.1:$port
database_url = $PG_URL
argon2_memory_kib = 1024
argon2_iterations = 1
CONF
# setpriv execs the command, so $! is idp itself and gets the signal.
as_idp() { setpriv --reuid idp --regid idp --init-groups -- "$@" >>"$work/ctl.log" 2>&1; }
check "idp --check-config accepts /etc/idp/idp.conf" \
	as_idp /usr/bin/idp --check-config --config /etc/idp/idp.conf
check "idpctl migrate (from the compiled-in sql_dir)" \
	as_idp /usr/bin/idpctl --config /etc/idp/idp.conf migrate
check "idpctl keys generate (into the compiled-in key_dir)" \
	as_idp /usr/bin/idpctl --config /etc/idp/idp.conf keys generate
keys_private() {
	ls /etc/idp/keys/*.pem >/dev/null &&
		! find /etc/idp/keys -type f \( ! -perm 0600 -o ! -user idp \) | grep -q .
}
check "the keys are the idp user's, mode 0600" keys_private
setpriv --reuid idp --regid idp --init-groups -- \
	/usr/bin/idp --config /etc/idp/idp.conf >"$work/idp.log" 2>&1 &
idp_pid=$!
ready=000
for _ in $(seq 1 100); do
	ready=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz" || true)
	[ "$ready" = 200 ] && break
	kill -0 "$idp_pid" 2>/dev/null || break
	sleep 0.2
done
if [ "$ready" = 200 ]; then ok "/readyz answers 200"; else
	bad "/readyz answers 200 (got $ready)"
	tail -20 "$work/idp.log" >&2
fi
check "the discovery document names the issuer" bash -c \
	"curl -fsS http://127.0.0.1:$port/.well-known/openid-configuration |
		jq -e '.issuer == \"http://127.0.0.1:$port\"' >/dev/null"
kill -TERM "$idp_pid"
rc=0
wait "$idp_pid" || rc=$?
idp_pid=
check "idp exits 0 on SIGTERM" test "$rc" = 0

# --- purge -----------------------------------------------------------------------
dpkg -L idp | sort >"$work/files"
dpkg --purge idp >"$work/purge.log" 2>&1 || { cat "$work/purge.log" >&2; bad "dpkg --purge idp"; }
installed=0
gone() { ! dpkg-query -W idp >/dev/null 2>&1; }
check "dpkg knows no idp package any more" gone
left_files() {
	local f left=0
	while read -r f; do
		[ -f "$f" ] && { echo "left: $f" >&2; left=1; }
	done <"$work/files"
	return $left
}
check "no file of the package is left" left_files
check "/etc/idp and /var/lib/idp are gone" \
	bash -c '[ ! -e /etc/idp ] && [ ! -e /var/lib/idp ]'
check "no unit symlink is left" \
	bash -c '! find /etc/systemd -name "idp.service*" 2>/dev/null | grep -q .'
check "nothing outside /tmp belongs to the idp user" bash -c \
	'! find /etc /var /usr /lib /opt /srv -xdev -user idp 2>/dev/null | grep -q .'
echo "# kept, as policy allows: the system user and group idp ($(getent passwd idp | cut -d: -f3))"
echo "# package: $failures failed"
[ $failures -eq 0 ]
