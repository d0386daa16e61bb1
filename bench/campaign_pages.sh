#!/usr/bin/env bash
# The rest of the app while a campaign sends (issue 11): a demo workspace
# (BENCH_CONTACTS contacts, default 20,000) on MariaDB, `rapport serve` in
# front of it with no job workers of its own, then `rapport bench-campaign`
# sending RECIPIENTS personalised messages to postfix's smtp-sink with
# WORKERS job workers; while it sends, wrk asks each staff page in turn
# with 4 signed-in clients for BENCH_DURATION (default 10s). Prints a
# markdown table of the pages and the send's own result line.
#
#   bench/campaign_pages.sh [recipients] [workers]   (defaults: 100000 4)
set -euo pipefail
cd "$(dirname "$0")/.."
recipients="${1:-100000}"
workers="${2:-4}"
contacts="${BENCH_CONTACTS:-20000}"
duration="${BENCH_DURATION:-10s}"
url="${BENCH_MYSQL_URL:-mysql://root@127.0.0.1:3306/rapport_bench_pages}"
port="${BENCH_PORT:-18090}"
smtp_port="${BENCH_SMTP_PORT:-12527}"
pw=bench-password-2026
command -v wrk >/dev/null || { echo "bench: install wrk" >&2; exit 1; }
[ -x /usr/sbin/smtp-sink ] || { echo "bench: install postfix (for smtp-sink)" >&2; exit 1; }
[ -n "${BENCH_NO_BUILD:-}" ] || cargo build --release --quiet --bin rapport
bin="${CARGO_TARGET_DIR:-target}/release/rapport"
dir=$(mktemp -d)
db="${url##*/}"
mariadb -e "DROP DATABASE IF EXISTS \`$db\`"
export RAPPORT_DATA_DIR="$dir" RAPPORT_DATABASE_URL="$url" RAPPORT_LOG=warn
"$bin" seed-demo --contacts "$contacts" --password "$pw" >/dev/null
/usr/sbin/smtp-sink -u nobody -c "127.0.0.1:$smtp_port" 1000 >/dev/null & sink=$!
RAPPORT_BIND="127.0.0.1:$port" RAPPORT_JOB_WORKERS=0 "$bin" serve >"$dir/serve.log" 2>&1 & serve=$!
trap 'kill $sink $serve ${send:-} 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
jar="$dir/cookies"
token=$(curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$port/login" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"//')
curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "_csrf=$token" \
  --data-urlencode "email=admin@demo.rapport.test" --data-urlencode "password=$pw" "http://127.0.0.1:$port/login"
cookie=$(awk '$6 == "rapport_session" { print $6 "=" $7 }' "$jar")

RAPPORT_SMTP_URL="smtp://127.0.0.1:$smtp_port" "$bin" bench-campaign --recipients "$recipients" --workers "$workers" >"$dir/send.out" & send=$!
# Pages are asked once the send is under way.
for _ in $(seq 1 600); do
  n=$(mariadb -N -e "SELECT COUNT(*) FROM \`$db\`.campaign_recipients WHERE state = 'sent'" 2>/dev/null || echo 0)
  [ "${n:-0}" -gt 1000 ] && break
  sleep 0.5
done
campaign=$(mariadb -N -e "SELECT MAX(id) FROM \`$db\`.campaigns")
echo "| page (while sending) | req/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|"
for page in "/contacts" "/contacts?q=an" "/accounts" "/leads" "/campaigns" "/campaigns/$campaign" \
            "/campaigns/$campaign/progress" "/segments" "/tasks" "/"; do
  kill -0 $send 2>/dev/null || { echo "(the send finished before $page)"; break; }
  out=$(wrk -t1 -c4 -d"$duration" --latency -H "Cookie: $cookie" "http://127.0.0.1:$port$page")
  rps=$(echo "$out" | awk '/Requests\/sec/ { print $2 }')
  p50=$(echo "$out" | awk '$1 == "50%" { print $2 }')
  p99=$(echo "$out" | awk '$1 == "99%" { print $2 }')
  bad=$(echo "$out" | awk '/Non-2xx/ { print $5 }')
  echo "| $page | $rps | $p50 | $p99 | ${bad:-0} |"
done
sent_now=$(mariadb -N -e "SELECT COUNT(*) FROM \`$db\`.campaign_recipients WHERE state = 'sent'")
echo
echo "sent when the pages were done: $sent_now of $recipients"
wait $send
echo "send: $(cat "$dir/send.out")"
rm -rf "$dir"
