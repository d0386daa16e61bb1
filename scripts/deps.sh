#!/usr/bin/env bash
# Installs the system packages Rapport needs on Debian/Ubuntu, only if any
# is missing. Sourced by scripts/run.sh and scripts/test.sh.
#   build: libmariadb-dev (diesel's mysql feature links it), pkg-config
#   test:  mariadb-server, chromium, chromium-driver
set -euo pipefail

rapport_missing_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  echo "${missing[@]:-}"
}

rapport_install_packages() {
  local missing
  missing=$(rapport_missing_packages "$@")
  [ -z "$missing" ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "rapport: please install: $missing (no apt-get here)" >&2
    return 1
  fi
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "rapport: installing $missing" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
}
