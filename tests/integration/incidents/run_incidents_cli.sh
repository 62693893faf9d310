#!/usr/bin/env bash
# Usage: run_incidents_cli.sh GEOGRID OUTDIR
set -euo pipefail
G=$1
OUT=$2
rm -rf "$OUT"
mkdir -p "$OUT"
cd "$OUT"
fail() { echo "FAIL: $*" >&2; exit 1; }
expect() { grep -q -- "$2" <<<"$1" || fail "expected '$2' in: $1"; }

# 2×2 grids over [0,2]², codes G00..G11, parents J0/J1.
cat > grids.geojson <<'JSON'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":"G00","parent_code":"J0"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},
{"type":"Feature","properties":{"code":"G01","parent_code":"J0"},"geometry":{"type":"Polygon","coordinates":[[[1,0],[2,0],[2,1],[1,1],[1,0]]]}},
{"type":"Feature","properties":{"code":"G10","parent_code":"J1"},"geometry":{"type":"Polygon","coordinates":[[[0,1],[1,1],[1,2],[0,2],[0,1]]]}},
{"type":"Feature","properties":{"code":"G11","parent_code":"J1"},"geometry":{"type":"Polygon","coordinates":[[[1,1],[2,1],[2,2],[1,2],[1,1]]]}}]}
JSON
cat > incidents.geojson <<'JSON'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"ticket":"A1","kind":"noise","t":"2024-03-01 08:00:00"},"geometry":{"type":"Point","coordinates":[0.5,0.5]}},
{"type":"Feature","properties":{"ticket":"A2","kind":"noise","t":"2024-03-02 08:00:00"},"geometry":{"type":"Point","coordinates":[1.0,0.5]}},
{"type":"Feature","properties":{"ticket":"A3","kind":"heating","t":"2024-03-03 08:00:00"},"geometry":{"type":"Point","coordinates":[1.5,1.5]}},
{"type":"Feature","properties":{"ticket":"A4","kind":"heating","t":"yesterday"},"geometry":{"type":"Point","coordinates":[1.5,1.5]}},
{"type":"Feature","properties":{"ticket":"A5","kind":"parking","t":"2024-03-04 08:00:00"},"geometry":{"type":"Point","coordinates":[9,9]}}]}
JSON
ogr2ogr -f GPKG grids.gpkg grids.geojson -nln grids

args=(incidents import --in incidents.geojson --id-field ticket --category-field kind --time-field t
      --grids grids.gpkg --store scenario.gpkg)
out=$("$G" "${args[@]}")
expect "$out" "added 4, already in the store 0"
expect "$out" "outside all grids (kept, flagged): 1"
expect "$out" "1 unparseable time"
expect "$out" "(A4): unparseable time \[skipped\]"
expect "$out" "(A5): outside all grids \[kept\]"

out=$("$G" "${args[@]}")
expect "$out" "added 0, already in the store 4"

info=$(ogrinfo -ro -so scenario.gpkg incidents)
expect "$info" "Feature Count: 4"
expect "$info" "Geometry: Point"
expect "$(ogrinfo -ro -q scenario.gpkg incidents -where "external_id='A2'")" "grid_code (String) = G00"

json=$("$G" incidents stats --store scenario.gpkg --by jurisdiction --json)
/usr/bin/python3 - "$json" <<'PY'
import json, sys
s = json.loads(sys.argv[1])
assert s["total"] == 4 and s["open"] == 4 and s["outside"] == 1, s
rows = {r["key"]: r["total"] for r in s["rows"]}
assert rows == {"(outside)": 1, "J0": 2, "J1": 1}, rows
PY

out=$("$G" incidents hotspots --store scenario.gpkg --grids grids.gpkg --out hotspots.gpkg)
expect "$out" "Gi\* over 4 grids"
expect "$(ogrinfo -ro -so hotspots.gpkg hotspots)" "Feature Count: 4"

# simulate-loop touches synthetic incidents only: these are real, so nothing moves.
out=$("$G" incidents simulate-loop --store scenario.gpkg --seed 1)
expect "$out" "0 synthetic incidents, 0 status changes"

if "$G" incidents stats --store scenario.gpkg --by street 2>/dev/null; then
  fail "an unknown --by must be refused"
fi
if "$G" incidents stats --store missing.gpkg 2>err.txt; then
  fail "a missing store must be an error"
fi
echo "ok"
