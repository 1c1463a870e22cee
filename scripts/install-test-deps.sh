#!/usr/bin/env bash
# Installs what the test suite needs that Maven cannot bring: psql and pgbench (PostgreSQL clients the proxy
# tests drive), pgbouncer (benchmarks), the MariaDB server and client (MySQL-protocol fixtures) and Chromium
# (the web UI's end-to-end tests). Idempotent; safe to run again. Debian/Ubuntu only.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
PACKAGES=(postgresql-15 postgresql-client pgbouncer mariadb-server mariadb-client chromium)
missing=()
for package in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
# Debian's postgresql-15 puts pgbench under /usr/lib/postgresql/15/bin; the wrapper in /usr/bin needs
# postgresql-client-common, which postgresql-client brings.
command -v psql >/dev/null
command -v pgbench >/dev/null
