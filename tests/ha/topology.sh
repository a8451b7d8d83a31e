# shellcheck shell=bash
# The high-availability topology of deploy/ha/ on loopback, for the ha
# suite: three etcd members (machines 1, 2 and 3), two PostgreSQL 15
# nodes managed by Patroni on machines 1 and 2 (primary and synchronous
# standby, from deploy/ha/patroni.yml.in), and HAProxy
# (deploy/ha/haproxy.cfg.in) with a PostgreSQL write port and an idp port
# for two idp nodes the tests start. Each process runs as its Debian
# package's user (etcd, postgres, haproxy), on ports and in a directory
# of its own. Sourced.
#
#   ha_up            start everything; exports HA_* and IDP_* for the tests
#   ha_down          stop what is left (the tests kill some of it on purpose)
#   ha_etcd_start N  start etcd member N again (its data kept: it rejoins)
#   ha_node_start N  start Patroni node N again from its patroni.yml

root=${root:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
# shellcheck source=../../deploy/lib/pg.sh
. "$root/deploy/lib/pg.sh"

# setpriv options that run a command as a user; setpriv execs it, so
# `setpriv $(as_user U) CMD &` makes $! the process itself.
as_user() { echo --reuid "$1" --regid "$1" --init-groups --; }

# A loopback port below the ephemeral range (32768-60999 on Debian), so
# that no outgoing connection takes it between now and the bind, which
# for the idp nodes comes a minute later. The caller adds it to HA_PORTS.
ha_port() {
	local p
	for _ in $(seq 1 100); do
		p=$((10000 + RANDOM % 10000))
		case " ${HA_PORTS:-} " in *" $p "*) continue ;; esac
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

ha_wait_http() {
	local url=$1 want=${2:-200} code
	for _ in $(seq 1 "${3:-300}"); do
		code=$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)
		[ "$code" = "$want" ] && return 0
		sleep 0.2
	done
	echo "no $want from $url (last: $code)" >&2
	return 1
}

ha_fill() {	# template output, with the node's values in $HA_SUB
	sed "${HA_SUB[@]}" "$1" >"$2"
}

# etcd member n of three, machine n's; with its data directory from
# before it rejoins the cluster (the --initial-* flags are then ignored).
ha_etcd_start() {
	local n=$1 d=$HA_DIR/etcd$1 peers='' m
	for m in 1 2 3; do
		peers+="${peers:+,}etcd$m=http://127.0.0.1:$(eval echo "\$HA_ETCD_PEER_$m")"
	done
	mkdir -p "$d"
	chown etcd "$d"
	chmod 700 "$d"
	local client peer
	client=http://127.0.0.1:$(eval echo "\$HA_ETCD_PORT_$n")
	peer=http://127.0.0.1:$(eval echo "\$HA_ETCD_PEER_$n")
	# shellcheck disable=SC2046 # as_user prints separate options
	setpriv $(as_user etcd) etcd --name "etcd$n" --data-dir "$d/data" \
		--listen-client-urls "$client" --advertise-client-urls "$client" \
		--listen-peer-urls "$peer" --initial-advertise-peer-urls "$peer" \
		--initial-cluster "$peers" --initial-cluster-state new \
		--initial-cluster-token idp-ha >>"$d/etcd.log" 2>&1 &
	echo $! >"$d/etcd.pid"
}

ha_node_start() {	# n: start Patroni node n from its patroni.yml
	local d=$HA_DIR/node$1
	# shellcheck disable=SC2046 # as_user prints separate options
	HOME=$d setpriv $(as_user postgres) patroni "$d/patroni.yml" \
		>>"$d/patroni.log" 2>&1 &
	echo $! >"$d/patroni.pid"
}

