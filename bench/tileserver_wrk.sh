#!/usr/bin/env bash
# Benchmark: tileserver vs nginx serving the same tile bytes, with wrk (64 connections).
#   bench/tileserver_wrk.sh [SCENARIO.gpkg] [DURATION_S]
# Without a scenario, a SYNTHETIC 80x80-grid scenario (6,400 grids) with 5,000 synthetic
# incidents is generated. The tile list is every tile z10-z16 over the scenario's bounds
# (at most 300 per zoom), for the page's composite source and the incidents source.
# Reports: cached-tile requests/s and p99 for tileserver and nginx (same bytes as static files),
# and cold-tile throughput (tileserver with --cache-mb 0: every request encodes).
# Needs: wrk, nginx (Debian: wrk nginx-light), node, ogr2ogr, build/bin/tileserver.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${TILESERVER_BIN:-$ROOT/build/bin/tileserver}
DURATION=${2:-10}
WORK=$(mktemp -d /tmp/tileserver-bench.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
for tool in wrk nginx node; do command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install wrk nginx-light nodejs)" >&2; exit 2; }; done

SCENARIO=${1:-}
if [ -z "$SCENARIO" ]; then
  SCENARIO=$WORK/bench_synthetic.gpkg
  node "$ROOT/tests/integration/tileserver/make_scenario.js" "$SCENARIO" 117.5 38.8 80 0.005 >/dev/null
  SYNTHETIC_INCIDENTS=5000
else
  cp "$SCENARIO" "$WORK/scenario.gpkg"   # the server adds incident tables: never touch the original
  SCENARIO=$WORK/scenario.gpkg
  SYNTHETIC_INCIDENTS=0
fi

start_server() { # $1 = extra options; sets PORT
  "$BIN" --port 0 --token bench --threads "$(nproc)" $1 "$SCENARIO" >"$WORK/server.out" 2>"$WORK/server.err" &
  PIDS+=($!)
  for _ in $(seq 100); do grep -q listening "$WORK/server.out" 2>/dev/null && break; sleep 0.1; done
  PORT=$(sed -n 's/.*:\([0-9]*\)\/$/\1/p' "$WORK/server.out" | head -1)
}
stop_server() { kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true; unset 'PIDS[-1]'; }

start_server ""
# Tile list + warm-up + static copies of the exact bytes for nginx (node, built-in fetch).
node - "$PORT" "$WORK" "$SYNTHETIC_INCIDENTS" <<'JS'
const [port, work, nInc] = [process.argv[2], process.argv[3], Number(process.argv[4])];
const fs = require('node:fs'); const path = require('node:path');
const base = `http://127.0.0.1:${port}`;
(async () => {
  let seed = 7; const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  const s = (await (await fetch(`${base}/api/scenarios`)).json()).scenarios[0];
  const [w, so, e, n] = s.bounds;
  for (let done = 0; done < nInc; done += 1000) {  // SYNTHETIC incidents, seeded
    const features = Array.from({ length: Math.min(1000, nInc - done) }, (_, i) => ({ type: 'Feature',
      geometry: { type: 'Point', coordinates: [w + rnd() * (e - w), so + rnd() * (n - so)] },
      properties: { category: ['noise', 'garbage', 'road_damage'][i % 3], synthetic: true } }));
    await fetch(`${base}/api/incidents`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer bench' },
      body: JSON.stringify({ type: 'FeatureCollection', features }) });
  }
  const tile = (lon, lat, z) => { const k = 2 ** z, r = lat * Math.PI / 180;
    return [Math.floor((lon + 180) / 360 * k), Math.floor((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2 * k)]; };
  const layers = ['jurisdictions,grids,coverage,service_areas,facilities,shelters', 'incidents'];
  const paths = [];
  for (let z = 10; z <= 16; z++) {
    const [x0, y0] = tile(w, n, z), [x1, y1] = tile(e, so, z);
    const all = [];
    for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) all.push([x, y]);
    const step = Math.max(1, Math.ceil(all.length / 300));
    for (let i = 0; i < all.length; i += step) for (const l of layers) paths.push(`/tiles/${l}/${z}/${all[i][0]}/${all[i][1]}.mvt`);
  }
  const kept = [];
  for (const p of paths) {
    const res = await fetch(base + p, { headers: { 'Accept-Encoding': 'identity' } });
    if (res.status !== 200) continue;          // 204s are not interesting for either server
    const bytes = Buffer.from(await res.arrayBuffer());
    fs.mkdirSync(path.join(work, 'www', path.dirname(p)), { recursive: true });
    fs.writeFileSync(path.join(work, 'www', p), bytes);
    kept.push(p);
  }
  fs.writeFileSync(path.join(work, 'paths.lua'),
    'local paths = {' + kept.map((p) => JSON.stringify(p)).join(',') + '}\n' +
    'local i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format("GET", paths[i], {["Accept-Encoding"] = "identity"})\nend\n');
  console.error(`tile list: ${kept.length} non-empty tiles z10-z16 (${paths.length} requested)`);
})();
JS

run_wrk() { # $1 = port; prints "req/s p99"
  wrk -t2 -c64 -d"${DURATION}s" --latency -s "$WORK/paths.lua" "http://127.0.0.1:$1" >"$WORK/wrk.out"
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.out")
  p99=$(awk '$1 == "99%" {print $2}' "$WORK/wrk.out")
  echo "$rps $p99"
}

read -r TS_RPS TS_P99 < <(run_wrk "$PORT")
stop_server

NGINX_PORT=$(node -e 'const s=require("net").createServer().listen(0,()=>{console.log(s.address().port);s.close()})')
mkdir -p "$WORK/nginx/logs"
cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes $(nproc);
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on; tcp_nopush on; tcp_nodelay on; keepalive_requests 100000;
  types { application/vnd.mapbox-vector-tile mvt; }
  server { listen 127.0.0.1:$NGINX_PORT; root $WORK/www; }
}
CONF
chmod -R a+rX "$WORK"   # nginx workers run as nobody
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
PIDS+=($!)
for _ in $(seq 100); do (echo >"/dev/tcp/127.0.0.1/$NGINX_PORT") 2>/dev/null && break; sleep 0.1; done
read -r NG_RPS NG_P99 < <(run_wrk "$NGINX_PORT")
kill "${PIDS[-1]}"; unset 'PIDS[-1]'

start_server "--cache-mb 0"
read -r COLD_RPS COLD_P99 < <(run_wrk "$PORT")
stop_server

RATIO=$(awk -v a="$TS_RPS" -v b="$NG_RPS" 'BEGIN { printf "%.0f", 100 * a / b }')
echo
echo "| run ($(nproc) cores, wrk -t2 -c64 -d${DURATION}s) | requests/s | p99 latency |"
echo "|---|---|---|"
echo "| tileserver, cached tiles | $TS_RPS | $TS_P99 |"
echo "| nginx, same bytes as static files | $NG_RPS | $NG_P99 |"
echo "| tileserver / nginx | ${RATIO} % | |"
echo "| tileserver, cold (--cache-mb 0, every request encodes) | $COLD_RPS | $COLD_P99 |"
