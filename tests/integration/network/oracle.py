#!/usr/bin/python3
"""Oracle check of geogrid's walking distances against networkx.

Reads what `geogrid access --export-graph DIR` wrote (edges.csv, levels.csv,
sources_<category>.csv, distances_<category>.csv) and, for every category and
every level distance, runs networkx's multi-source Dijkstra with that cutoff
on the same graph. Sources sit on edges (partial edges): a virtual node "S"
gets one directed edge to each end of a source's edge, weighted by the offset
and by length - offset, so that it cannot become a shortcut between real
nodes. Passes when the reachable node sets are identical and every distance
agrees within 1e-6 m. Uses Debian's python3-networkx (/usr/bin/python3).
"""
import csv
import glob
import os
import sys

import networkx as nx

TOLERANCE_M = 1e-6


def read_rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def base_graph(directory):
    g = nx.DiGraph()
    lengths = {}
    ends = {}
    for row in read_rows(os.path.join(directory, "edges.csv")):
        e, a, b, w = int(row["edge"]), int(row["from"]), int(row["to"]), float(row["length_m"])
        lengths[e] = w
        ends[e] = (a, b)
        for u, v in ((a, b), (b, a)):
            # Parallel edges: the shortest one is the one that matters.
            if not g.has_edge(u, v) or g[u][v]["weight"] > w:
                g.add_edge(u, v, weight=w)
    return g, lengths, ends


def add_sources(g, lengths, ends, sources):
    g = g.copy()
    for row in sources:
        e, t = int(row["edge"]), float(row["offset_m"])
        a, b = ends[e]
        for node, w in ((a, t), (b, lengths[e] - t)):
            if not g.has_edge("S", node) or g["S"][node]["weight"] > w:
                g.add_edge("S", node, weight=w)
    return g


def check(directory):
    g, lengths, ends = base_graph(directory)
    levels = [float(r["distance_m"]) for r in read_rows(os.path.join(directory, "levels.csv"))]
    failures = 0
    checked = 0
    for path in sorted(glob.glob(os.path.join(directory, "sources_*.csv"))):
        category = os.path.basename(path)[len("sources_"):-len(".csv")]
        sources = read_rows(path)
        ours_all = {int(r["node"]): float(r["distance_m"])
                    for r in read_rows(os.path.join(directory, f"distances_{category}.csv"))}
        gs = add_sources(g, lengths, ends, sources)
        for bound in levels:
            if sources:
                theirs = nx.multi_source_dijkstra_path_length(gs, {"S"}, cutoff=bound, weight="weight")
                theirs.pop("S", None)
            else:
                theirs = {}
            ours = {n: d for n, d in ours_all.items() if d <= bound}
            if set(ours) != set(theirs):
                failures += 1
                only_ours = sorted(set(ours) - set(theirs))[:5]
                only_theirs = sorted(set(theirs) - set(ours))[:5]
                print(f"FAIL {category} @ {bound} m: node sets differ "
                      f"(ours only {only_ours}, networkx only {only_theirs})")
                continue
            worst = max((abs(ours[n] - theirs[n]) for n in ours), default=0.0)
            if worst > TOLERANCE_M:
                failures += 1
                print(f"FAIL {category} @ {bound} m: max distance difference {worst} m")
                continue
            checked += 1
            print(f"ok   {category} @ {bound:.1f} m: {len(ours)} nodes reachable, "
                  f"max |diff| {worst:.3g} m")
    print(f"graph: {g.number_of_nodes()} nodes, {len(lengths)} edges; {checked} checks passed, "
          f"{failures} failed")
    return failures == 0 and checked > 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: oracle.py EXPORT_DIR")
    sys.exit(0 if check(sys.argv[1]) else 1)
