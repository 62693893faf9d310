#!/usr/bin/env bash
# Soak test: wrk drives a Release tileserver with mixed tile reads and incident POSTs for SECONDS
# at CONNECTIONS connections, on loopback, while the server's RSS is sampled every second.
#   tests/reliability/soak.sh TILESERVER SECONDS [CONNECTIONS=64]
# Passes (exit 0) when
#   - errors = 0: no socket error (connect/read/write/timeout) and no status outside 2xx/3xx;
#   - RSS is flat (rule 1): max RSS of the last quarter <= max RSS of the first quarter x 1.10 +
#     8 MiB (the first quarter includes the warm-up, when the tile cache and allocator arenas
#     fill), or (rule 2), when the POSTs grew the data, <= the max RSS of a fresh server on the
#     final store after the same reads (the control run) x 1.10 + 8 MiB: beyond what the data
#     explains is a leak. The control runs only when rule 1 does not hold;
#   - the store passes PRAGMA integrity_check and holds exactly as many incidents as wrk got 201s;
#   - SIGTERM stops every server with exit code 0.
# SOAK_READS_ONLY=1: the read-only RSS plateau instead. The store first gets SOAK_SEED_INCIDENTS
#   synthetic incidents (default 20000, about what `./run soak 300` writes; POSTed to a first
#   server), or is a copy of SOAK_STORE (e.g. the soak.gpkg a soak kept with SOAK_WORK); then a
#   fresh server gets only the reads of the mix for SECONDS. Rule 1 must hold; RSS every 10 s.
# Environment: SOAK_WORK (work folder, default a fresh temp dir, kept on failure),
#   SOAK_RESULTS (append a one-line JSON record to this file), SOAK_GRIDS (grids per side, 20),
#   SOAK_THREADS (server I/O threads, default nproc), SOAK_TIMEOUT (wrk request timeout, 5s),
#   SOAK_CONTROL_S (control run, default max(15, SECONDS/10)), SOAK_CONTROL=always (run the
#   control even when rule 1 holds).
# See tests/reliability/README.md.
set -euo pipefail