ha_node() {	# n: configure and start Patroni node n
	local n=$1 d=$HA_DIR/node$1
	mkdir -p "$d/run"
	chown postgres:postgres "$d" "$d/run"
	chmod 700 "$d" "$d/run"
	HA_SUB=(-e "s|@NAME@|node$n|" -e "s|@ADDR@|127.0.0.1|"
		-e "s|@REST_PORT@|$(eval echo "\$HA_REST_$n")|"
		-e "s|@PG_PORT@|$(eval echo "\$HA_PG_$n")|"
		-e "s|@ETCD_HOSTS@|$HA_ETCD_HOSTS|"
		-e "s|@TTL@|10|" -e "s|@LOOP_WAIT@|1|" -e "s|@RETRY_TIMEOUT@|4|"
		-e "s|@ARCHIVE_DIR@|$HA_DIR/archive|"
		-e "s|@DATA_DIR@|$d/data|" -e "s|@PGPASS@|$d/pgpass|"
		-e "s|@RUN_DIR@|$d/run|" -e "s|@NETWORK@|127.0.0.1/32|"
		-e "s|@SUPERUSER_PASSWORD@|$HA_SUPER_PW|"
		-e "s|@REPLICATION_PASSWORD@|$HA_REPL_PW|"
		-e "s|@REWIND_PASSWORD@|$HA_REPL_PW|")
	ha_fill "$root/deploy/ha/patroni.yml.in" "$d/patroni.yml"
	chown postgres:postgres "$d/patroni.yml"
	ha_node_start "$n"
}

ha_haproxy() {
	local pgs idps
	pgs=$(printf '    server node1 127.0.0.1:%s check port %s\n    server node2 127.0.0.1:%s check port %s' \
		"$HA_PG_1" "$HA_REST_1" "$HA_PG_2" "$HA_REST_2")
	idps=$(printf '    server idpA 127.0.0.1:%s check\n    server idpB 127.0.0.1:%s check' \
		"$HA_IDP_PORT_A" "$HA_IDP_PORT_B")
	HA_SUB=(-e "s|@BIND_ADDR@|127.0.0.1|" -e "s|@GLOBAL@||"
		-e "s|@PG_PROXY_PORT@|$HA_PG_PROXY|" -e "s|@IDP_PROXY_PORT@|$HA_IDP_PROXY|")
	ha_fill "$root/deploy/ha/haproxy.cfg.in" "$HA_DIR/haproxy.cfg.1"
	awk -v pgs="$pgs" -v idps="$idps" \
		'{ if ($0 == "@PG_SERVERS@") print pgs; else if ($0 == "@IDP_SERVERS@") print idps; else print }' \
		"$HA_DIR/haproxy.cfg.1" >"$HA_DIR/haproxy.cfg"
	haproxy -c -q -f "$HA_DIR/haproxy.cfg" || return 1
	# shellcheck disable=SC2046 # as_user prints separate options
	setpriv $(as_user haproxy) haproxy -db -f "$HA_DIR/haproxy.cfg" \
		>"$HA_DIR/haproxy.log" 2>&1 &
	echo $! >"$HA_DIR/haproxy.pid"
}

ha_psql() {	# SQL as the superuser, through HAProxy's write port
	PGPASSWORD=$HA_SUPER_PW "$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 \
		"host=127.0.0.1 port=$HA_PG_PROXY user=postgres dbname=${2:-postgres}" -c "$1"
}

