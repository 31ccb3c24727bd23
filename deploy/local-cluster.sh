#!/usr/bin/env bash
# Several instances on loopback (ADR 0022): PostgreSQL, Redis, two app instances and nginx in front of them.
#   deploy/local-cluster.sh up        build the app, start everything, print the address (http://127.0.0.1:8088)
#   deploy/local-cluster.sh down      stop everything and delete the cluster's data
#   deploy/local-cluster.sh status    what runs
#   deploy/local-cluster.sh kill N    kill -9 app instance N (1 or 2), as a crash would
#   deploy/local-cluster.sh start N   start app instance N again (after a kill)
#   deploy/local-cluster.sh restart-redis | restart-postgres   (or stop-redis/start-redis, stop-postgres/start-postgres)
# Installs postgresql, redis-server and nginx from apt when missing (as root). Ports and folder can be changed:
#   CLUSTER_DIR (/tmp/deliberation-cluster), CLUSTER_PORT (nginx, 8088), CLUSTER_PG_PORT (55433),
#   CLUSTER_REDIS_PORT (56379), CLUSTER_APP_PORTS ("5101 5102"), CLUSTER_DEMO (1: load the demo data on first start),
#   CLUSTER_CONFIGURATION (Release), CLUSTER_NO_BUILD (1: use the existing build output),
#   CLUSTER_APP_SETTINGS (extra "Key__Name=value" settings for both instances, space-separated),
#   CLUSTER_DB (postgresql; "sqlite": one instance on a SQLite file behind nginx, no Redis — set CLUSTER_APP_PORTS to one port).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${CLUSTER_DIR:-/tmp/deliberation-cluster}
port=${CLUSTER_PORT:-8088}
pg_port=${CLUSTER_PG_PORT:-55433}
redis_port=${CLUSTER_REDIS_PORT:-56379}
read -r -a app_ports <<< "${CLUSTER_APP_PORTS:-5101 5102}"
configuration=${CLUSTER_CONFIGURATION:-Release}
db=${CLUSTER_DB:-postgresql}
dll="$root/src/App/bin/$configuration/net10.0/CommunityDeliberation.App.dll"
log() { printf '[cluster] %s\n' "$*" >&2; }

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true; }
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
nginx_bin() { command -v nginx 2>/dev/null || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true; }

install_missing() {
  local missing=()
  [ -n "$(pg_bin)" ] || missing+=(postgresql postgresql-contrib)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  [ -n "$(nginx_bin)" ] || missing+=(nginx)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]} from apt"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

wait_for() { # url seconds
  local deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.3
  done
}

connection_string() { echo "Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=deliberation;Maximum Pool Size=60"; }

pg_up() {
  local bin; bin=$(pg_bin)
  if [ -f "$dir/pg/postmaster.pid" ] && as_postgres "$bin/pg_ctl" -D "$dir/pg" status >/dev/null 2>&1; then return; fi
  if [ ! -f "$dir/pg/PG_VERSION" ]; then
    mkdir -p "$dir/pg"; [ "$(id -u)" = 0 ] && chown postgres: "$dir/pg"
    as_postgres "$bin/initdb" -D "$dir/pg" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  fi
  # Durable (fsync and synchronous_commit on, the defaults): the fault tests count on every acknowledged ballot.
  as_postgres "$bin/pg_ctl" -D "$dir/pg" -l "$dir/pg/server.log" -w \
    -o "-p $pg_port -k $dir/pg -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
  as_postgres "$bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='deliberation'" | grep -q 1 \
    || as_postgres "$bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres deliberation
  log "PostgreSQL on 127.0.0.1:$pg_port"
}

pg_down() {
  local bin; bin=$(pg_bin)
  [ -n "$bin" ] && [ -f "$dir/pg/postmaster.pid" ] && as_postgres "$bin/pg_ctl" -D "$dir/pg" -m "${1:-fast}" -w stop >/dev/null 2>&1 || true
}

redis_up() {
  if [ -f "$dir/redis.pid" ] && kill -0 "$(cat "$dir/redis.pid")" 2>/dev/null; then return; fi
  # No persistence: Redis carries only live messages here, nothing that must survive it.
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" \
    --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
  local deadline=$((SECONDS + 10))
  until redis-cli -p "$redis_port" ping >/dev/null 2>&1; do [ $SECONDS -lt $deadline ] || { log "redis did not start"; return 1; }; sleep 0.1; done
  log "Redis on 127.0.0.1:$redis_port"
}

redis_down() {
  if [ -f "$dir/redis.pid" ]; then kill "$(cat "$dir/redis.pid")" 2>/dev/null || true; rm -f "$dir/redis.pid"; fi
  sleep 0.2
}

