#!/usr/bin/env bash
# Runs the browser end-to-end tests against a real DBBat server started here, in DBB_RUN_MODE=test:
#   - the server jar (DBBAT_JAR, default ../dbbat-server/target/dbbat.jar) with its embedded store in a temp DBB_HOME,
#     API and PG proxy on free 127.0.0.1 ports, Oracle and MySQL listeners off;
#   - a throwaway PostgreSQL 15 cluster (Debian's, as the postgres user) as the proxy TARGET;
#   - if the server does not serve the UI itself yet, e2e/fake-server.mjs in forwarding mode serves the built UI
#     under /app and forwards /api to the server (nothing is faked then).
# Needs: java 17, node/npm with `npm ci` done, /usr/bin/chromium, postgresql-15. Screenshots: target/screenshots/.
# Env: DBB_BASE_URL=/other mounts the UI elsewhere (the tests follow it).
#      E2E_REQUIRE_PROXY=1 fails instead of skipping the proxy steps when the PG proxy does not listen.
#      DBBAT_URL set: use that running server instead (with DBBAT_PG_PROXY, DBBAT_TARGET_*, DBBAT_ADMIN_PASSWORD).
# Ends with a line "e2e: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
UI_DIR=$PWD

run_tests() {
  local json=target/e2e-report.json rc
  mkdir -p target
  set +e
  npx vitest run --config vitest.e2e.config.ts --reporter=default --reporter=json --outputFile.json="$json"
  rc=$?
  set -e
  node -e "const r=require('./$json');const f=r.numFailedTests,p=r.numPassedTests,s=r.numPendingTests+(r.numTodoTests||0);console.log('e2e: '+p+' passed, '+f+' failed, '+s+' skipped')" 2>/dev/null || true
  return $rc
}

if [ -n "${DBBAT_URL:-}" ]; then
  echo "using the running server at $DBBAT_URL"
  run_tests
  exit $?
fi

JAR=${DBBAT_JAR:-$UI_DIR/../dbbat-server/target/dbbat.jar}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
[ -f "$JAR" ] || { echo "no server jar at $JAR (build it: ./mvnw -q -pl dbbat-server -am package -DskipTests)"; exit 2; }
[ -x /usr/bin/chromium ] || { echo "no /usr/bin/chromium (apt-get install -y chromium)"; exit 2; }
[ -f target/classes/META-INF/dbbat-ui/index.html ] || npm run build

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
wait_port() { for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.2; done; return 1; }

TDIR=
WORK=$(mktemp -d /tmp/dbbat-e2e-XXXXXX)
chmod 755 "$WORK"   # the embedded store runs initdb in a user namespace (as nobody): it must traverse this
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -f "$TDIR/pg/postmaster.pid" ]; then runuser -u postgres -- "$PGBIN/pg_ctl" -D "$TDIR/pg" -m fast -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# --- target PostgreSQL (what the proxy connects to)
TARGET_PORT=$(free_port)
TARGET_PASSWORD=target-pw-$RANDOM
TDIR=$WORK/target
mkdir -p "$TDIR"; chown postgres "$TDIR"
echo "$TARGET_PASSWORD" > "$TDIR/pwfile"; chown postgres "$TDIR/pwfile"
runuser -u postgres -- "$PGBIN/initdb" -D "$TDIR/pg" -A scram-sha-256 --pwfile="$TDIR/pwfile" -U postgres --no-sync >"$WORK/initdb.log" 2>&1
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$TDIR/pg" -w -l "$TDIR/pg.log" \
  -o "-p $TARGET_PORT -k $TDIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null

# --- the server
API_PORT=$(free_port); PG_PORT=$(free_port)
mkdir -p "$WORK/home"
# the per-user API rate limit stays on, scaled to a scripted browser: the suite signs in as one admin and clicks
# through every page in ~25 s, well over a person's 60 requests a minute (the default let a run hit 429 by chance)
DBB_RUN_MODE=test DBB_HOME="$WORK/home" DBB_KEY="$(head -c 32 /dev/urandom | base64)" \
DBB_RATE_LIMIT_REQUESTS_PER_MINUTE=1200 \
DBB_LISTEN_API=127.0.0.1:$API_PORT DBB_LISTEN_PG=127.0.0.1:$PG_PORT DBB_LISTEN_ORA= DBB_LISTEN_MYSQL= \
  java -jar "$JAR" >"$WORK/server.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 150); do curl -fs "http://127.0.0.1:$API_PORT/api/v1/health" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fs "http://127.0.0.1:$API_PORT/api/v1/health" >/dev/null || { echo "server did not start:"; tail -50 "$WORK/server.log"; exit 1; }

URL=http://127.0.0.1:$API_PORT
BASE=${DBB_BASE_URL:-/app}
export DBBAT_BASE=$BASE
if ! curl -fs "$URL$BASE/" | grep -q "<base href=\"$BASE/\""; then
  echo "the server does not serve the UI at $BASE yet: serving the built UI here and forwarding /api to it"
  UI_PORT=$(free_port)
  DBBAT_API_UPSTREAM=$URL node e2e/fake-server.mjs "$UI_PORT" >"$WORK/ui.log" 2>&1 &
  PIDS+=($!)
  wait_port "$UI_PORT"
  URL=http://127.0.0.1:$UI_PORT
fi

PROXY=
if wait_port "$PG_PORT"; then PROXY=127.0.0.1:$PG_PORT
elif [ "${E2E_REQUIRE_PROXY:-0}" = 1 ]; then echo "the PG proxy does not listen on $PG_PORT"; tail -30 "$WORK/server.log"; exit 1
else echo "the PG proxy does not listen: the proxy steps are skipped"; fi

# the admin password: test mode seeds admin/admintest; a server without that seed has admin/admin (to be changed)
ADMIN_PW=${DBBAT_ADMIN_PASSWORD:-}
if [ -z "$ADMIN_PW" ]; then
  ADMIN_PW=admin
  code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    -d '{"username":"admin","password":"admintest"}' "http://127.0.0.1:$API_PORT/api/v1/auth/login")
  [ "$code" = 200 ] && ADMIN_PW=admintest
fi

set +e
DBBAT_URL=$URL DBBAT_PG_PROXY=$PROXY DBBAT_ADMIN_USER=admin DBBAT_ADMIN_PASSWORD=$ADMIN_PW \
DBBAT_TARGET_HOST=127.0.0.1 DBBAT_TARGET_PORT=$TARGET_PORT DBBAT_TARGET_DB=postgres DBBAT_TARGET_USER=postgres \
DBBAT_TARGET_PASSWORD=$TARGET_PASSWORD run_tests
rc=$?
set -e
if [ $rc -ne 0 ]; then echo "--- server log (tail)"; tail -40 "$WORK/server.log"; fi
echo "screenshots: $UI_DIR/target/screenshots/"
exit $rc
