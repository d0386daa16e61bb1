#!/usr/bin/env bash
# Runs Rapport: installs the one build dependency if missing, builds a
# release binary and serves on http://127.0.0.1:8080 with an embedded SQLite
# database under ./data (set RAPPORT_DATABASE_URL=mysql://... for MariaDB/MySQL).
# Extra arguments go to the binary, e.g. `scripts/run.sh seed-demo --contacts 2000`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
rapport_install_packages libmariadb-dev pkg-config
exec cargo run --release --quiet -- "$@"
