#!/usr/bin/env bash
# A three-node MariaDB Galera cluster, HAProxy and several Rapport instances
# on this one machine, for scale-out tests (docs/scale-out.md).
#
#   scripts/cluster.sh up       start everything (installs galera-4, haproxy if missing)
#   scripts/cluster.sh down     stop everything, leaving no process behind
#   scripts/cluster.sh status   node states, cluster size, instances up
#
# Layout (loopback only):
#   MariaDB nodes    127.0.0.1:3311..3313   (Galera 4567/4577/4587, IST +1, SST +2)
#   HAProxy MySQL    127.0.0.1:3310          TCP, a node is in only while wsrep_local_state=4 (Synced)
#   Rapport          127.0.0.1:8081..808N    `rapport serve`, one data dir each, same secret key
#   HAProxy HTTP     127.0.0.1:8080          health check GET /readyz
#   HAProxy stats    127.0.0.1:8404/stats
#   SMTP sink        127.0.0.1:2525          aiosmtpd (tests/api/campaigns/smtp_sink.py),
#                                            every accepted message a file in sink/new/
#
# Everything lives under $RAPPORT_CLUSTER_DIR (default /work/cluster): node data
# in db1..db3/, instance data in app1..appN/, the mail the instances sent
# (outbox, campaigns, ticket replies) in sink/new/, every log in logs/.
#
# Environment:
#   RAPPORT_CLUSTER_DIR   the folder above
#   RAPPORT_BIN           the rapport binary (default: the release build under
#                         $CARGO_TARGET_DIR or target/, built if missing)
#   RAPPORT_INSTANCES     number of Rapport instances (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)

DIR=${RAPPORT_CLUSTER_DIR:-/work/cluster}
LOGS=$DIR/logs
INSTANCES=${RAPPORT_INSTANCES:-3}
NODES=3
DB_FRONT=3310
HTTP_FRONT=8080
STATS=8404
SMTP_PORT=2525
APP_DB=rapport
APP_USER=rapport
APP_PASS=rapport
CHECK_USER=clustercheck
CHECK_PASS=clustercheck
SECRET=${RAPPORT_CLUSTER_SECRET:-rapport-cluster-shared-secret-key-0123456789}
BASE_URL="http://127.0.0.1:$HTTP_FRONT"

node_port() { echo $((3310 + $1)); }
gcomm_port() { echo $((4557 + 10 * $1)); }
app_port() { echo $((8080 + $1)); }
node_sock() { echo "$DIR/db$1/mysqld.sock"; }
node_pid() { echo "$DIR/db$1/mysqld.pid"; }
app_pid() { echo "$DIR/app$1/rapport.pid"; }
HAPROXY_PID=$DIR/haproxy.pid
SINK_PID=$DIR/smtp-sink.pid

export DB_URL="mysql://$APP_USER:$APP_PASS@127.0.0.1:$DB_FRONT/$APP_DB"

