#!/usr/bin/env bash
# Soak test: wrk drives a Release tileserver with mixed tile reads and incident POSTs for SECONDS
# at CONNECTIONS connections, on loopback, while the server's RSS is sampled every second.
#   tests/reliability/soak.sh TILESERVER SECONDS [CONNECTIONS=64]
# Passes (exit 0) when
#   - errors = 0: no socket error (connect/read/write/timeout) and no status outside 2xx/3xx;
#   - RSS is flat: max RSS of the last quarter <= max RSS of the first quarter x 1.10 + 8 MiB
#     (the first quarter includes the warm-up, when the tile cache and allocator arenas fill),
#     or, when the POSTs grew the data, <= the max RSS of a fresh server on the final store after
#     the same reads (the control run) x 1.10 + 8 MiB: beyond what the data explains is a leak;
#   - the store passes PRAGMA integrity_check and holds exactly as many incidents as wrk got 201s;
#   - SIGTERM stops both servers with exit code 0.
# Environment: SOAK_WORK (work folder, default a fresh temp dir, kept on failure),
#   SOAK_RESULTS (append a one-line JSON record to this file), SOAK_GRIDS (grids per side, 20),
#   SOAK_THREADS (server I/O threads, default nproc), SOAK_TIMEOUT (wrk request timeout, 5s),
#   SOAK_CONTROL_S (control run, default max(15, SECONDS/10)).
# See tests/reliability/README.md.
set -euo pipefail

