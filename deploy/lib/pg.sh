# shellcheck shell=bash
# Private PostgreSQL clusters for the demo, the tests and the benchmark.
# Sourced by bash scripts; never touches a system-wide cluster.
#
# A cluster lives in one directory: data/ (PGDATA), run/ (the unix socket,
# mode 0700: only its owner and root can connect, so local trust auth is
# safe) and log. It listens on the socket only, never on TCP.
#
#   pg_setup DIR PORT [SETTINGS]
#                       initdb (if needed) and start; sets PG_URL. SETTINGS
#                       (postgresql.conf lines) go into a new cluster's
#                       configuration, after the defaults below
#   pg_start DIR        start an existing cluster
#   pg_stop DIR         fast shutdown
#   pg_url DIR PORT     print the libpq connection string
#   free_port           print a loopback TCP port nobody listens on

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

# initdb and pg_ctl refuse to run as root: as root, the cluster belongs to
# the postgres user the Debian package creates.
pg_owner() {
	if [ "$(id -u)" = 0 ]; then echo postgres; else id -un; fi
}

pg_as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

pg_url() {
	echo "host=$1/run port=$2 dbname=idp user=idp"
}

pg_setup() {
	local dir=$1 port=$2 extra=${3:-} owner
	owner=$(pg_owner)
	mkdir -p "$dir"
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		mkdir -p "$dir/data" "$dir/run"
		chown "$owner" "$dir" "$dir/data" "$dir/run"
		chmod 700 "$dir/data" "$dir/run"
		pg_as_owner "$PG_BIN/initdb" -D "$dir/data" -U idp \
			--auth-local=trust --auth-host=reject -E UTF8 \
			--locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
			cat "$dir/initdb.log" >&2
			return 1
		}
		cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = ''
port = $port
unix_socket_directories = '$dir/run'
unix_socket_permissions = 0700
max_connections = 200
shared_buffers = 128MB
fsync = on
synchronous_commit = on
# Group commit: a flush covers every commit waiting for it; with five or
# more other transactions running, the flushing backend first waits 200 us
# for more to join (docs/performance.md, "Durability and group commit").
commit_delay = 200
commit_siblings = 5
log_min_messages = warning
log_line_prefix = '%m [%p] '
CONF
		[ -z "$extra" ] || printf '%s\n' "$extra" >>"$dir/data/postgresql.conf"
	fi
	pg_start "$dir" || return 1
	pg_as_owner "$PG_BIN/psql" -q -h "$dir/run" -p "$port" -U idp -d postgres \
		-tAc "SELECT 1 FROM pg_database WHERE datname = 'idp'" | grep -q 1 ||
		pg_as_owner "$PG_BIN/createdb" -h "$dir/run" -p "$port" -U idp idp
	# shellcheck disable=SC2034 # the result, read by the caller
	PG_URL=$(pg_url "$dir" "$port")
}

pg_start() {
	local dir=$1
	if pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
		return 0
	fi
	pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" \
		-w -t 60 start >/dev/null || {
		tail -20 "$dir/postgres.log" >&2
		return 1
	}
}

pg_stop() {
	local dir=$1
	[ -f "$dir/data/PG_VERSION" ] || return 0
	pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

free_port() {
	local p
	for _ in $(seq 1 100); do
		p=$((20000 + RANDOM % 30000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}
