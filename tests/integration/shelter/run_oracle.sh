#!/bin/bash
# Small real instance: a bounding-box cut of the Monaco OSM extract
# (© OpenStreetMap contributors), run through `geogrid shelters`, then solved
# again by the LP/ILP oracle (oracle.py). Capacities are made to bind with a
# small usable share, so the allocation has to split and leave people out.
# Squares are the proxy shelters; parks and schools are the candidates, so the
# greedy has real choices (the oracle demands at least MIN_CANDIDATES).
# Usage: run_oracle.sh GEOGRID PBF WORKDIR BBOX USABLE_SHARE K MIN_CANDIDATES
set -euo pipefail
geogrid=$1 pbf=$2 work=$3 bbox=$4 share=$5 k=$6 min_candidates=$7
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work"
osmium extract --overwrite -s complete_ways -b "$bbox" "$pbf" -o "$work/small.osm.pbf" >/dev/null
# A synthetic 2 x 2 grid over the box (enlarged by 0.01 degrees) for the
# unserved-per-grid layer; the oracle checks that it adds up.
/usr/bin/python3 - "$bbox" "$work/grids_synthetic.geojson" <<'PY'
import json, sys
x0, y0, x1, y1 = map(float, sys.argv[1].split(","))
x0, y0, x1, y1 = x0 - 0.01, y0 - 0.01, x1 + 0.01, y1 + 0.01
xm, ym = (x0 + x1) / 2, (y0 + y1) / 2
cells = [(x0, y0, xm, ym), (xm, y0, x1, ym), (x0, ym, xm, y1), (xm, ym, x1, y1)]
features = [{"type": "Feature", "properties": {"grid_id": f"synthetic-{i}"},
             "geometry": {"type": "Polygon", "coordinates": [[[a, b], [c, b], [c, d], [a, d], [a, b]]]}}
            for i, (a, b, c, d) in enumerate(cells)]
json.dump({"type": "FeatureCollection", "features": features}, open(sys.argv[2], "w"))
PY
"$geogrid" shelters --network "$work/small.osm.pbf" --shelters osm --proxy-kinds square --demand osm \
  --grids "$work/grids_synthetic.geojson" --candidates osm --add "$k" --usable-share "$share" \
  --out "$work/shelters.gpkg" --report "$work/report.md" --dump-instance "$work/instance"
/usr/bin/python3 "$here/oracle.py" "$work/instance" --siting --min-candidates "$min_candidates" --gpkg "$work/shelters.gpkg"