say() { echo "cluster: $*" >&2; }
die() {
  say "$*"
  exit 1
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

sql() { # sql NODE STATEMENT — as root over the node's socket
  mariadb --socket="$(node_sock "$1")" -uroot -N -B -e "$2"
}

status_var() { # status_var NODE NAME
  sql "$1" "SHOW GLOBAL STATUS LIKE '$2'" 2>/dev/null | awk '{print $2}'
}

install_packages() {
  local missing=()
  [ -e /usr/lib/galera/libgalera_smm.so ] || missing+=(galera-4)
  command -v haproxy >/dev/null || missing+=(haproxy)
  command -v mariadbd >/dev/null || missing+=(mariadb-server)
  command -v mariadb >/dev/null || missing+=(mariadb-client)
  command -v rsync >/dev/null || missing+=(rsync)
  command -v curl >/dev/null || missing+=(curl)
  /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || missing+=(python3-aiosmtpd)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  # The Debian packages start their own services; this cluster does not use them.
  if command -v systemctl >/dev/null && systemctl is-active --quiet haproxy 2>/dev/null; then
    systemctl stop haproxy || true
  fi
}

rapport_bin() {
  if [ -n "${RAPPORT_BIN:-}" ]; then
    echo "$RAPPORT_BIN"
    return
  fi
  local bin="${CARGO_TARGET_DIR:-$REPO/target}/release/rapport"
  if [ ! -x "$bin" ]; then
    say "building the release binary (once)"
    cargo build --release --quiet --bin rapport >&2
  fi
  echo "$bin"
}

node_config() { # node_config N
  local n=$1 peers="" i
  for i in $(seq 1 $NODES); do peers+="${peers:+,}127.0.0.1:$(gcomm_port "$i")"; done
  local g
  g=$(gcomm_port "$n")
  cat >"$DIR/db$n/my.cnf" <<EOF
[mysqld]
user=mysql
datadir=$DIR/db$n/data
socket=$(node_sock "$n")
pid-file=$(node_pid "$n")
port=$(node_port "$n")
bind-address=127.0.0.1
log-error=$LOGS/db$n.err
skip-name-resolve
binlog_format=ROW
default_storage_engine=InnoDB
innodb_autoinc_lock_mode=2
innodb_buffer_pool_size=192M
innodb_log_file_size=64M
innodb_flush_log_at_trx_commit=2
max_connections=400
# A lock or causal-read wait ends in seconds with an error write_tx retries
# (or a 503), rather than holding a request for the defaults' 50 s / 30 s.
innodb_lock_wait_timeout=10
# Causal reads: a statement waits until this node has applied every write
# set certified before it, so a request that lands on another node than
# the one its previous request wrote through still reads that write.
wsrep_sync_wait=1
wsrep_on=ON
wsrep_provider=/usr/lib/galera/libgalera_smm.so
wsrep_cluster_name=rapport
wsrep_cluster_address=gcomm://$peers
wsrep_node_name=db$n
wsrep_node_address=127.0.0.1:$g
wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:$g;ist.recv_addr=127.0.0.1:$((g + 1));gcache.size=256M;evs.suspect_timeout=PT3S;evs.inactive_timeout=PT6S;repl.causal_read_timeout=PT5S"
wsrep_sst_method=rsync
wsrep_sst_receive_address=127.0.0.1:$((g + 2))
wsrep_slave_threads=2
wsrep_log_conflicts=ON
EOF
}

start_node() { # start_node N [--wsrep-new-cluster]
  local n=$1
  shift
  alive "$(node_pid "$n")" && return 0
  : >>"$LOGS/db$n.err"
  chown mysql:mysql "$LOGS/db$n.err"
  setsid /usr/sbin/mariadbd --defaults-file="$DIR/db$n/my.cnf" "$@" </dev/null >>"$LOGS/db$n.err" 2>&1 &
}

wait_synced() { # wait_synced N SECONDS
  local n=$1 i
  for i in $(seq 1 $(($2 * 2))); do
    [ "$(status_var "$n" wsrep_local_state 2>/dev/null)" = 4 ] && return 0
    sleep 0.5
  done
  return 1
}

db_up() {
  mkdir -p "$LOGS"
  chmod 0755 "$DIR" "$LOGS"
  local n
  for n in $(seq 1 $NODES); do
    mkdir -p "$DIR/db$n/data"
    chown -R mysql:mysql "$DIR/db$n"
    node_config "$n"
  done
  local fresh=0
  if [ ! -d "$DIR/db1/data/mysql" ]; then
    fresh=1
    say "initialising db1"
    mariadb-install-db --defaults-file="$DIR/db1/my.cnf" --user=mysql --skip-test-db \
      >>"$LOGS/db1.err" 2>&1
  fi
  # The cluster is bootstrapped from db1, which `down` stops last; after a
  # crash of the whole test cluster it is forced (this is a test cluster).
  if [ -f "$DIR/db1/data/grastate.dat" ]; then
    sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$DIR/db1/data/grastate.dat"
  fi
  say "bootstrapping db1"
  start_node 1 --wsrep-new-cluster
  wait_synced 1 60 || die "db1 did not become Synced (see $LOGS/db1.err)"
  if [ $fresh = 1 ]; then
    sql 1 "CREATE DATABASE IF NOT EXISTS $APP_DB CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
           CREATE USER IF NOT EXISTS '$APP_USER'@'127.0.0.1' IDENTIFIED BY '$APP_PASS';
           GRANT ALL PRIVILEGES ON $APP_DB.* TO '$APP_USER'@'127.0.0.1';
           CREATE USER IF NOT EXISTS '$CHECK_USER'@'127.0.0.1' IDENTIFIED BY '$CHECK_PASS';
           GRANT USAGE ON *.* TO '$CHECK_USER'@'127.0.0.1';"
  fi
  for n in $(seq 2 $NODES); do
    say "joining db$n"
    start_node "$n"
  done
  for n in $(seq 2 $NODES); do
    wait_synced "$n" 180 || die "db$n did not become Synced (see $LOGS/db$n.err)"
  done
  local size
  size=$(status_var 1 wsrep_cluster_size)
  [ "$size" = "$NODES" ] || die "cluster size is $size, expected $NODES"
  say "Galera cluster up: $NODES nodes, all Synced"
}

haproxy_config() {
  local n servers_db="" servers_app=""
  for n in $(seq 1 $NODES); do
    servers_db+="    server db$n 127.0.0.1:$(node_port "$n") check inter 1s fall 2 rise 2 on-marked-down shutdown-sessions"$'\n'
  done
  for n in $(seq 1 "$INSTANCES"); do
    servers_app+="    server app$n 127.0.0.1:$(app_port "$n") check inter 1s fall 2 rise 2"$'\n'
  done
  cat >"$DIR/wsrep-check.sh" <<EOF
#!/bin/sh
# HAProxy external check: the node answers and is Synced (wsrep_local_state 4).
state=\$(mariadb -h "\$HAPROXY_SERVER_ADDR" -P "\$HAPROXY_SERVER_PORT" -u$CHECK_USER -p$CHECK_PASS \\
  --connect-timeout=1 -N -B -e "SHOW GLOBAL STATUS LIKE 'wsrep_local_state'" 2>/dev/null | cut -f2)
[ "\$state" = 4 ]
EOF
  chmod 0755 "$DIR/wsrep-check.sh"
  cat >"$DIR/haproxy.cfg" <<EOF
global
    log stdout format raw local0 info
    maxconn 4000
    external-check
    insecure-fork-wanted

defaults
    log global
    timeout connect 2s
    timeout client 30m
    timeout server 30m
    timeout check 2s

listen mysql
    bind 127.0.0.1:$DB_FRONT
    mode tcp
    option tcplog
    balance leastconn
    option external-check
    external-check path "/usr/bin:/bin"
    external-check command $DIR/wsrep-check.sh
$servers_db
listen rapport
    bind 127.0.0.1:$HTTP_FRONT
    mode http
    option httplog
    timeout client 60s
    timeout server 60s
    balance roundrobin
    option redispatch
    retries 3
    retry-on conn-failure
    option httpchk GET /readyz
    http-check expect status 200
$servers_app
listen stats
    bind 127.0.0.1:$STATS
    mode http
    stats enable
    stats uri /stats
EOF
}

haproxy_up() {
  alive "$HAPROXY_PID" && return 0
  haproxy_config
  haproxy -c -q -f "$DIR/haproxy.cfg" || die "haproxy.cfg is invalid"
  setsid haproxy -f "$DIR/haproxy.cfg" </dev/null >>"$LOGS/haproxy.log" 2>&1 &
  echo $! >"$HAPROXY_PID"
  local i
  for i in $(seq 1 20); do
    curl -s -o /dev/null "http://127.0.0.1:$STATS/stats" && break
    sleep 0.25
  done
  say "HAProxy up: MySQL on $DB_FRONT, HTTP on $HTTP_FRONT, stats on $STATS/stats"
}

# The instances' mail server: a real SMTP server (aiosmtpd) that keeps every
# accepted message as a file with its envelope recipient, so the test counts
# messages per recipient and Message-ID at the server.
sink_up() {
  alive "$SINK_PID" && return 0
  mkdir -p "$DIR/sink"
  setsid /usr/bin/python3 "$REPO/tests/api/campaigns/smtp_sink.py" "$SMTP_PORT" "$DIR/sink" \
    </dev/null >>"$LOGS/smtp-sink.log" 2>&1 &
  echo $! >"$SINK_PID"
  local i
  for i in $(seq 1 40); do
    (exec 3<>"/dev/tcp/127.0.0.1/$SMTP_PORT") 2>/dev/null && break
    sleep 0.25
  done
  alive "$SINK_PID" || die "the SMTP sink did not start (see $LOGS/smtp-sink.log)"
  say "SMTP sink up on $SMTP_PORT (messages in $DIR/sink/new)"
}

app_env() { # app_env N: the environment of instance N
  echo RAPPORT_DATABASE_URL="$DB_URL" RAPPORT_SECRET_KEY="$SECRET" RAPPORT_BASE_URL="$BASE_URL" \
    RAPPORT_BIND="127.0.0.1:$(app_port "$1")" RAPPORT_DATA_DIR="$DIR/app$1" \
    RAPPORT_SMTP_URL="smtp://127.0.0.1:$SMTP_PORT" \
    RAPPORT_LOG="${RAPPORT_LOG:-warn}" RAPPORT_WORKERS="${RAPPORT_WORKERS:-2}" \
    RAPPORT_DB_POOL_SIZE="${RAPPORT_DB_POOL_SIZE:-12}"
}

# start_app N: starts instance N (also used by cluster-test.sh after a kill).
start_app() {
  local n=$1 bin
  bin=$(rapport_bin)
  alive "$(app_pid "$n")" && return 0
  mkdir -p "$DIR/app$n"
  # shellcheck disable=SC2046
  env $(app_env "$n") setsid "$bin" serve </dev/null >>"$LOGS/app$n.log" 2>&1 &
  echo $! >"$(app_pid "$n")"
}

wait_app() { # wait_app N SECONDS
  local i
  for i in $(seq 1 $(($2 * 4))); do
    curl -sf -o /dev/null "http://127.0.0.1:$(app_port "$1")/readyz" && return 0
    alive "$(app_pid "$1")" || return 1
    sleep 0.25
  done
  return 1
}

apps_up() {
  local bin n
  bin=$(rapport_bin)
  say "migrating once, through HAProxy (DDL runs in total order on Galera)"
  # shellcheck disable=SC2046
  env $(app_env 1) "$bin" migrate >>"$LOGS/migrate.log" 2>&1 || die "migrate failed (see $LOGS/migrate.log)"
  for n in $(seq 1 "$INSTANCES"); do start_app "$n"; done
  for n in $(seq 1 "$INSTANCES"); do
    wait_app "$n" 60 || die "instance app$n did not become ready (see $LOGS/app$n.log)"
  done
  # Until HAProxy's own checks have seen every instance up.
  local i
  for i in $(seq 1 40); do
    [ "$(curl -s "http://127.0.0.1:$STATS/stats;csv" | awk -F, '$1 == "rapport" && $2 ~ /^app/ && $18 == "UP"' | wc -l)" = "$INSTANCES" ] && break
    sleep 0.25
  done
  say "$INSTANCES Rapport instances up behind $BASE_URL"
}

stop_pid() { # stop_pid PIDFILE SECONDS
  local f=$1 pid i
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 $(($2 * 4))); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.25
    done
    if kill -0 "$pid" 2>/dev/null; then
      say "pid $pid did not stop; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$f"
}

stop_app() { stop_pid "$(app_pid "$1")" 15; }

down() {
  local n
  # The balancer first: its idle keep-alive connections would hold an
  # instance's graceful shutdown.
  stop_pid "$HAPROXY_PID" 5
  for n in $(seq 1 9); do stop_app "$n"; done
  stop_pid "$SINK_PID" 5
  # db1 last: it is the node `up` bootstraps from.
  for n in $(seq $NODES -1 1); do
    if alive "$(node_pid "$n")"; then
      mariadb-admin --socket="$(node_sock "$n")" -uroot shutdown 2>/dev/null || true
    fi
    stop_pid "$(node_pid "$n")" 60
  done
  say "down"
}

status() {
  local n code=0
  printf '%-6s %-6s %-10s %-8s %s\n' node port state size status
  for n in $(seq 1 $NODES); do
    if alive "$(node_pid "$n")"; then
      printf '%-6s %-6s %-10s %-8s %s\n' "db$n" "$(node_port "$n")" \
        "$(status_var "$n" wsrep_local_state_comment)" "$(status_var "$n" wsrep_cluster_size)" \
        "$(status_var "$n" wsrep_cluster_status)"
    else
      printf '%-6s %-6s %s\n' "db$n" "$(node_port "$n")" down
      code=1
    fi
  done
  printf '\n%-6s %-6s %s\n' app port readyz
  for n in $(seq 1 "$INSTANCES"); do
    local r=down
    if alive "$(app_pid "$n")"; then
      r=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(app_port "$n")/readyz" || true)
    else
      code=1
    fi
    printf '%-6s %-6s %s\n' "app$n" "$(app_port "$n")" "$r"
  done
  if alive "$SINK_PID"; then
    echo "smtp sink: up (pid $(cat "$SINK_PID")), $(find "$DIR/sink/new" -type f 2>/dev/null | wc -l) messages received"
  else
    echo "smtp sink: down"
    code=1
  fi
  echo
  if alive "$HAPROXY_PID"; then
    echo "haproxy: up (pid $(cat "$HAPROXY_PID")); backends seen by its checks:"
    curl -s "http://127.0.0.1:$STATS/stats;csv" | awk -F, '$1 ~ /^(mysql|rapport)$/ && $2 !~ /FRONTEND|BACKEND/ { printf "  %-8s %-6s %s\n", $1, $2, $18 }'
  else
    echo "haproxy: down"
    code=1
  fi
  return $code
}

case "${1:-}" in
  up)
    [ "$(id -u)" = 0 ] || die "run as root (the nodes run as the mysql user)"
    install_packages
    mkdir -p "$DIR"
    db_up
    haproxy_up
    sink_up
    apps_up
    status || true
    ;;
  down) down ;;
  status) status ;;
  db-up)
    install_packages
    mkdir -p "$DIR"
    db_up
    haproxy_up
    ;;
  start-app) start_app "$2" && wait_app "$2" 60 ;;
  stop-app) stop_app "$2" ;;
  start-node) start_node "$2" && wait_synced "$2" 180 ;;
  *)
    echo "usage: $0 up|down|status" >&2
    exit 2
    ;;
esac
