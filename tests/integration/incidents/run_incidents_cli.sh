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

# --- hotspots without --grids: import copied the grids into the store (layer grids) -----------
expect "$(ogrinfo -ro -so scenario.gpkg grids)" "Feature Count: 4"
out=$("$G" incidents hotspots --store scenario.gpkg --out hotspots_default.gpkg)
expect "$out" "Gi\* over 4 grids"
cmp <(ogrinfo -ro -al -q hotspots.gpkg hotspots | grep -v '^INFO') \
    <(ogrinfo -ro -al -q hotspots_default.gpkg hotspots | grep -v '^INFO') \
  || fail "hotspots from the store's grids differ from hotspots with --grids"
"$G" incidents import --in incidents.geojson --id-field ticket --category-field kind --time-field t \
     --grids grids.gpkg --store nogrids_src.gpkg >/dev/null
ogr2ogr -f GPKG bare.gpkg nogrids_src.gpkg incidents incident_history
if "$G" incidents hotspots --store bare.gpkg --out h2.gpkg 2>err.txt; then
  fail "hotspots without --grids on a store without grids must be an error"
fi
expect "$(cat err.txt)" "no layer 'grids'"
expect "$(cat err.txt)" "--grids"

# --- --layer: a GeoPackage with two point layers ------------------------------------------------
ogr2ogr -f GPKG two_layers.gpkg incidents.geojson -nln hotline
ogr2ogr -f GPKG -update two_layers.gpkg incidents.geojson -nln other -where "ticket = 'A1'"
if "$G" incidents import --in two_layers.gpkg --id-field ticket --grids grids.gpkg --store layer.gpkg 2>err.txt; then
  fail "two layers without --layer must be an error"
fi
expect "$(cat err.txt)" "--layer"
out=$("$G" incidents import --in two_layers.gpkg --layer hotline --id-field ticket --category-field kind \
      --time-field t --grids grids.gpkg --store layer.gpkg)
expect "$out" "read 5 rows from two_layers.gpkg (layer hotline)"
expect "$out" "added 4"

# --- --crs: a CSV in Web Mercator (no CRS in the file) ------------------------------------------
# x,y = EPSG:3857 of (0.5 0.5) and (1.5 1.5): R·λ and R·ln tan(π/4 + φ/2), R = 6378137.
/usr/bin/python3 - <<'PY'
import math
R = 6378137.0
m = lambda lon, lat: (R * math.radians(lon), R * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))
with open("mercator.csv", "w") as f:
    f.write("id,x,y,category,reported_at\n")
    for i, (lon, lat) in enumerate([(0.5, 0.5), (1.5, 1.5)]):
        x, y = m(lon, lat)
        f.write(f"M{i},{x:.3f},{y:.3f},noise,2024-03-01T08:00:00Z\n")
PY
if "$G" incidents import --in mercator.csv --id-field id --grids grids.gpkg --store crs.gpkg 2>err.txt; then
  fail "a CSV without CRS and without --crs must be an error"
fi
expect "$(cat err.txt)" "--crs"
out=$("$G" incidents import --in mercator.csv --crs EPSG:3857 --id-field id --grids grids.gpkg --store crs.gpkg)
expect "$out" "added 2"
expect "$(ogrinfo -ro -q crs.gpkg incidents -where "external_id='M0'")" "grid_code (String) = G00"
expect "$(ogrinfo -ro -q crs.gpkg incidents -where "external_id='M1'")" "grid_code (String) = G11"

# --- --encoding: a GBK CSV (Chinese categories); and one Latin-1 value in a UTF-8 file ----------
printf 'ticket,lon,lat,category,reported_at\nC1,0.5,0.5,噪音扰民,2024-03-01 08:00:00\nC2,1.5,1.5,供热,2024-03-01 09:00:00\n' \
  | iconv -f UTF-8 -t GBK > gbk.csv
out=$("$G" incidents import --in gbk.csv --crs EPSG:4326 --id-field ticket --grids grids.gpkg --store gbk.gpkg)
expect "$out" "added 0"
expect "$out" "2 bad text encoding"
expect "$out" "row 1 (-): bad text encoding \[skipped\]: attribute 'category' is not valid UTF-8 text"
expect "$out" "note: 2 rows with text that is not valid UTF-8 skipped: .*--encoding"
out=$("$G" incidents import --in gbk.csv --crs EPSG:4326 --encoding GBK --id-field ticket --grids grids.gpkg \
      --store gbk.gpkg)
