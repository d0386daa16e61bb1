#!/usr/bin/env bash
# Load benchmark of every staff page (bench/pages.txt: each list with each
# sort and filter, searches, details, duplicates, tasks, admin) at 100,000
# contacts (20,000 accounts, 500,000 timeline entries), 16 concurrent
# signed-in clients, on SQLite and on MariaDB. Prints a markdown table.
#
#   bench/run.sh [sqlite|mysql|both] [contacts] [filter]   (defaults: both 100000, all pages)
#
# `filter` keeps the pages whose label contains it (e.g. "search").
# BENCH_CLIENTS sets the concurrent clients (default 16); BENCH_WARM=1
# requests each page once before measuring it.
#
# Tickets: BENCH_TICKETS tickets (default one per contact, five messages
# each on average) are seeded too.
# Orders: BENCH_ORDERS quotes and orders are seeded (default two per
# contact: 200,000 at 100,000 contacts, ~1,000,000 lines); BENCH_RECALC=1
# also measures the line editor's recalculation round trip.
#
# BENCH_REUSE=1 (MariaDB) or BENCH_REUSE=<data dir> (SQLite) benches a data
# set seeded before instead of seeding; BENCH_PASSWORD is its demo users'
# password when it was seeded with another than the default. BENCH_NO_BUILD=1
# measures the release binaries already built instead of building first.
#
# Needs: wrk (apt-get install wrk), a MariaDB server for the mysql run
# (BENCH_MYSQL_URL, default mysql://root@127.0.0.1:3306/rapport_bench; the
# database is dropped and re-created).
set -euo pipefail
cd "$(dirname "$0")/.."
which="${1:-both}"
contacts="${2:-100000}"
only="${3:-}"
duration="${BENCH_DURATION:-15s}"
mysql_url="${BENCH_MYSQL_URL:-mysql://root@127.0.0.1:3306/rapport_bench}"
port="${BENCH_PORT:-18080}"
# Concurrent signed-in clients per page (Insights' target is stated for 4).
clients="${BENCH_CLIENTS:-16}"
command -v wrk >/dev/null || { echo "bench: install wrk (apt-get install wrk)" >&2; exit 1; }
# BENCH_NO_BUILD=1: measure the release binaries already built (as they are).
[ -n "${BENCH_NO_BUILD:-}" ] || cargo build --release --quiet --bin rapport --example bench_moves --example bench_recalc
bin="${CARGO_TARGET_DIR:-target}/release/rapport"
pw="${BENCH_PASSWORD:-bench-password-2026}"