ha_up() {
	local v p n
	HA_DIR=$(mktemp -d /tmp/idp-ha.XXXXXX)
	chmod 755 "$HA_DIR"
	export HA_DIR
	for v in ETCD_PORT_1 ETCD_PORT_2 ETCD_PORT_3 ETCD_PEER_1 ETCD_PEER_2 \
		ETCD_PEER_3 REST_1 REST_2 PG_1 PG_2 PG_PROXY IDP_PROXY \
		IDP_PORT_A IDP_PORT_B; do
		p=$(ha_port) || return 1
		HA_PORTS="${HA_PORTS:-} $p"
		export "HA_$v=$p"
	done
	HA_SUPER_PW=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
	HA_REPL_PW=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
	HA_IDP_PW=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
	export HA_SUPER_PW
	mkdir -p "$HA_DIR/archive"
	chown postgres:postgres "$HA_DIR/archive"
	export HA_ETCD_HOSTS="127.0.0.1:$HA_ETCD_PORT_1,127.0.0.1:$HA_ETCD_PORT_2,127.0.0.1:$HA_ETCD_PORT_3"
	for n in 1 2 3; do ha_etcd_start $n; done
	# /health says true once the member sees a leader elected by a quorum.
	for n in 1 2 3; do
		ha_wait_http "http://127.0.0.1:$(eval echo "\$HA_ETCD_PORT_$n")/health" ||
			return 1
	done
	ha_node 1
	ha_wait_http "http://127.0.0.1:$HA_REST_1/primary" || {
		tail -30 "$HA_DIR/node1/patroni.log" >&2
		return 1
	}
	ha_node 2
	# The standby is streaming and is the synchronous one.
	ha_wait_http "http://127.0.0.1:$HA_REST_2/sync" || {
		tail -30 "$HA_DIR/node2/patroni.log" >&2
		return 1
	}
	ha_haproxy || return 1
	# HAProxy counts a server up until its first checks fail: wait until
	# ten connections in a row reach the primary.
	local run=0
	for _ in $(seq 1 100); do
		if [ "$(ha_psql "SELECT pg_is_in_recovery()" 2>/dev/null)" = f ]; then
			run=$((run + 1))
			[ $run -ge 10 ] && break
		else
			run=0
			sleep 0.2
		fi
	done
	ha_psql "CREATE ROLE idp LOGIN PASSWORD '$HA_IDP_PW'" || return 1
	ha_psql "CREATE DATABASE idp OWNER idp" || return 1
	# Every commit of idp waits for the synchronous standby: libpq options
	# in database_url come after idp's own and win (idp.conf(5)).
	# HA_IDP_COMMIT=async measures idp's default instead.
	local opts=" options='-c synchronous_commit=on'"
	[ "${HA_IDP_COMMIT:-sync}" = async ] && opts=
	export IDP_DATABASE_URL="host=127.0.0.1 port=$HA_PG_PROXY dbname=idp user=idp password=$HA_IDP_PW$opts"
	export IDP_KEY_DIR=$HA_DIR/keys IDP_SQL_DIR=$root/sql
	export IDP_ISSUER=http://127.0.0.1:$HA_IDP_PROXY
	export HA_IDP_URL=$IDP_ISSUER IDP_URL=$IDP_ISSUER
	export IDP_ARGON2_MEMORY_KIB=1024 IDP_ARGON2_ITERATIONS=1
	export IDP_CLIENT_CACHE_TTL=0 IDP_KEY_RELOAD_INTERVAL=1
	export IDP_WORKER_THREADS=4 IDP_THROTTLE_ADDRESS_FREE=100000
	export IDP_TRUST_X_FORWARDED_FOR=true
	# As deploy/ha/README.md says for several machines: the retry of a
	# rotation whose answer was lost with a node is answered.
	export IDP_REFRESH_TOKEN_REUSE_GRACE=60
	"$IDP_CTL" migrate >/dev/null || return 1
	"$IDP_CTL" keys generate >/dev/null || return 1
}

ha_kill_pidfile() {
	local f=$1 pid
	[ -f "$f" ] || return 0
	pid=$(cat "$f")
	kill -TERM "$pid" 2>/dev/null || true
	for _ in $(seq 1 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
	rm -f "$f"
}

ha_down() {
	local n
	[ -n "${HA_DIR:-}" ] || return 0
	ha_kill_pidfile "$HA_DIR/haproxy.pid"
	for n in 1 2; do
		ha_kill_pidfile "$HA_DIR/node$n/patroni.pid"
		# A PostgreSQL whose Patroni was killed is stopped here.
		[ -f "$HA_DIR/node$n/data/postmaster.pid" ] &&
			pg_as_owner "$PG_BIN/pg_ctl" -D "$HA_DIR/node$n/data" -m immediate \
				-w stop >/dev/null 2>&1
	done
	for n in 1 2 3; do ha_kill_pidfile "$HA_DIR/etcd$n/etcd.pid"; done
	if [ -z "${KEEP_STACK:-}" ]; then rm -rf "$HA_DIR"; else
		echo "kept $HA_DIR for inspection" >&2
	fi
}
