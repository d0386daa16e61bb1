#!/usr/bin/env bash
# Rapport's 100-row contact list against a bare actix-web + askama + diesel
# page of the same rows and count (examples/bare_list.rs), same data, same
# load (wrk, 16 connections), one after the other in the same run.
# Target: Rapport serves at least 0.6x the bare page's requests per second.
#
#   bench/bare.sh [sqlite|mysql] [contacts]     (defaults: mysql 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
which="${1:-mysql}"
contacts="${2:-10000}"
duration="${BENCH_DURATION:-15s}"
page="${BENCH_PAGE_100:-/contacts?per_page=100}"
port="${BENCH_PORT:-18090}"
bare_port=$((port + 1))
command -v wrk >/dev/null || { echo "bench: install wrk (apt-get install wrk)" >&2; exit 1; }
cargo build --release --quiet --bin rapport --example bare_list
bin="${CARGO_TARGET_DIR:-target}/release/rapport"
bare="${CARGO_TARGET_DIR:-target}/release/examples/bare_list"
pw="bench-password-2026"
dir=$(mktemp -d)
if [ "$which" = mysql ]; then
  url="${BENCH_MYSQL_URL:-mysql://root@127.0.0.1:3306/rapport_bench_bare}"
  mariadb -e "DROP DATABASE IF EXISTS \`${url##*/}\`" 2>/dev/null || true
else
  url="sqlite://$dir/rapport.db"
fi
export RAPPORT_DATA_DIR="$dir" RAPPORT_DATABASE_URL="$url" RAPPORT_LOG=warn RAPPORT_BIND="127.0.0.1:$port"
$bin seed-demo --contacts "$contacts" --password "$pw" >/dev/null
$bin serve & app=$!
$bare "$url" "127.0.0.1:$bare_port" 100 & ref=$!
trap 'kill $app $ref 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && curl -sf -o /dev/null "http://127.0.0.1:$bare_port/contacts" && break; sleep 0.2; done
jar="$dir/cookies"
token=$(curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$port/login" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"//')
curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "_csrf=$token" \
  --data-urlencode "email=admin@demo.rapport.test" --data-urlencode "password=$pw" "http://127.0.0.1:$port/login"
cookie=$(awk '$6 == "rapport_session" { print $6 "=" $7 }' "$jar")
rows=$(curl -s -H "Cookie: $cookie" "http://127.0.0.1:$port$page" | grep -c '<tr' || true)
echo "<!-- $which, $contacts contacts; Rapport's page shows $((rows - 1)) rows -->"
measure() {
  local out
  out=$(wrk -t1 -c16 -d"$duration" --latency "$@")
  echo "$(awk '/Requests\/sec/ {print $2}' <<<"$out") $(awk '$1 == "99%" {print $2}' <<<"$out")"
}
read -r app_rps app_p99 < <(measure -H "Cookie: $cookie" "http://127.0.0.1:$port$page")
read -r bare_rps bare_p99 < <(measure "http://127.0.0.1:$bare_port/contacts")
echo "| page | req/s | p99 |"
echo "|---|---|---|"
echo "| Rapport \`$page\` | $app_rps | $app_p99 |"
echo "| bare actix-web + askama + diesel, same rows and count | $bare_rps | $bare_p99 |"
awk -v a="$app_rps" -v b="$bare_rps" 'BEGIN { printf "ratio: %.2f (target >= 0.60)\n", a / b }'