expect "$out" "added 2"
json=$("$G" incidents stats --store gbk.gpkg --by category --json)
/usr/bin/python3 - "$json" <<'PY'
import json, sys
rows = {r["key"]: r["total"] for r in json.loads(sys.argv[1])["rows"]}
assert rows == {"噪音扰民": 1, "供热": 1}, rows
PY
printf 'ticket,lon,lat,category,reported_at\nU1,0.5,0.5,noise,2024-03-01 08:00:00\nU2,0.5,0.5,caf\xe9,2024-03-01 08:00:00\nU3,1.5,1.5,环境卫生,2024-03-01 09:00:00\n' \
  > one_latin1.csv
out=$("$G" incidents import --in one_latin1.csv --crs EPSG:4326 --id-field ticket --grids grids.gpkg --store mixed.gpkg)
expect "$out" "read 3 rows"
expect "$out" "added 2"
expect "$out" "row 2 (-): bad text encoding \[skipped\]"

# --- one broken geometry among good ones (GeoJSON) ----------------------------------------------
cat > broken.geojson <<'JSON'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"ticket":"B1","t":"2024-03-01 08:00:00"},"geometry":{"type":"Point","coordinates":[0.5,0.5]}},
{"type":"Feature","properties":{"ticket":"B2","t":"2024-03-01 08:00:00"},"geometry":{"type":"LineString","coordinates":[[0.5,0.5]]}},
{"type":"Feature","properties":{"ticket":"B3","t":"2024-03-01 08:00:00"},"geometry":{"type":"Point","coordinates":[1.5,1.5]}}]}
JSON
out=$("$G" incidents import --in broken.geojson --id-field ticket --time-field t --grids grids.gpkg --store broken.gpkg)
expect "$out" "added 2"
expect "$out" "skipped: 1 bad geometry"
expect "$out" "row 1 (-): bad geometry \[skipped\]: reading WKB failed"

# --- --time-format and --utc-offset -0530 -------------------------------------------------------
printf 'ticket,lon,lat,category,when\nT1,0.5,0.5,noise,01.03.2024 08:00\nT2,1.5,0.5,noise,2024-03-01 08:00\n' > dotted.csv
out=$("$G" incidents import --in dotted.csv --crs EPSG:4326 --id-field ticket --time-field when \
      --time-format '%d.%m.%Y %H:%M' --utc-offset -0530 --grids grids.gpkg --store dotted.gpkg)
expect "$out" "added 1"
expect "$out" "(T2): unparseable time \[skipped\]: '2024-03-01 08:00' does not match %d.%m.%Y %H:%M"
expect "$(ogrinfo -ro -q dotted.gpkg incidents -where "external_id='T1'")" "reported_at (DateTime) = 2024/03/01 13:30:00"
if "$G" incidents import --in dotted.csv --crs EPSG:4326 --utc-offset 0530x --grids grids.gpkg --store x.gpkg 2>err.txt; then
  fail "a bad --utc-offset must be refused"
fi
expect "$(cat err.txt)" "cannot read UTC offset '0530x'"

# --- stats --window week, --by jurisdiction --json, with per-row stage medians ------------------
# SYNTHETIC: the loop simulation moves only synthetic incidents, so import with --synthetic.
"$G" incidents import --in incidents.geojson --id-field ticket --category-field kind --time-field t \
     --grids grids.gpkg --store loop.gpkg --synthetic >/dev/null
"$G" incidents simulate-loop --store loop.gpkg --seed 3 --as-of 2024-06-01T00:00:00Z >/dev/null
for by in jurisdiction grid category; do
  json=$("$G" incidents stats --store loop.gpkg --by $by --window week --json)
  /usr/bin/python3 - "$json" "$by" <<'PY'
import json, sys
s = json.loads(sys.argv[1])
assert s["by"] == sys.argv[2] and s["window"] == "week", s
assert s["total"] == 4, s
for r in s["rows"]:
    assert r["window_start"].endswith("T16:00:00Z"), r  # Monday 00:00 in Beijing
    assert set(r["stage_median_hours"]) == {"reported", "dispatched", "handling", "resolved"}, r
# Each row's stage samples add up to the overall ones: stays are counted in exactly one row.
for stage, overall in s["stage_median_hours"].items():
    assert sum(r["stage_median_hours"][stage]["samples"] for r in s["rows"]) == overall["samples"], stage
assert s["stage_median_hours"]["reported"]["samples"] == 4, s  # every incident left reported
if sys.argv[2] == "jurisdiction":
    assert {r["key"] for r in s["rows"]} == {"(outside)", "J0", "J1"}, s["rows"]
PY
done
text=$("$G" incidents stats --store loop.gpkg --by jurisdiction --window week)
expect "$text" "median h: reported dispatched handling resolved"
expect "$text" "median time per stage, all rows"

if "$G" incidents stats --store scenario.gpkg --by street 2>/dev/null; then
  fail "an unknown --by must be refused"
fi
if "$G" incidents stats --store missing.gpkg 2>err.txt; then
  fail "a missing store must be an error"
fi
echo "ok"
