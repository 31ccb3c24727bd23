#!/usr/bin/env bash
# A private PostgreSQL cluster for the PostgreSQL run of the test suite: its own data directory and port on loopback,
# started and stopped by .ci/run (and by hand). Installs PostgreSQL from apt when the machine lacks it.
#   deploy/test-postgres.sh up     -> prints the connection string on stdout
#   deploy/test-postgres.sh down
set -euo pipefail
port=${TEST_PG_PORT:-55432}
dir=${TEST_PG_DIR:-/tmp/deliberation-test-pg}
log() { printf '[pg] %s\n' "$*" >&2; }

bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  [ -n "$d" ] && echo "$d"
}

as_owner() {
  # PostgreSQL will not run as root: run its tools as the 'postgres' account apt creates.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  up)
    if [ -z "$(bindir)" ]; then
      log "installing postgresql from apt"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >&2 && apt-get install -y -qq postgresql postgresql-contrib >/dev/null
    fi
    bin=$(bindir)
    if [ -f "$dir/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
      log "already running on port $port"
    else
      rm -rf "$dir"
      mkdir -p "$dir"
      [ "$(id -u)" = 0 ] && chown postgres: "$dir"
      as_owner "$bin/initdb" -D "$dir" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
      # Tests make and drop many short-lived databases: durability is not what this cluster is for.
      as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" start >/dev/null
      log "started on 127.0.0.1:$port ($dir)"
    fi
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Include Error Detail=true"
    ;;
  down)
    bin=$(bindir)
    if [ -n "$bin" ] && [ -f "$dir/postmaster.pid" ]; then
      as_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null || true
      log "stopped"
    fi
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