if [ $# -lt 2 ]; then
  sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//' >&2
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
READS_ONLY=${SOAK_READS_ONLY:-0}
SEED_INCIDENTS=${SOAK_SEED_INCIDENTS:-20000}
# mixed.lua POSTs only while more than SOAK_POST_STOP_S seconds of the run are left: this is never.
NO_POSTS=1000000000

for tool in wrk node sqlite3 ogr2ogr; do
  command -v "$tool" >/dev/null || { echo "soak: $tool is missing (./run deps installs it)" >&2; exit 2; }
done
[ -x "$TILESERVER" ] || { echo "soak: $TILESERVER is not an executable" >&2; exit 2; }
if [ "$READS_ONLY" = 1 ] && [ -n "${SOAK_STORE:-}" ] && [ ! -f "$SOAK_STORE" ]; then
  echo "soak: SOAK_STORE=$SOAK_STORE does not exist" >&2
  exit 2
fi

WORK=${SOAK_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/tileserver-soak.XXXXXX")}
mkdir -p "$WORK"
rm -f "$WORK"/soak.gpkg* "$WORK"/rss-*.csv "$WORK"/wrk*.json "$WORK"/wrk*.txt "$WORK"/server-*
GPKG=$WORK/soak.gpkg
# A random token per run: nothing to configure, nothing that could leak into a repository.
TOKEN=soak-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')

if [ "$READS_ONLY" = 1 ] && [ -n "${SOAK_STORE:-}" ]; then
  echo "soak: reads only, on a copy of $SOAK_STORE in $WORK"
  cp "$SOAK_STORE" "$GPKG"
else
  echo "soak: building a ${GRIDS}x${GRIDS}-grid synthetic scenario in $WORK"
  node "$ROOT/tests/integration/tileserver/make_scenario.js" "$GPKG" "$LON0" "$LAT0" "$GRIDS" "$STEP" >/dev/null
fi
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

# run_wrk TAG SECONDS POST_STOP_S: the mix against $BASE; results in $WORK/wrk-TAG.{json,txt}.
run_wrk() {
  SOAK_TOKEN=$TOKEN SOAK_BBOX=$BBOX SOAK_SECONDS=$2 SOAK_RUN=$(date +%s) SOAK_POST_STOP_S=$3 \
    SOAK_WRK_JSON=$WORK/wrk-$1.json \
    wrk -t2 -c"$CONNECTIONS" -d"${2}s" --timeout "$WRK_TIMEOUT" --latency -s "$HERE/mixed.lua" "$BASE" \
    >"$WORK/wrk-$1.txt"
  [ -s "$WORK/wrk-$1.json" ] || { echo "soak: wrk wrote no results ($1)" >&2; cat "$WORK/wrk-$1.txt" >&2; exit 1; }
}

# rss_rule1 TAG: exit 0 when the RSS samples of TAG are flat by rule 1 (the summary below
# applies the same rule again and reports it).
rss_rule1() {
  awk -F, 'NR > 1 { v[n++] = $2 }
    END {
      if (n < 4) exit 1
      q = int(n / 4); first = 0; last = 0
      for (i = 0; i < q; i++) if (v[i] > first) first = v[i]
      for (i = n - q; i < n; i++) if (v[i] > last) last = v[i]
      exit !(last <= first * 1.10 + 8 * 1024)
    }' "$WORK/rss-$1.csv"
}

count_incidents() { sqlite3 "$GPKG" "SELECT count(*) FROM incidents WHERE external_id LIKE '$1'"; }
count_distinct() { sqlite3 "$GPKG" "SELECT count(DISTINCT external_id) FROM incidents WHERE external_id LIKE '$1'"; }
count_all() { sqlite3 "$GPKG" "SELECT count(*) FROM incidents"; }

CONTROL=skipped
CONTROL_S=0
CONTROL_EXIT_CODE=
SEED_EXIT_CODE=
STORED_BEFORE=0
if [ "$READS_ONLY" = 1 ]; then
  MAIN=reads
  if [ -z "${SOAK_STORE:-}" ]; then
    # The data first: SEED_INCIDENTS incidents at fixed pseudo-random points inside the grids,
    # 500 per POST, written through a first server (as the soak's POSTs are).
    start_server seed
    echo "soak: reads only: writing $SEED_INCIDENTS synthetic incidents first"
    SEED_BASE=$BASE SEED_TOKEN=$TOKEN SEED_BBOX=$BBOX SEED_N=$SEED_INCIDENTS node - <<'EOF'
const [w, s, e, n] = process.env.SEED_BBOX.split(',').map(Number);
const total = Number(process.env.SEED_N);
const categories = ['road_damage', 'noise', 'garbage', 'streetlight', 'water_leak'];
let state = 12345; // a small LCG: the same points every run
const random = () => { state = (state * 1103515245 + 12345) % 2147483648; return state / 2147483648; };
(async () => {
  for (let done = 0; done < total;) {
    const features = [];
    for (const end = Math.min(total, done + 500); done < end; done++) {
      features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [w + random() * (e - w), s + random() * (n - s)] },
        properties: { category: categories[done % categories.length], external_id: `seed-${done}`, description: 'soak seed',
          synthetic: true } });
    }
    const res = await fetch(`${process.env.SEED_BASE}/api/incidents`, {
      method: 'POST', body: JSON.stringify({ type: 'FeatureCollection', features }),
      headers: { 'Content-Type': 'application/geo+json', Authorization: `Bearer ${process.env.SEED_TOKEN}` },
    });
    if (res.status !== 201) throw new Error(`seeding: POST answered ${res.status}: ${await res.text()}`);
  }
})().catch((err) => { console.error(String(err)); process.exit(1); });
EOF
    stop_server
    SEED_EXIT_CODE=$EXIT_CODE
  fi
  STORED_BEFORE=$(count_all)
  start_server reads
  echo "soak: reads only: wrk -t2 -c$CONNECTIONS -d${SECONDS_RUN}s against $BASE ($STORED_BEFORE incidents, server pid $SERVER_PID, $THREADS threads)"
  run_wrk reads "$SECONDS_RUN" "$NO_POSTS"
  cat "$WORK/wrk-reads.txt"
  stop_server
  MAIN_EXIT_CODE=$EXIT_CODE
  STORED=$(count_all)
  DISTINCT=
else
  MAIN=soak
  start_server soak
  echo "soak: wrk -t2 -c$CONNECTIONS -d${SECONDS_RUN}s against $BASE (server pid $SERVER_PID, $THREADS threads)"
  run_wrk soak "$SECONDS_RUN" "${SOAK_POST_STOP_S:-3}"
  cat "$WORK/wrk-soak.txt"
  stop_server
  MAIN_EXIT_CODE=$EXIT_CODE
  STORED=$(count_incidents 'soak-%')
  DISTINCT=$(count_distinct 'soak-%')
  # Control for the RSS verdict, needed only when rule 1 fails: the POSTs make the data grow
  # (the in-memory incident copy, larger incident tiles), which is not a leak. A fresh server on
  # the final store, warmed by the same reads (no POSTs) for CONTROL_S seconds, shows what that
  # data costs; a leak is what the soaked process holds beyond it.
  if [ "${SOAK_CONTROL:-auto}" != always ] && rss_rule1 soak; then
    echo "soak: RSS flat by rule 1: no control run needed"
  else
    CONTROL=ran
    CONTROL_S=${SOAK_CONTROL_S:-$(( SECONDS_RUN / 10 > 15 ? SECONDS_RUN / 10 : 15 ))}
    start_server control
    echo "soak: RSS grew: control: fresh server on the final store, ${CONTROL_S}s of the same reads without POSTs"
    run_wrk control "$CONTROL_S" "$NO_POSTS"
    stop_server
    CONTROL_EXIT_CODE=$EXIT_CODE
  fi
