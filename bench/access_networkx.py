#!/usr/bin/python3
"""Benchmark: geogrid's bounded multi-source Dijkstra vs networkx, same graph, same run.

  /usr/bin/python3 bench/access_networkx.py BUILD/bin/geogrid data/osm/monaco_2016.osm.pbf

Runs `geogrid access --facilities osm --export-graph DIR` (every facility
category of the extract, levels 5/10/15 min at 4.5 km/h), which times its own
network-distance phase (one bounded multi-source run per category, cutoff =
the 15-min distance; the 5 and 10 min sets come from the same run) and writes
the graph. Then times networkx's multi_source_dijkstra_path_length on the same
exported graph (sources as a virtual node on their partial edges, as in
tests/integration/network/oracle.py), both as one run per category at the
largest cutoff (the same work) and as one run per category and level, and
checks that the reachable sets and distances agree. Both sides are medians of
repeated warm runs (50 for geogrid, 7 for networkx). Prints a Markdown table.
"""
import csv
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "integration", "network"))
import networkx as nx  # noqa: E402
import oracle  # noqa: E402


# Both sides are timed warm and repeated, and the median is reported: geogrid repeats its
# distance phase (--timing-repeats), networkx runs are repeated here.
REPEATS_OURS = 50
REPEATS_NX = 7


def median_ms(fn, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return times[len(times) // 2]


def ours(geogrid, osm, tmp, threads):
    """geogrid's distance phase (median of REPEATS_OURS warm runs) on `threads` threads."""
    out = os.path.join(tmp, f"export{threads}")
    subprocess.run([geogrid, "access", "--network", osm, "--facilities", "osm", "--no-per-facility",
                    "--timing-repeats", str(REPEATS_OURS), "--threads", str(threads),
                    "--export-graph", out, "--out", os.path.join(tmp, f"a{threads}.gpkg")], check=True,
                   stdout=subprocess.DEVNULL)
    ms = float(next(r for r in oracle.read_rows(os.path.join(out, "timing.csv"))
                    if r["stage"] == "dijkstra_all_categories")["milliseconds"])
    return ms, out


def main(geogrid, osm):
    with tempfile.TemporaryDirectory() as tmp:
        # One thread (networkx's condition) and two (the categories spread over both cores).
        ours_ms, out = ours(geogrid, osm, tmp, 1)
        ours2_ms, out2 = ours(geogrid, osm, tmp, 2)
        g, lengths, ends = oracle.base_graph(out)
        levels = [float(r["distance_m"]) for r in oracle.read_rows(os.path.join(out, "levels.csv"))]
        categories = sorted(os.path.basename(p)[8:-4] for p in os.listdir(out) if p.startswith("sources_"))
        graphs = {c: oracle.add_sources(g, lengths, ends, oracle.read_rows(os.path.join(out, f"sources_{c}.csv")))
                  for c in categories}
        def single():
            for c in categories:
                nx.multi_source_dijkstra_path_length(graphs[c], {"S"}, cutoff=levels[-1], weight="weight")

        def per_level():
            for c in categories:
                for bound in levels:
                    nx.multi_source_dijkstra_path_length(graphs[c], {"S"}, cutoff=bound, weight="weight")

        nx_single_ms = median_ms(single, REPEATS_NX)
        nx_levels_ms = median_ms(per_level, REPEATS_NX)
        identical = oracle.check(out) and oracle.check(out2)
        print()
        print(f"| graph | categories | levels (m) | networkx, 1 run/category (ms) | geogrid, 1 thread (ms) | ratio "
              f"| geogrid, 2 threads (ms) | ratio | networkx, 1 run/category/level (ms) | ratio (1 thread) "
              f"| identical |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        print(f"| {g.number_of_nodes()} nodes, {len(lengths)} edges | {len(categories)} "
              f"| {', '.join(f'{b:.0f}' for b in levels)} | {nx_single_ms:.1f} | {ours_ms:.3f} "
              f"| {nx_single_ms / ours_ms:.0f}× | {ours2_ms:.3f} | {nx_single_ms / ours2_ms:.0f}× "
              f"| {nx_levels_ms:.1f} | {nx_levels_ms / ours_ms:.0f}× | {'yes' if identical else 'NO'} |")
        return 0 if identical else 1


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
