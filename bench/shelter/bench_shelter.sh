#!/bin/bash
# Shelter allocation benchmark (docs/benchmarks.md, "Shelters"): Monaco, every
# OSM building with estimated residents as a demand unit, parks/squares as the
# proxy shelters (the extract has no emergency=assembly_point). Prints the
# problem size and geogrid's exact min-cost-flow time, then the time of the
# same allocation as two LPs solved by COIN-OR CBC through PuLP (oracle.py).
# Usage: bench/shelter/bench_shelter.sh [BUILD_DIR]   (default build)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for run in 1 2 3; do
  "$build/bin/geogrid" shelters --network "$root/data/osm/monaco_2016.osm.pbf" --shelters osm --demand osm \
    --out "$work/monaco.gpkg" --dump-instance "$work/instance" | grep -E '^(network|problem|allocation):'
done
/usr/bin/python3 "$root/tests/integration/shelter/oracle.py" "$work/instance"
