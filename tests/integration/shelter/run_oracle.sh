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
"$geogrid" shelters --network "$work/small.osm.pbf" --shelters osm --proxy-kinds square --demand osm \
  --candidates osm --add "$k" --usable-share "$share" \
  --out "$work/shelters.gpkg" --report "$work/report.md" --dump-instance "$work/instance"
/usr/bin/python3 "$here/oracle.py" "$work/instance" --siting --min-candidates "$min_candidates"