if [ $# -lt 2 ]; then
  sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
TILESERVER=$(realpath "$1")
SECONDS_RUN=$2
CONNECTIONS=${3:-64}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
GRIDS=${SOAK_GRIDS:-20}
STEP=0.01
LON0=117.70
LAT0=39.00
THREADS=${SOAK_THREADS:-$(nproc)}
WRK_TIMEOUT=${SOAK_TIMEOUT:-5s}

for tool in wrk node sqlite3 ogr2ogr; do
  command -v "$tool" >/dev/null || { echo "soak: $tool is missing (./run deps installs it)" >&2; exit 2; }
done
[ -x "$TILESERVER" ] || { echo "soak: $TILESERVER is not an executable" >&2; exit 2; }

WORK=${SOAK_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/tileserver-soak.XXXXXX")}
mkdir -p "$WORK"
rm -f "$WORK"/soak.gpkg* "$WORK"/rss-*.csv "$WORK"/wrk*.json "$WORK"/wrk*.txt "$WORK"/server-*
GPKG=$WORK/soak.gpkg
# A random token per run: nothing to configure, nothing that could leak into a repository.
TOKEN=soak-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')

echo "soak: building a ${GRIDS}x${GRIDS}-grid synthetic scenario in $WORK"
node "$ROOT/tests/integration/tileserver/make_scenario.js" "$GPKG" "$LON0" "$LAT0" "$GRIDS" "$STEP" >/dev/null
BBOX=$(awk -v w="$LON0" -v s="$LAT0" -v n="$GRIDS" -v d="$STEP" 'BEGIN { printf "%.6f,%.6f,%.6f,%.6f", w, s, w + n * d, s + n * d }')

SERVER_PID=
SAMPLER_PID=
cleanup() {
  [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null || true
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
}
trap cleanup EXIT

# start_server TAG: the server on $GPKG in the background, its logs in $WORK/server-TAG.*;
# sets SERVER_PID and BASE, and starts the RSS sampler (VmRSS every second into $WORK/rss-TAG.csv).
start_server() {
  local tag=$1 port=
  TILESERVER_TOKEN=$TOKEN "$TILESERVER" --port 0 --threads "$THREADS" "soak=$GPKG" \
    >"$WORK/server-$tag.out" 2>"$WORK/server-$tag.err" &
  SERVER_PID=$!
  for _ in $(seq 1 200); do
    port=$(sed -n 's|.*listening on http://[^:]*:\([0-9]*\)/.*|\1|p' "$WORK/server-$tag.out" | head -1)
    [ -n "$port" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "soak: server exited:" >&2; cat "$WORK/server-$tag.err" >&2; exit 1; }
    sleep 0.1
  done
  [ -n "$port" ] || { echo "soak: server did not start" >&2; exit 1; }
  BASE=http://127.0.0.1:$port
  (
    echo "t_s,rss_kib"
    t=0
    while rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$SERVER_PID/status" 2>/dev/null) && [ -n "$rss" ]; do
      echo "$t,$rss"
      sleep 1
      t=$((t + 1))
    done
  ) >"$WORK/rss-$tag.csv" &
  SAMPLER_PID=$!
}

# stop_server: SIGTERM (a clean drain is part of the contract); sets EXIT_CODE.
stop_server() {
  kill "$SAMPLER_PID" 2>/dev/null || true
  wait "$SAMPLER_PID" 2>/dev/null || true
  SAMPLER_PID=
  kill -TERM "$SERVER_PID"
  EXIT_CODE=0
  wait "$SERVER_PID" || EXIT_CODE=$?
  SERVER_PID=
}

start_server soak
echo "soak: wrk -t2 -c$CONNECTIONS -d${SECONDS_RUN}s against $BASE (server pid $SERVER_PID, $THREADS threads)"
SOAK_TOKEN=$TOKEN SOAK_BBOX=$BBOX SOAK_SECONDS=$SECONDS_RUN SOAK_RUN=$(date +%s) SOAK_WRK_JSON=$WORK/wrk.json \
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --timeout "$WRK_TIMEOUT" --latency -s "$HERE/mixed.lua" "$BASE" \
  | tee "$WORK/wrk.txt"
stop_server
SOAK_EXIT_CODE=$EXIT_CODE

[ -s "$WORK/wrk.json" ] || { echo "soak: wrk wrote no results" >&2; exit 1; }
INTEGRITY=$(sqlite3 "$GPKG" 'PRAGMA integrity_check' | tr '\n' ' ' | sed 's/ $//')
STORED=$(sqlite3 "$GPKG" "SELECT count(*) FROM incidents WHERE external_id LIKE 'soak-%'")
DISTINCT=$(sqlite3 "$GPKG" "SELECT count(DISTINCT external_id) FROM incidents WHERE external_id LIKE 'soak-%'")

# Control for the RSS verdict: the POSTs make the data grow (the in-memory incident copy, larger
# incident tiles), which is not a leak. A fresh server on the final store, warmed by the same
# reads (no POSTs) for CONTROL_S seconds, shows what that data costs; a leak is what the soaked
# process holds beyond it.
CONTROL_S=${SOAK_CONTROL_S:-$(( SECONDS_RUN / 10 > 15 ? SECONDS_RUN / 10 : 15 ))}
start_server control
echo "soak: control: fresh server on the final store, ${CONTROL_S}s of the same reads without POSTs"
SOAK_TOKEN=$TOKEN SOAK_BBOX=$BBOX SOAK_SECONDS=$CONTROL_S SOAK_POST_STOP_S=1000000000 SOAK_WRK_JSON=$WORK/wrk-control.json \
  wrk -t2 -c"$CONNECTIONS" -d"${CONTROL_S}s" --timeout "$WRK_TIMEOUT" -s "$HERE/mixed.lua" "$BASE" >"$WORK/wrk-control.txt"
stop_server
CONTROL_EXIT_CODE=$EXIT_CODE

# Verdict and summary (node is already a dependency; it parses the JSON and CSV).
status=0
SOAK_WORK_DIR=$WORK SOAK_STORED=$STORED SOAK_DISTINCT=$DISTINCT SOAK_INTEGRITY=$INTEGRITY SOAK_EXIT=$SOAK_EXIT_CODE \
SOAK_CONTROL_EXIT=$CONTROL_EXIT_CODE SOAK_CONTROL_S=$CONTROL_S \
SOAK_CONNECTIONS=$CONNECTIONS SOAK_SECONDS=$SECONDS_RUN SOAK_THREADS=$THREADS node - <<'EOF' || status=$?
const fs = require('node:fs');
const os = require('node:os');
const env = process.env;
const work = env.SOAK_WORK_DIR;
const w = JSON.parse(fs.readFileSync(`${work}/wrk.json`, 'utf8'));
const readRss = (tag) => fs.readFileSync(`${work}/rss-${tag}.csv`, 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[1]));
const rss = readRss('soak');
const control = readRss('control');
const wc = JSON.parse(fs.readFileSync(`${work}/wrk-control.json`, 'utf8'));
const q = Math.max(1, Math.floor(rss.length / 4));
const firstMax = Math.max(...rss.slice(0, q));
const lastMax = Math.max(...rss.slice(-q));
const controlMax = Math.max(...control);
// Flat: the last quarter holds no more than the first quarter (warm-up included) + 10 % + 8 MiB.
const limit = firstMax * 1.10 + 8 * 1024;
// Or, when the data the POSTs added explains the growth: no more than a fresh process holding the
// same final store after the same reads, + 10 % + 8 MiB (what the soaked process holds beyond
// that is a leak).
const controlLimit = controlMax * 1.10 + 8 * 1024;
const controlErrors = Object.values(wc.socket_errors).reduce((a, b) => a + b, 0) + wc.bad_status;
const mib = (kib) => (kib / 1024).toFixed(1);
const socketErrors = Object.values(w.socket_errors).reduce((a, b) => a + b, 0);
const checks = {
  errors: socketErrors + w.bad_status === 0,
  rss_flat: rss.length >= 4 && (lastMax <= limit || lastMax <= controlLimit),
  control_errors: controlErrors === 0,
  integrity: env.SOAK_INTEGRITY === 'ok',
  incidents_match: Number(env.SOAK_STORED) === w.created && Number(env.SOAK_DISTINCT) === w.created,
  clean_exit: env.SOAK_EXIT === '0' && env.SOAK_CONTROL_EXIT === '0',
};
const ok = Object.values(checks).every(Boolean);
const record = {
  date: new Date().toISOString(), host_nproc: os.cpus().length, loadavg: os.loadavg().map((v) => +v.toFixed(2)),
  seconds: Number(env.SOAK_SECONDS), connections: Number(env.SOAK_CONNECTIONS), server_threads: Number(env.SOAK_THREADS),
  requests: w.requests, rps: Math.round(w.requests / w.duration_s), statuses: w.statuses,
  socket_errors: w.socket_errors, bad_status: w.bad_status, created_201: w.created,
  incidents_stored: Number(env.SOAK_STORED), integrity_check: env.SOAK_INTEGRITY,
  p50_ms: w.latency_us.p50 / 1000, p90_ms: w.latency_us.p90 / 1000, p99_ms: w.latency_us.p99 / 1000, max_ms: w.latency_us.max / 1000,
  rss_mib: { first_quarter_max: +mib(firstMax), last_quarter_max: +mib(lastMax), overall_max: +mib(Math.max(...rss)),
    limit: +mib(limit), within_first_quarter_rule: lastMax <= limit, control_max: +mib(controlMax), control_limit: +mib(controlLimit) },
  control: { seconds: Number(env.SOAK_CONTROL_S), requests: wc.requests, rps: Math.round(wc.requests / wc.duration_s), errors: controlErrors },
  server_exit: Number(env.SOAK_EXIT), control_exit: Number(env.SOAK_CONTROL_EXIT), checks, pass: ok,
};
const line = (k, v, good) => console.log(`  ${k.padEnd(22)} ${v}${good === undefined ? '' : good ? '  ok' : '  FAIL'}`);
console.log('\n== tileserver soak summary ==');
line('duration / connections', `${w.duration_s.toFixed(0)} s / ${env.SOAK_CONNECTIONS} (server threads ${env.SOAK_THREADS}, nproc ${os.cpus().length}, load ${record.loadavg.join(' ')})`);
line('requests', `${w.requests} (${record.rps}/s)`);
line('statuses', JSON.stringify(w.statuses));
line('errors', `${socketErrors} socket ${JSON.stringify(w.socket_errors)}, ${w.bad_status} non-2xx/3xx`, checks.errors);
line('latency', `p50 ${record.p50_ms} ms, p90 ${record.p90_ms} ms, p99 ${record.p99_ms} ms, max ${record.max_ms} ms`);
line('RSS (MiB)', `first-quarter max ${mib(firstMax)}, last-quarter max ${mib(lastMax)}, limit ${mib(limit)}: ${lastMax <= limit ? 'flat' : 'grew'} (overall max ${mib(Math.max(...rss))})`);
line('RSS control (MiB)', `fresh server on the final store, ${env.SOAK_CONTROL_S} s of reads: max ${mib(controlMax)}, limit ${mib(controlLimit)}; ${wc.requests} requests (${record.control.rps}/s), ${controlErrors} errors`);
line('RSS verdict', lastMax <= limit ? 'flat' : lastMax <= controlLimit ? 'growth = the data the POSTs added (no leak)' : 'LEAK: more than the data explains', checks.rss_flat && checks.control_errors);
line('incidents', `${w.created} acknowledged (201), ${env.SOAK_STORED} stored, ${env.SOAK_DISTINCT} distinct ids`, checks.incidents_match);
line('integrity_check', env.SOAK_INTEGRITY, checks.integrity);
line('SIGTERM exit codes', `${env.SOAK_EXIT} (soak), ${env.SOAK_CONTROL_EXIT} (control)`, checks.clean_exit);
line('work folder', work);
console.log(ok ? 'SOAK PASS' : 'SOAK FAIL');
if (env.SOAK_RESULTS) fs.appendFileSync(env.SOAK_RESULTS, JSON.stringify(record) + '\n');
process.exit(ok ? 0 : 1);
EOF
# Keep the work folder for inspection on failure or when the caller chose it.
if [ "$status" -eq 0 ] && [ -z "${SOAK_WORK:-}" ]; then
  rm -rf "$WORK"
fi
exit "$status"
