#!/bin/sh
# Runs bench_partition for the three methods (ours, METIS alone, clipped square
# lattice) at Binhai scale for the default band [0.5, 1.5] × target, a narrow
# ±10 % band and a ±3 % band (narrower than METIS's own 3 % balance, where band
# compliance tells the methods apart), one process per run (peak RSS per
# method), and prints a Markdown table for docs/benchmarks.md. The lattice
# baseline is a plain square lattice: its cells are not the atoms the other two
# split (see bench_partition.cpp).
# Usage: bench/partition/run.sh [BUILD_DIR]   (default: build)
set -eu
build=${1:-build}
bin="$build/bin/bench_partition"
echo "| band | method | atoms | grids | in band | contiguous | mean Polsby–Popper | weight min–max | CPU s atoms / split / union | wall s split | peak RSS MiB |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for band in "150 450" "270 330" "291 309"; do
  set -- $band
  for method in ours metis lattice; do
    "$bin" --method "$method" --min "$1" --max "$2" | /usr/bin/python3 -c "
import json, sys
r = json.loads(sys.stdin.read())
names = {'ours': 'ours (METIS + repair + local search)', 'metis': 'METIS k-way alone (contig on)', 'lattice': 'square lattice clipped'}
print(f\"| [$1, $2] | {names[r['method']]} | {r['atoms']} | {r['grids']} | {100*r['in_band']:.1f} % | {100*r['contiguous']:.1f} % | {r['mean_pp']:.3f} | {r['min_w']:.0f}–{r['max_w']:.0f} | {r['atoms_cpu']:.1f} / {r['split_cpu']:.1f} / {r['union_cpu']:.1f} | {r['split_s']:.1f} | {r['rss_peak_mib']:.0f} |\")
"
  done
done