run_backend() {
  local name="$1" url="$2" dir
  # BENCH_REUSE=<data dir> (SQLite: a dir holding rapport.db) or BENCH_REUSE=1
  # (MariaDB): measure the data already there instead of seeding afresh.
  local reuse="${BENCH_REUSE:-}"
  if [ -n "$reuse" ] && [ "$name" = sqlite ]; then dir="$reuse"; else dir=$(mktemp -d); fi
  export RAPPORT_DATA_DIR="$dir" RAPPORT_DATABASE_URL="$url" RAPPORT_LOG=warn RAPPORT_BIND="127.0.0.1:$port"
  if [ "$name" = mysql ]; then
    local db="${url##*/}"
    [ -n "$reuse" ] || mariadb -e "DROP DATABASE IF EXISTS \`$db\`" 2>/dev/null || true
    # A database server is given memory for its working set: the 100k data
    # set is ~370 MiB of rows and indexes, MariaDB's default pool 128 MiB.
    local pool
    pool=$(mariadb -N -e "SELECT @@innodb_buffer_pool_size" 2>/dev/null || echo 0)
    if [ "${pool:-0}" -lt 1073741824 ]; then
      mariadb -e "SET GLOBAL innodb_buffer_pool_size = 1073741824" 2>/dev/null || true
    fi
  fi
  local seeded
  if [ -n "$reuse" ]; then
    seeded="data already there (BENCH_REUSE)"
  else
    seeded=$($bin seed-demo --contacts "$contacts" ${BENCH_DEALS:+--deals "$BENCH_DEALS"} --orders "${BENCH_ORDERS:-$((contacts * 2))}" --tickets "${BENCH_TICKETS:-$contacts}" --password "$pw")
  fi
  $bin serve & local pid=$!
  trap 'kill $pid 2>/dev/null || true' RETURN
  for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done

  local jar="$dir/cookies" token
  token=$(curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$port/login" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"//')
  curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "_csrf=$token" \
    --data-urlencode "email=admin@demo.rapport.test" --data-urlencode "password=$pw" "http://127.0.0.1:$port/login"
  local cookie
  cookie=$(awk '$6 == "rapport_session" { print $6 "=" $7 }' "$jar")
  local contact=$((contacts / 2)) account=$((contacts / 10)) owner
  # A sales rep's id, from the owner filter menu.
  owner=$(curl -s -H "Cookie: $cookie" "http://127.0.0.1:$port/contacts" \
    | grep -o '<option value="[0-9]*"[^>]*>Sam[^<]*' | head -1 | sed 's/<option value="//;s/".*//')
  owner="${owner:-2}"
  # A deal of the middle, and the board's first "load more" link.
  local deal more
  deal=$(( ${BENCH_DEALS:-$((contacts / 5))} / 2 ))
  more=$(curl -s -H "Cookie: $cookie" "http://127.0.0.1:$port/leads" \
    | grep -o 'class="load-more"><a href="[^"]*"' | head -1 | sed 's/.*href="//;s/"$//;s/&amp;/\&/g;s/&#38;/\&/g' || true)
  # An order of the middle, a sent quote's public link, the last 30 days.
  local order quote quote_link today month_ago
  order=$(( ${BENCH_ORDERS:-$((contacts * 2))} / 2 )); order=$(( order > 0 ? order : 1 ))
  quote=$(curl -s -H "Cookie: $cookie" "http://127.0.0.1:$port/orders?status=sent" \
    | grep -o 'href="/orders/[0-9]*"' | head -1 | grep -o '[0-9][0-9]*' || true)
  quote_link=$(curl -s -H "Cookie: $cookie" "http://127.0.0.1:$port/orders/${quote:-0}" \
    | grep -o '/q/[A-Za-z0-9_-]*' | head -1 || true)
  quote_link="${quote_link:-/q/none}"
  today=$(date -u +%F); month_ago=$(date -u -d '30 days ago' +%F)
  # A ticket of the middle and its customer page.
  local ticket ticket_link
  ticket=$(( ${BENCH_TICKETS:-$contacts} / 2 )); ticket=$(( ticket > 0 ? ticket : 1 ))
  ticket_link=$(curl -s -H "Cookie: $cookie" "http://127.0.0.1:$port/tickets/$ticket" \
    | grep -o '/t/[A-Za-z0-9_-]*' | head -1 || true)
  ticket_link="${ticket_link:-/t/none}"
  echo "<!-- $name: $seeded -->"
  local line label path out
  while IFS= read -r line; do
    case "$line" in ''|'#'*) continue ;; esac
    label="${line%%|*}" path="${line#*|}"
    [ -n "$only" ] && [[ "$label" != *"$only"* ]] && continue
    path="${path//\{contact\}/$contact}"; path="${path//\{account\}/$account}"; path="${path//\{owner\}/$owner}"
    path="${path//\{deal\}/"$deal"}"; path="${path//\{more\}/"$more"}"
    path="${path//\{order\}/"$order"}"; path="${path//\{quote_link\}/"$quote_link"}"
    path="${path//\{today\}/"$today"}"; path="${path//\{month_ago\}/"$month_ago"}"
    path="${path//\{ticket\}/"$ticket"}"; path="${path//\{ticket_link\}/"$ticket_link"}"
    # "deep:N:" — follow the list's Next link N times (keyset cursors) first.
    if [[ "$path" == deep:* ]]; then
      local hops="${path#deep:}"; hops="${hops%%:*}"; path="${path#deep:*:}"
      for _ in $(seq 1 "$hops"); do
        path=$(curl -s -H "Cookie: $cookie" "http://127.0.0.1:$port$path" \
          | grep -o '<a href="[^"]*"[^>]*rel="next"' | head -1 | sed 's/<a href="//;s/".*//;s/&amp;/\&/g;s/&#38;/\&/g')
        [ -n "$path" ] || break
      done
    fi
    # BENCH_WARM=1: one request first, so the figures are the steady state
    # (a page's first build, its caches cold, is then measured apart).
    [ -z "${BENCH_WARM:-}" ] || curl -s -o /dev/null -H "Cookie: $cookie" "http://127.0.0.1:$port$path"
    out=$(wrk -t1 -c"$clients" -d"$duration" --latency -H "Cookie: $cookie" "http://127.0.0.1:$port$path")
    local rps p50 p99 non2xx
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
    echo "| $name | $label | \`$path\` | $rps | $p50 | $p99 | ${non2xx:-0} |"
  done < bench/pages.txt
  # Card moves (BENCH_MOVES=1): 16 clients moving their own cards on the
  # default pipeline's board, each answered with the re-rendered board.
  if [ -n "${BENCH_MOVES:-}" ]; then
    local csrf pipeline secs="${duration%s}"
    csrf=$(curl -s -H "Cookie: $cookie" "http://127.0.0.1:$port/leads" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"//' || true)
    pipeline=$(curl -s -H "Cookie: $cookie" "http://127.0.0.1:$port/leads" | grep -o 'data-pipeline-id="[0-9]*"' | head -1 | grep -o '[0-9][0-9]*' || true)
    out=$("${CARGO_TARGET_DIR:-target}/release/examples/bench_moves" "${url:-sqlite://$dir/rapport.db}" "http://127.0.0.1:$port" "$cookie" "$csrf" "${pipeline:-1}" 16 "$secs")
    echo "<!-- $name: $out -->"
    awk -v n="$name" '{ for (i = 1; i <= NF; i++) { if ($i == "req/s,") r = $(i-1); if ($i == "p50") p50 = $(i+1); if ($i == "p99") p99 = $(i+1); if ($i == "failed") f = $(i+1) } }
      END { print "| " n " | leads: card move (htmx, board re-rendered) | `POST /leads/{id}/move` | " r " | " p50 "ms | " p99 "ms | " f " |" }' <<<"$out"
  fi
  # The line editor's round trip (BENCH_RECALC=1): 16 clients posting the
  # five-line editor form to /orders/recalc with view=totals.
  if [ -n "${BENCH_RECALC:-}" ]; then
    local rcsrf secs="${duration%s}"
    rcsrf=$(curl -s -H "Cookie: $cookie" "http://127.0.0.1:$port/orders/new" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"//' || true)
    out=$("${CARGO_TARGET_DIR:-target}/release/examples/bench_recalc" "http://127.0.0.1:$port" "$cookie" "$rcsrf" 16 "$secs")
    echo "<!-- $name: $out -->"
    awk -v n="$name" '{ for (i = 1; i <= NF; i++) { if ($i == "req/s,") r = $(i-1); if ($i == "p50") p50 = $(i+1); if ($i == "p99") p99 = $(i+1); if ($i == "failed") f = $(i+1) } }
      END { print "| " n " | orders: line edit recalc (htmx, view=totals) | `POST /orders/recalc` | " r " | " p50 "ms | " p99 "ms | " f " |" }' <<<"$out"
  fi
  kill $pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
  [ -n "$reuse" ] || rm -rf "$dir"
}

echo "| backend | page | path | req/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|---|---|"
case "$which" in
  sqlite) run_backend sqlite "" ;;
  mysql) run_backend mysql "$mysql_url" ;;
  both) run_backend sqlite "" ; run_backend mysql "$mysql_url" ;;
esac
