#!/usr/bin/env bash
# Runs every test of Rapport: formatting and lints, unit tests, the HTTP
# integration suite on SQLite and on MariaDB, and the headless-Chromium
# journeys on both. Installs what it needs (MariaDB server, Chromium and
# ChromeDriver, libmariadb-dev) and starts MariaDB if none is running.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
rapport_install_packages libmariadb-dev pkg-config mariadb-server mariadb-client chromium chromium-driver fonts-wqy-microhei python3-aiosmtpd python3-dkim openssl dovecot-imapd

# --- MariaDB: use one already running, else start the local server.
mysql_up() { mariadb-admin ping --silent >/dev/null 2>&1; }
if ! mysql_up; then
  echo "rapport: starting MariaDB" >&2
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
  if [ ! -d /var/lib/mysql/mysql ]; then
    mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
  fi
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql 2>/dev/null \
    || service mariadb start
  for _ in $(seq 1 60); do mysql_up && break; sleep 0.5; done
  mysql_up || { echo "rapport: MariaDB did not start" >&2; exit 1; }
fi
# A dedicated account that may create and drop only rapport_t_* databases
# (root may use unix-socket auth only, which TCP clients cannot use).
mariadb -e "CREATE USER IF NOT EXISTS 'rapport_test'@'localhost' IDENTIFIED BY 'rapport_test';
            CREATE USER IF NOT EXISTS 'rapport_test'@'127.0.0.1' IDENTIFIED BY 'rapport_test';
            GRANT ALL PRIVILEGES ON \`rapport\\_t\\_%\`.* TO 'rapport_test'@'localhost';
            GRANT ALL PRIVILEGES ON \`rapport\\_t\\_%\`.* TO 'rapport_test'@'127.0.0.1';"
export RAPPORT_TEST_MYSQL_URL="${RAPPORT_TEST_MYSQL_URL:-mysql://rapport_test:rapport_test@127.0.0.1:3306}"

# --- Static checks.
echo "== cargo fmt --check" >&2
cargo fmt --all -- --check
echo "== cargo clippy" >&2
cargo clippy --all-targets --quiet -- -D warnings
echo "== migration folders carry the same names" >&2
diff <(ls migrations/mysql) <(ls migrations/sqlite)

# --- Tests. Every test binary on SQLite, then the database-backed ones on MariaDB.
echo "== tests on SQLite" >&2
RAPPORT_TEST_BACKEND=sqlite cargo test --all-targets --quiet
echo "== tests on MariaDB" >&2
RAPPORT_TEST_BACKEND=mysql cargo test --test api --test browser --quiet
echo "== all tests passed on SQLite and MariaDB" >&2
