#!/usr/bin/env bash
# Runs the benchmark suite and writes bench/results/<date>.md and .json. Not part of the test command.
# Needs: pgbench and pgbouncer (scripts/install-test-deps.sh installs them). Run as root or a user that can
# run `runuser -u postgres` (pgbouncer refuses to run as root).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q install -DskipTests
./mvnw -B -q -f bench/pom.xml package
exec java -Xmx2g -jar bench/target/dbbat-bench.jar "$@"