fi
INTEGRITY=$(sqlite3 "$GPKG" 'PRAGMA integrity_check' | tr '\n' ' ' | sed 's/ $//')

# Verdict and summary (node is already a dependency; it parses the JSON and CSV).
status=0
SOAK_WORK_DIR=$WORK SOAK_MAIN=$MAIN SOAK_STORED=$STORED SOAK_DISTINCT=$DISTINCT SOAK_STORED_BEFORE=$STORED_BEFORE \
SOAK_INTEGRITY=$INTEGRITY SOAK_EXIT=$MAIN_EXIT_CODE SOAK_CONTROL=$CONTROL SOAK_CONTROL_EXIT=$CONTROL_EXIT_CODE \
SOAK_SEED_EXIT=$SEED_EXIT_CODE SOAK_SEED_N=$SEED_INCIDENTS SOAK_CONTROL_S=$CONTROL_S \
SOAK_CONNECTIONS=$CONNECTIONS SOAK_SECONDS=$SECONDS_RUN SOAK_THREADS=$THREADS node - <<'EOF' || status=$?
const fs = require('node:fs');
const os = require('node:os');
const env = process.env;
const work = env.SOAK_WORK_DIR;
const readsOnly = env.SOAK_MAIN === 'reads';
const controlRan = env.SOAK_CONTROL === 'ran';
const w = JSON.parse(fs.readFileSync(`${work}/wrk-${env.SOAK_MAIN}.json`, 'utf8'));
const readRss = (tag) => fs.readFileSync(`${work}/rss-${tag}.csv`, 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[1]));
const rss = readRss(env.SOAK_MAIN);
const q = Math.max(1, Math.floor(rss.length / 4));
const firstMax = Math.max(...rss.slice(0, q));
const lastMax = Math.max(...rss.slice(-q));
// Rule 1, flat: the last quarter holds no more than the first quarter (warm-up included) + 10 % + 8 MiB.
const limit = firstMax * 1.10 + 8 * 1024;
const flat = rss.length >= 4 && lastMax <= limit;
// Rule 2, when the data the POSTs added explains the growth: no more than a fresh process holding
// the same final store after the same reads, + 10 % + 8 MiB (what the soaked process holds beyond
// that is a leak). The control ran only when rule 1 did not hold.
const wc = controlRan ? JSON.parse(fs.readFileSync(`${work}/wrk-control.json`, 'utf8')) : null;
const controlMax = controlRan ? Math.max(...readRss('control')) : null;
const controlLimit = controlRan ? controlMax * 1.10 + 8 * 1024 : null;
const controlErrors = controlRan ? Object.values(wc.socket_errors).reduce((a, b) => a + b, 0) + wc.bad_status : 0;
const growthIsData = !readsOnly && controlRan && lastMax <= controlLimit;
const mib = (kib) => (kib === null ? null : +(kib / 1024).toFixed(1));
const socketErrors = Object.values(w.socket_errors).reduce((a, b) => a + b, 0);
const exitCodes = [env.SOAK_EXIT];
if (controlRan) exitCodes.push(env.SOAK_CONTROL_EXIT);
if (env.SOAK_SEED_EXIT) exitCodes.push(env.SOAK_SEED_EXIT);
const checks = {
  errors: socketErrors + w.bad_status === 0,
  // Reads only: the plateau must be flat. Soak: flat, or growth = the data (control).
  rss_flat: rss.length >= 4 && (flat || growthIsData),
  control_errors: controlErrors === 0,
  integrity: env.SOAK_INTEGRITY === 'ok',
  incidents_match: readsOnly
    ? w.created === 0 && Number(env.SOAK_STORED) === Number(env.SOAK_STORED_BEFORE) &&
      (!env.SOAK_SEED_EXIT || Number(env.SOAK_STORED_BEFORE) === Number(env.SOAK_SEED_N))
    : Number(env.SOAK_STORED) === w.created && Number(env.SOAK_DISTINCT) === w.created,
  clean_exit: exitCodes.every((c) => c === '0'),
};
const ok = Object.values(checks).every(Boolean);
// RSS every 10 s: the plateau figure of docs/reliability.md.
const every10 = rss.filter((_, i) => i > 0 && i % 10 === 0).map(mib);
const record = {
  date: new Date().toISOString(), mode: readsOnly ? 'reads_only' : 'soak', host_nproc: os.cpus().length,
  loadavg: os.loadavg().map((v) => +v.toFixed(2)),
  seconds: Number(env.SOAK_SECONDS), connections: Number(env.SOAK_CONNECTIONS), server_threads: Number(env.SOAK_THREADS),
  requests: w.requests, rps: Math.round(w.requests / w.duration_s), statuses: w.statuses,
  socket_errors: w.socket_errors, bad_status: w.bad_status, created_201: w.created,
  incidents_before: readsOnly ? Number(env.SOAK_STORED_BEFORE) : 0, incidents_stored: Number(env.SOAK_STORED),
  integrity_check: env.SOAK_INTEGRITY,
  p50_ms: w.latency_us.p50 / 1000, p90_ms: w.latency_us.p90 / 1000, p99_ms: w.latency_us.p99 / 1000, max_ms: w.latency_us.max / 1000,
  rss_mib: { start: mib(rss[0]), every_10s: every10, first_quarter_max: mib(firstMax), last_quarter_max: mib(lastMax),
    overall_max: mib(Math.max(...rss)), limit: mib(limit), within_first_quarter_rule: flat, control_max: mib(controlMax),
    control_limit: mib(controlLimit) },
  control: controlRan
    ? { seconds: Number(env.SOAK_CONTROL_S), requests: wc.requests, rps: Math.round(wc.requests / wc.duration_s), errors: controlErrors }
    : { skipped: readsOnly ? 'reads only' : 'rule 1 held' },
  server_exit: Number(env.SOAK_EXIT), control_exit: controlRan ? Number(env.SOAK_CONTROL_EXIT) : null, checks, pass: ok,
};
const line = (k, v, good) => console.log(`  ${k.padEnd(22)} ${v}${good === undefined ? '' : good ? '  ok' : '  FAIL'}`);
console.log(`\n== tileserver ${readsOnly ? 'read-only RSS plateau' : 'soak'} summary ==`);
line('duration / connections', `${w.duration_s.toFixed(0)} s / ${env.SOAK_CONNECTIONS} (server threads ${env.SOAK_THREADS}, nproc ${os.cpus().length}, load ${record.loadavg.join(' ')})`);
line('requests', `${w.requests} (${record.rps}/s)`);
line('statuses', JSON.stringify(w.statuses));
line('errors', `${socketErrors} socket ${JSON.stringify(w.socket_errors)}, ${w.bad_status} non-2xx/3xx`, checks.errors);
line('latency', `p50 ${record.p50_ms} ms, p90 ${record.p90_ms} ms, p99 ${record.p99_ms} ms, max ${record.max_ms} ms`);
line('RSS every 10 s (MiB)', `${mib(rss[0])} at start; ${every10.length ? every10.join(' / ') : '(a run under 10 s)'}`);
line('RSS (MiB)', `first-quarter max ${mib(firstMax)}, last-quarter max ${mib(lastMax)}, limit ${mib(limit)}: ${flat ? 'flat' : 'grew'} (overall max ${mib(Math.max(...rss))})`);
if (controlRan) {
  line('RSS control (MiB)', `fresh server on the final store, ${env.SOAK_CONTROL_S} s of reads: max ${mib(controlMax)}, limit ${mib(controlLimit)}; ${wc.requests} requests (${record.control.rps}/s), ${controlErrors} errors`);
} else {
  line('RSS control', readsOnly ? 'none (reads only)' : 'skipped: rule 1 held');
}
const verdict = flat ? 'flat' : growthIsData ? 'growth = the data the POSTs added (no leak)'
  : readsOnly ? 'NOT FLAT: no plateau without writes' : 'LEAK: more than the data explains';
line('RSS verdict', verdict, checks.rss_flat && checks.control_errors);
if (readsOnly) {
  line('incidents', `${env.SOAK_STORED_BEFORE} before the reads, ${env.SOAK_STORED} after, ${w.created} created (must be 0)`, checks.incidents_match);
} else {
  line('incidents', `${w.created} acknowledged (201), ${env.SOAK_STORED} stored, ${env.SOAK_DISTINCT} distinct ids`, checks.incidents_match);
}
line('integrity_check', env.SOAK_INTEGRITY, checks.integrity);
line('SIGTERM exit codes', `${env.SOAK_EXIT} (${env.SOAK_MAIN})${controlRan ? `, ${env.SOAK_CONTROL_EXIT} (control)` : ''}` +
  `${env.SOAK_SEED_EXIT ? `, ${env.SOAK_SEED_EXIT} (seeding)` : ''}`, checks.clean_exit);
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
