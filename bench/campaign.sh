#!/usr/bin/env bash
# Campaign throughput: `rapport bench-campaign` adds N subscribed contacts,
# freezes a personalised campaign's audience into the ledger and lets the job
# workers send it to a local SMTP sink (rate limit off). Prints emails per
# second and the process's peak memory.
#
#   bench/campaign.sh [sqlite|mysql|both] [recipients] [workers]   (defaults: sqlite 100000 2)
#
# The sink is postfix's smtp-sink when installed, else the tests' aiosmtpd
# sink in null mode (tests/api/campaigns/smtp_sink.py PORT -).
set -euo pipefail
cd "$(dirname "$0")/.."
which="${1:-sqlite}"
recipients="${2:-100000}"
workers="${3:-2}"
mysql_url="${BENCH_MYSQL_URL:-mysql://root@127.0.0.1:3306/rapport_bench_campaign}"
port="${BENCH_SMTP_PORT:-12526}"
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/rapport"

if command -v smtp-sink >/dev/null || [ -x /usr/sbin/smtp-sink ]; then
  sink_name="postfix smtp-sink"
  "$(command -v smtp-sink || echo /usr/sbin/smtp-sink)" -u nobody -c "127.0.0.1:$port" 1000 >/dev/null & sink=$!
else
  sink_name="aiosmtpd null sink"
  /usr/bin/python3 tests/api/campaigns/smtp_sink.py "$port" - >/dev/null 2>&1 & sink=$!
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
    "$bin" bench-campaign --recipients "$recipients" --workers "$workers")
  echo "| $name | $sink_name | $recipients | $out |"
  rm -rf "$dir"
}

echo "| backend | sink | recipients | result |"
echo "|---|---|---|---|"
case "$which" in
  sqlite) run_backend sqlite "" ;;
  mysql) run_backend mysql "$mysql_url" ;;
  both) run_backend sqlite "" ; run_backend mysql "$mysql_url" ;;
esac
