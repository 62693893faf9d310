#!/usr/bin/env bash
# geogrid convert (OGR → WKB → GEOS → WKB → OGR) against GDAL's own ogr2ogr on
# the same real input, in the same run. Default input: the Monaco 2016 OSM
# extract's multipolygons layer (© OpenStreetMap contributors, ODbL).
#   bench/io/convert_vs_ogr2ogr.sh [GEOGRID] [INPUT] [LAYER] [RUNS]
# Prints the best wall and CPU (user+sys) time of RUNS runs for each step.
set -euo pipefail
cd "$(dirname "$0")/../.."
geogrid=${1:-build/bin/geogrid}
input=${2:-../shared/data/osm/monaco_2016.osm.pbf}
layer=${3:-multipolygons}
runs=${4:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Staged once: both tools then read the same GeoPackage.
ogr2ogr -f GPKG "$tmp/in.gpkg" "$input" "$layer" -nln "$layer" >/dev/null 2>&1
count=$(ogrinfo -so "$tmp/in.gpkg" "$layer" | sed -n 's/^Feature Count: //p')
echo "input: $input, layer $layer, $count features"

best() { # best "wall cpu" of $runs runs of the command
  local best_wall=999999 best_cpu=0
  for _ in $(seq "$runs"); do
    rm -rf "$tmp/out"*
    local t
    local TIMEFORMAT='%R %U %S' # bash's time keyword: no extra package needed
    { time "$@" >/dev/null 2>&1 || true; } 2>"$tmp/time"
    read -r wall user sys <"$tmp/time"
    if awk "BEGIN{exit !($wall < $best_wall)}"; then
      best_wall=$wall
      best_cpu=$(awk "BEGIN{print $user + $sys}")
    fi
  done
  echo "$best_wall $best_cpu"
}

row() { # name, then the command
  local name=$1; shift
  read -r wall cpu <<<"$(best "$@")"
  printf '| %s | %s s | %s s |\n' "$name" "$wall" "$cpu"
}

echo "| step | wall (best of $runs) | CPU |"
echo "|---|---|---|"
row "geogrid convert GPKG → GPKG" "$geogrid" convert "$tmp/in.gpkg" "$tmp/out.gpkg" --overwrite
row "ogr2ogr GPKG → GPKG" ogr2ogr -f GPKG "$tmp/out.gpkg" "$tmp/in.gpkg"
row "geogrid convert GPKG → FlatGeobuf, EPSG:32632" "$geogrid" convert "$tmp/in.gpkg" "$tmp/out.fgb" --to-crs EPSG:32632 --overwrite
row "ogr2ogr GPKG → FlatGeobuf, EPSG:32632" ogr2ogr -f FlatGeobuf -t_srs EPSG:32632 "$tmp/out.fgb" "$tmp/in.gpkg"
row "geogrid validate (GEOS validity + rings + ids)" sh -c "'$geogrid' validate '$tmp/in.gpkg' || true"
