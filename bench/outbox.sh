#!/usr/bin/env bash
# Outbox throughput: `rapport bench-outbox` queues 10,000 messages through the
# outbox (as the app does, in transactions) and job workers deliver them to a
# local SMTP sink over pooled connections. Prints messages per second.
#
#   bench/outbox.sh [sqlite|mysql|both] [messages] [workers]   (defaults: both 10000 4)
#
# The sink is postfix's smtp-sink when installed (apt-get install postfix;
# fastest), else Python's aiosmtpd with its discarding Sink handler
# (apt-get install python3-aiosmtpd). MariaDB run: BENCH_MYSQL_URL, default
# mysql://root@127.0.0.1:3306/rapport_bench_outbox (dropped and re-created).
set -euo pipefail
cd "$(dirname "$0")/.."
which="${1:-both}"
messages="${2:-10000}"
workers="${3:-4}"
mysql_url="${BENCH_MYSQL_URL:-mysql://root@127.0.0.1:3306/rapport_bench_outbox}"
port="${BENCH_SMTP_PORT:-12525}"
cargo build --release --quiet
bin=target/release/rapport

if command -v smtp-sink >/dev/null || [ -x /usr/sbin/smtp-sink ]; then
  sink_name="postfix smtp-sink"
  "$(command -v smtp-sink || echo /usr/sbin/smtp-sink)" -u nobody -c "127.0.0.1:$port" 1000 >/dev/null & sink=$!
else
  sink_name="aiosmtpd Sink"
  /usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Sink >/dev/null 2>&1 & sink=$!
fi
trap 'kill $sink 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

run_backend() {
  local name="$1" url="$2" dir
  dir=$(mktemp -d)
  if [ "$name" = mysql ]; then
    local db="${url##*/}"
    mariadb -e "DROP DATABASE IF EXISTS \`$db\`" 2>/dev/null || true
  fi
  local out
  out=$(RAPPORT_DATA_DIR="$dir" RAPPORT_DATABASE_URL="$url" RAPPORT_LOG=warn \
    RAPPORT_SMTP_URL="smtp://127.0.0.1:$port" \
    "$bin" bench-outbox --messages "$messages" --workers "$workers")
  echo "| $name | $sink_name | $out |"
  rm -rf "$dir"
}

echo "| backend | sink | result |"
echo "|---|---|---|"
case "$which" in
  sqlite) run_backend sqlite "" ;;
  mysql) run_backend mysql "$mysql_url" ;;
  both) run_backend sqlite "" ; run_backend mysql "$mysql_url" ;;
esac