secrets() {
  local file="$dir/secrets.env"
  if [ ! -f "$file" ]; then
    umask 077
    {
      for key in SessionLog__SigningKey DataProtection__KeyEncryptionSecret Voting__BallotSealingKey \
                 Topics__SourceKeySecret Hearings__IdentityKeySecret; do
        echo "$key=$(head -c 32 /dev/urandom | base64)"
      done
    } > "$file"
  fi
  cat "$file"
}

app_start() { # instance number (1-based)
  local n=$1 p=${app_ports[$(($1 - 1))]}
  if [ -f "$dir/app$n.pid" ] && kill -0 "$(cat "$dir/app$n.pid")" 2>/dev/null; then return; fi
  local -a env=(
    ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$p"
    Database__SeedFolder="$root/seeds"
    AllowedHosts="127.0.0.1;localhost"
    ForwardedHeaders__KnownProxies__0=127.0.0.1
    Logging__LogLevel__Default=Warning
  )
  if [ "$db" = sqlite ]; then
    # One instance only: a SQLite file has one writer process (ADR 0021); WAL and SQLite's default synchronous=FULL.
    env+=(Database__Provider=Sqlite Database__SqlitePath="$dir/deliberation.db")
  else
    env+=(Database__Provider=PostgreSql Database__ConnectionString="$(connection_string)" Realtime__Redis="127.0.0.1:$redis_port")
  fi
  # The demo data once, by the first instance on a new database (the seed is not meant to run twice at once).
  if [ "${CLUSTER_DEMO:-1}" = 1 ] && [ ! -f "$dir/seeded" ] && [ "$n" = 1 ]; then env+=(Database__LoadDemoData=true); fi
  while IFS= read -r line; do env+=("$line"); done < <(secrets)
  # Extra settings for both instances, e.g. the limits a load or fault run from one address needs lifted.
  [ -n "${CLUSTER_APP_SETTINGS:-}" ] && read -r -a extra <<< "$CLUSTER_APP_SETTINGS" && env+=("${extra[@]}")
  (cd "$root/src/App" && exec env "${env[@]}" setsid dotnet "$dll" --contentRoot "$root/src/App" >>"$dir/app$n.log" 2>&1) &
  echo $! > "$dir/app$n.pid"
  if ! wait_for "http://127.0.0.1:$p/health/ready" 120; then
    log "instance $n did not become ready; see $dir/app$n.log"; tail -20 "$dir/app$n.log" >&2; return 1
  fi
  [ "$n" = 1 ] && touch "$dir/seeded"
  log "instance $n on 127.0.0.1:$p (pid $(cat "$dir/app$n.pid"))"
}

app_stop() { # instance number, signal
  local n=$1
  if [ -f "$dir/app$n.pid" ]; then
    kill "-${2:-TERM}" "$(cat "$dir/app$n.pid")" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$(cat "$dir/app$n.pid")" 2>/dev/null || break; sleep 0.1; done
    rm -f "$dir/app$n.pid"
  fi
}

nginx_conf() {
  local servers="" p
  for p in "${app_ports[@]}"; do servers+="    server 127.0.0.1:$p max_fails=1 fail_timeout=5s;"$'\n'; done
  mkdir -p "$dir/nginx/tmp"
  cat > "$dir/nginx/nginx.conf" <<CONF
# Written by deploy/local-cluster.sh (ADR 0022).
worker_processes 1;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/nginx/tmp/body;
  proxy_temp_path $dir/nginx/tmp/proxy;
  fastcgi_temp_path $dir/nginx/tmp/fastcgi;
  uwsgi_temp_path $dir/nginx/tmp/uwsgi;
  scgi_temp_path $dir/nginx/tmp/scgi;
  client_max_body_size 10m;

  # Sticky routing for Blazor circuits and hub connections: a browser keeps its random cd_route cookie, and the
  # same cookie always hashes to the same live instance (open-source nginx has no sticky-cookie module).
  map \$cookie_cd_route \$cd_route { "" \$request_id; default \$cookie_cd_route; }
  map \$cookie_cd_route \$cd_route_cookie { "" "cd_route=\$request_id; Path=/; HttpOnly; SameSite=Lax"; default ""; }
  map \$http_upgrade \$connection_upgrade { default upgrade; "" close; }

  upstream deliberation {
    hash \$cd_route consistent;
$servers  }

  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass http://deliberation;
      proxy_http_version 1.1;
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header Upgrade \$http_upgrade;
      proxy_set_header Connection \$connection_upgrade;
      proxy_read_timeout 1h;
      proxy_buffering off;
      # Passive failover (open-source nginx has no active health checks): a refused or timed-out connection marks
      # the instance failed for fail_timeout (max_fails=1) and the request goes to the other one, once; the browser's
      # circuit and the hub clients reconnect there. Only idempotent requests are repeated: without
      # "non_idempotent" a POST goes to the other instance only when it never reached the first (connection
      # refused), never after it was sent (a ballot is re-sent by its client, with its key). Not http_503: the app answers 503 only while the database is out of reach, the same for every
      # instance; retrying it elsewhere helps nobody, and counting it would mark every instance failed, so the next
      # requests would get nginx's own 502 "no live upstreams" instead of the app's reconnecting page.
      proxy_next_upstream error timeout http_502;
      proxy_next_upstream_tries 2;
      proxy_connect_timeout 2s;
      add_header Set-Cookie \$cd_route_cookie always;
    }
  }
}
CONF
}

