#!/usr/bin/env bash
# The planners' demo, run by `./run demo` after the build:
#   1. Binhai New Area, Tianjin (real district outline from echarts, SYNTHETIC population of 2.07 M
#      and SYNTHETIC 12345 incidents): ~6,900 red grids, incident import, statistics, hotspots.
#   2. Monaco (OSM 2016) and Shenzhen Longgang (OSM 2019), real streets: OSM extraction, grids cut
#      along real roads, 5/10/15-minute service circles, shelter allocation and siting, SYNTHETIC
#      incidents.
#   3. The tile server on all three scenarios, with its command-centre map.
# Outputs go to demo-out/ (or $DEMO_OUT). Set DEMO_NO_SERVER=1 to stop before the server,
# DEMO_PORT to choose its port (default 8080).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$ROOT/build/bin
OUT=${DEMO_OUT:-$ROOT/demo-out}
PY=/usr/bin/python3
PORT=${DEMO_PORT:-8080}
mkdir -p "$OUT"

step() { printf '\n\033[1;34m==> %s\033[0m\n' "$*" >&2; }
geogrid() { "$BIN/geogrid" "$@"; }
fresh() { rm -f "$@"; }

# --- 1. Binhai New Area ---------------------------------------------------------------------------
step "Tianjin districts (real outlines from echarts@4.9.0, GCJ-02 converted to WGS84)"
geogrid info "$ROOT/data/tianjin/tianjin_districts.gpkg"
geogrid validate "$ROOT/data/tianjin/tianjin_districts.gpkg"

step "Binhai New Area (120116) as the parent jurisdiction"
fresh "$OUT/binhai_district.gpkg" "$OUT/binhai.gpkg"
geogrid convert "$ROOT/data/tianjin/tianjin_districts.gpkg" "$OUT/binhai_district.gpkg" \
  --where "code = '120116'" --out-layer binhai

step "Partition Binhai into red grids of ~300 residents (SYNTHETIC population, 2.07 M)"
geogrid partition --parents "$OUT/binhai_district.gpkg" --code-field code --name-field name \
  --weights "$ROOT/data/tianjin/binhai_population_synthetic.gpkg" --weight-field population \
  --target 300 --seq-width 4 --seed 1 --threads "$(nproc)" \
  --out "$OUT/binhai.gpkg" --report "$OUT/binhai_partition.md"

step "SYNTHETIC 12345 incidents for Binhai: import, assign to grids, run the loop, statistics, hotspots"
"$PY" "$ROOT/data/incidents/make_synthetic_incidents.py" --seed 12345 --count 50000 \
  --out "$OUT/binhai_incidents_synthetic.geojson"
geogrid incidents import --in "$OUT/binhai_incidents_synthetic.geojson" --grids "$OUT/binhai.gpkg" \
  --id-field ticket --store "$OUT/binhai.gpkg" --synthetic
geogrid incidents simulate-loop --store "$OUT/binhai.gpkg" --seed 12345
geogrid incidents stats --store "$OUT/binhai.gpkg" --by category --window month
geogrid incidents hotspots --store "$OUT/binhai.gpkg" --grids "$OUT/binhai.gpkg" --out "$OUT/binhai.gpkg" --overwrite

# --- 2. Real streets: Monaco and Shenzhen Longgang ------------------------------------------------
# city NAME OSM_FILE TARGET PARENT_FILTER: the parents are the extract's admin boundaries matching
# PARENT_FILTER (Monaco's quarters), or its bounds when it has no complete boundary (Longgang).
city() {
  local name=$1 osm=$2 target=$3 filter=$4
  local gpkg=$OUT/$name.gpkg
  fresh "$gpkg" "$OUT/${name}_osm.gpkg"
  step "$name: extract roads, buildings (resident estimate), facilities, shelter sites from OSM"
  geogrid osm "$osm" --out "$OUT/${name}_osm.gpkg"
  geogrid info "$OUT/${name}_osm.gpkg"

  step "$name: red grids along the real roads, residents from buildings"
  geogrid convert "$OUT/${name}_osm.gpkg" "$OUT/${name}_parents.gpkg" --layer boundary --where "$filter" \
    --out-layer parents --overwrite
  geogrid partition --parents "$OUT/${name}_parents.gpkg" --code-field code --name-field name \
    --weights "$OUT/${name}_osm.gpkg" --weights-layer buildings --weight-field residents_estimate \
    --barriers "$OUT/${name}_osm.gpkg" --barriers-layer roads --target "$target" --seed 1 --threads "$(nproc)" \
    --out "$gpkg" --report "$OUT/${name}_partition.md"

  step "$name: 5/10/15-minute walking service circles and coverage per grid"
  geogrid access --network "$osm" --facilities osm --residents "$OUT/${name}_osm.gpkg" \
    --residents-layer buildings --weight-field residents_estimate --grids "$gpkg" \
    --out "$gpkg" --report "$OUT/${name}_access.md"

  step "$name: emergency shelters (parks/squares as proxy), allocation and 5 new sites"
  geogrid shelters --network "$osm" --shelters osm --demand osm --candidates osm --add 5 \
    --grids "$gpkg" --grids-layer grids --out "$gpkg" --report "$OUT/${name}_shelters.md"

  step "$name: SYNTHETIC incidents following the estimated residents"
  "$PY" "$ROOT/data/incidents/make_synthetic_incidents.py" --seed 7 --count 5000 \
    --population "$OUT/${name}_osm.gpkg" --population-layer buildings --population-field residents_estimate \
    --out "$OUT/${name}_incidents_synthetic.geojson"
  geogrid incidents import --in "$OUT/${name}_incidents_synthetic.geojson" --id-field ticket --grids "$gpkg" --store "$gpkg" --synthetic
  geogrid incidents simulate-loop --store "$gpkg" --seed 7
}
city monaco "$ROOT/data/osm/monaco_2016.osm.pbf" 300 "admin_level = 10"
city longgang "$ROOT/data/osm/shenzhen_longgang_2019.osm" 300 "code = '0'"

step "Results"
ls -l "$OUT"/*.gpkg "$OUT"/*.md
echo "Reports: $OUT/*_partition.md, *_access.md, *_shelters.md" >&2

# --- 3. The tile server -----------------------------------------------------------------------------
if [ -n "${DEMO_NO_SERVER:-}" ]; then
  exit 0
fi
step "Tile server: open http://127.0.0.1:$PORT/ (Ctrl-C to stop)"
TOKEN=${TILESERVER_TOKEN:-demo-token}
echo "Write token for POST /api/incidents: $TOKEN" >&2
exec "$BIN/tileserver" --bind 127.0.0.1 --port "$PORT" --token "$TOKEN" \
  --label binhai="Binhai New Area, Tianjin (synthetic population and incidents)" \
  --label monaco="Monaco (OSM 2016; synthetic incidents)" \
  --label longgang="Shenzhen Longgang (OSM 2019; synthetic incidents)" \
  --attribution binhai="Outline: echarts 4.9.0 (Apache-2.0); population and incidents SYNTHETIC" \
  --attribution monaco="© OpenStreetMap contributors (ODbL)" \
  --attribution longgang="© OpenStreetMap contributors (ODbL)" \
  binhai="$OUT/binhai.gpkg" monaco="$OUT/monaco.gpkg" longgang="$OUT/longgang.gpkg"
