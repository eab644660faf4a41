#!/usr/bin/env bash
# A scratch PostgreSQL cluster from Debian's packages, for the tests and benchmarks:
#   postgres.sh start DIR [PORT]   initdb (once) and start; prints the database URL on stdout
#   postgres.sh restart DIR        a fast restart (the fault tests use it)
#   postgres.sh stop DIR           stop (the cluster's files stay in DIR until it is removed)
# As root the server runs as Debian's `postgres` user (PostgreSQL refuses root); otherwise as the
# caller. Password authentication (scram-sha-256) on 127.0.0.1 only; the socket lives in DIR.
set -euo pipefail
command=${1:?usage: postgres.sh start|restart|stop DIR [PORT]}
dir=$(realpath -m "${2:?usage: postgres.sh start|restart|stop DIR [PORT]}")
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bin" ]; then
  echo "PostgreSQL is not installed (Debian: apt-get install postgresql; scripts/system-packages.sh does)" >&2
  exit 1
fi
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$command" in
  start)
    port=${3:-55432}
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then
      chown postgres: "$dir"
      if ! runuser -u postgres -- test -x "$dir"; then
        echo "$dir: the postgres user cannot reach it (a parent folder is private); use e.g. /tmp/NAME" >&2
        exit 1
      fi
    fi
    chmod 700 "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner bash -c "umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' > '$dir/password'"
      as_owner "$bin/initdb" -D "$dir/data" -U grader --auth=scram-sha-256 --pwfile="$dir/password" \
        -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
      echo "$port" > "$dir/port"
    fi
    port=$(cat "$dir/port")
    mkdir -p "$dir/socket"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir/socket"; fi
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir/socket -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
    password=$(cat "$dir/password")
    if ! PGPASSWORD=$password "$bin/psql" -h 127.0.0.1 -p "$port" -U grader -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = 'grader'" | grep -q 1; then
      PGPASSWORD=$password "$bin/createdb" -h 127.0.0.1 -p "$port" -U grader grader
    fi
    echo "postgresql://grader:$password@127.0.0.1:$port/grader"
    ;;
  restart)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 restart \
      -o "-p $(cat "$dir/port") -k $dir/socket -c listen_addresses=127.0.0.1 -c max_connections=200" >/dev/null
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null; fi
    ;;
  *)
    echo "unknown command $command" >&2
    exit 2
    ;;
esac