nginx_up() {
  nginx_conf
  local bin; bin=$(nginx_bin)
  if [ -f "$dir/nginx/nginx.pid" ] && kill -0 "$(cat "$dir/nginx/nginx.pid")" 2>/dev/null; then
    "$bin" -p "$dir/nginx" -c "$dir/nginx/nginx.conf" -s reload
  else
    "$bin" -p "$dir/nginx" -c "$dir/nginx/nginx.conf" -g "user $(id -un);"
  fi
  wait_for "http://127.0.0.1:$port/health/live" 10 || { log "nginx does not answer on $port"; return 1; }
  log "nginx on http://127.0.0.1:$port"
}

nginx_down() {
  local bin; bin=$(nginx_bin)
  if [ -n "$bin" ] && [ -f "$dir/nginx/nginx.pid" ]; then "$bin" -p "$dir/nginx" -c "$dir/nginx/nginx.conf" -s stop 2>/dev/null || true; fi
}

case "${1:-}" in
  up)
    install_missing
    mkdir -p "$dir"
    if [ "${CLUSTER_NO_BUILD:-0}" != 1 ]; then
      log "building the app ($configuration)"
      dotnet build "$root/src/App/App.csproj" -c "$configuration" -v q -nologo >&2
    fi
    [ -f "$dll" ] || { log "$dll is missing"; exit 1; }
    if [ "$db" != sqlite ]; then pg_up; redis_up; fi
    # One after the other: the first applies the migrations (and the demo data), the second finds them done.
    for i in "${!app_ports[@]}"; do app_start $((i + 1)); done
    nginx_up
    echo "http://127.0.0.1:$port"
    ;;
  down)
    nginx_down
    for i in "${!app_ports[@]}"; do app_stop $((i + 1)); done
    redis_down
    pg_down
    rm -rf "$dir"
    log "stopped"
    ;;
  status)
    for i in "${!app_ports[@]}"; do
      n=$((i + 1)); state=down
      [ -f "$dir/app$n.pid" ] && kill -0 "$(cat "$dir/app$n.pid")" 2>/dev/null && state="up (pid $(cat "$dir/app$n.pid"))"
      # /health/ready asks the database: an instance can be up and still not ready (database unreachable).
      if [ "$state" != down ]; then
        curl -fsS -o /dev/null --max-time 5 "http://127.0.0.1:${app_ports[$i]}/health/ready" 2>/dev/null && state+=", ready" || state+=", NOT ready (/health/ready fails)"
      fi
      echo "instance $n 127.0.0.1:${app_ports[$i]} $state"
    done
    redis-cli -p "$redis_port" ping >/dev/null 2>&1 && echo "redis 127.0.0.1:$redis_port up" || echo "redis down"
    [ -n "$(pg_bin)" ] && as_postgres "$(pg_bin)/pg_ctl" -D "$dir/pg" status >/dev/null 2>&1 && echo "postgresql 127.0.0.1:$pg_port up" || echo "postgresql down"
    curl -fsS -o /dev/null "http://127.0.0.1:$port/health/live" 2>/dev/null && echo "nginx http://127.0.0.1:$port up" || echo "nginx down"
    ;;
  kill) app_stop "${2:?instance number}" KILL; log "instance $2 killed" ;;
  start) app_start "${2:?instance number}" ;;
  restart-redis) redis_down; redis_up ;;
  restart-postgres) pg_down fast; pg_up ;;
  stop-redis) redis_down ;;
  start-redis) redis_up ;;
  stop-postgres) pg_down fast ;;
  start-postgres) pg_up ;;
  *) echo "usage: $0 up|down|status|kill N|start N|restart-redis|restart-postgres|stop-/start-redis|stop-/start-postgres" >&2; exit 2 ;;
esac
