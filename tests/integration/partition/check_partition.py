"""geogrid partition on Monaco (OSM): run, re-run, re-run with --previous, and check the rules with
shapely/GDAL/sqlite3, independently of libgeo:
  - coverage, single valid polygons, unique codes (rules 1 and 3);
  - band (rule 2): every grid is in [min, max] unless the report names it with a cause, and the
    cause is checked where it can be (a piece below min is a whole part of its parent);
  - determinism (rule 9): two runs with 2 threads and one with 1 thread give byte-identical grids
    (code, parent_code, seq, weight, GeoPackage geometry blob);
  - --previous (rule 7): kept grids unchanged and in band, new seq numbers after the largest old
    one of their parent, the report's table lists exactly the kept/changed/new codes, and the
    grids of a parent that vanished are listed as retired."""
import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

from shapely.geometry import shape
from shapely.ops import unary_union

geogrid, fixture, work = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
QUARTERS = fixture / "monaco_quarters_utm32.geojson"


def run(out, report, *extra, parents=QUARTERS, threads="2"):
    cmd = [geogrid, "partition", "--parents", str(parents),
           "--code-field", "osm_id", "--name-field", "name",
           "--weights", str(fixture / "monaco_buildings_utm32.geojson"),
           "--barriers", str(fixture / "monaco_roads_utm32.geojson"),
           "--target", "60", "--seed", "7", "--threads", threads,
           "--out", str(out), "--report", str(report), *extra]
    subprocess.run(cmd, check=True, stderr=subprocess.DEVNULL)


def layer(path, name):
    text = subprocess.run(["ogr2ogr", "-f", "GeoJSON", "/vsistdout/", str(path), name],
                          check=True, capture_output=True).stdout
    return json.loads(text)["features"]


def rows(path):
    """The grids exactly as stored: attributes and the GeoPackage geometry blob (header + WKB)."""
    with sqlite3.connect(path) as db:
        return db.execute("SELECT code, parent_code, seq, weight, area_m2, compactness, boundary_on_barriers, geom "
                          "FROM grids ORDER BY code").fetchall()


def check(out, parents):
    grids = layer(out, "grids")
    assert layer(out, "jurisdictions"), "jurisdictions layer missing"
    codes = [g["properties"]["code"] for g in grids]
    assert len(codes) == len(set(codes)), "duplicate grid codes"
    for code, parent in parents.items():
        mine = [g for g in grids if g["properties"]["parent_code"] == code]
        assert mine, f"no grids for {code}"
        shapes = [shape(g["geometry"]) for g in mine]
        for g, s in zip(mine, shapes):
            assert s.is_valid and s.geom_type == "Polygon", g["properties"]["code"]
            p = g["properties"]
            assert p["code"] == code + f"{p['seq']:03d}"
        union = unary_union(shapes)
        assert abs(sum(s.area for s in shapes) - union.area) < 1e-6 * parent.area, f"overlap in {code}"
        assert union.symmetric_difference(parent).area < 1e-6 * parent.area, f"gap in {code}"
    return grids


def reasons(report):
    """grid code → cause, from the report's "Where the band cannot be met" lines."""
    found = {}
    for m in re.finditer(r"^- grid (\S+) weighs [0-9.]+ [<>] (?:min|max) [0-9.]+ — \*\*(.+?)\*\*: (.+)$", report,
                         re.M):
        assert m.group(1) not in found, f"{m.group(1)} listed twice"
        found[m.group(1)] = m.group(2)
    return found


def check_band(grids, parents, report, lo, hi, allowed, kept=()):
    """Every grid in [lo, hi] unless the report gives an allowed cause for it; returns the outside ones.
    `kept`: codes carried over by --previous (the rest of their parent is what gets divided)."""
    why = reasons(report)
    outside = []
    for g in grids:
        p = g["properties"]
        if lo <= p["weight"] <= hi:
            assert p["code"] not in why, f"{p['code']} is in the band but listed as outside"
            continue
        outside.append(p["code"])
        assert p["code"] in why, f"{p['code']} weighs {p['weight']}, outside [{lo}, {hi}], and the report gives no reason"
        assert why[p["code"]] in allowed, f"{p['code']}: unexpected cause {why[p['code']]}"
        if why[p["code"]] == "piece below min":
            # Independently: the grid is a whole connected part of what was divided (its parent,
            # less the grids kept from --previous), lighter than min.
            parent = parents[p["parent_code"]]
            region = parent.difference(unary_union([shape(k["geometry"]) for k in grids
                                                    if k["properties"]["code"] in kept
                                                    and k["properties"]["parent_code"] == p["parent_code"]]))
            parts = list(region.geoms) if hasattr(region, "geoms") else [region]
            s = shape(g["geometry"])
            assert p["weight"] < lo
            assert any(s.symmetric_difference(part).area < 1e-6 * parent.area for part in parts), \
                f"{p['code']} is not a whole piece"
    assert set(why) == set(outside), f"report lists {set(why) - set(outside)} that are in the band"
    return outside


def repartition_table(report):
    """parent → (kept, changed, new) code sets from the report's Stable re-partition table."""
    section = report.split("## Stable re-partition", 1)[1].split("\n## ", 1)[0]
    table = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 4 or cells[0] in ("parent", "---"):
            continue
        table[cells[0]] = tuple(set() if c == "–" else set(c.split(", ")) for c in cells[1:])
    return table


features = json.load(open(QUARTERS))
parents = {f["properties"]["osm_id"]: shape(f["geometry"]) for f in features["features"]}
names = {f["properties"]["name"]: f["properties"]["osm_id"] for f in features["features"]}

# --- one run: coverage, codes, band -----------------------------------------------------------
run(work / "monaco.gpkg", work / "monaco.md")
first = check(work / "monaco.gpkg", parents)
report = (work / "monaco.md").read_text()
assert "## Per parent" in report and "Fontvieille" in report
# Default band [30, 90]: the only grids outside are Larvotto (24) and Sainte-Dévote (6), whose
# totals are below min. Les Monegetti (156) once got 6 / 83 / 67: now all its grids are in band.
outside = check_band(first, parents, report, 30, 90, {"piece below min"})
assert sorted(outside) == sorted(c for c in (g["properties"]["code"] for g in first)
                                 if c.startswith(names["Larvotto"]) or c.startswith(names["Sainte-Dévote"])), outside
monegetti = [g["properties"]["weight"] for g in first if g["properties"]["parent_code"] == names["Les Monegetti"]]
assert sum(monegetti) == 156 and all(30 <= w <= 90 for w in monegetti), monegetti

# --- determinism: same inputs and seed → identical bytes, whatever --threads ------------------
run(work / "monaco_again.gpkg", work / "monaco_again.md")
run(work / "monaco_1thread.gpkg", work / "monaco_1thread.md", threads="1")
reference = rows(work / "monaco.gpkg")
assert len(reference) == len(first)
for other in ("monaco_again.gpkg", "monaco_1thread.gpkg"):
    again = rows(work / other)
    assert len(again) == len(reference), other
    for a, b in zip(reference, again):
        assert a == b, f"{other}: grid {a[0]} differs from the first run"

# --- --previous: keep, renumber after the largest old seq, report kept/changed/new -------------
run(work / "monaco2.gpkg", work / "monaco2.md", "--previous", str(work / "monaco.gpkg"), "--min", "50", "--max", "70")
second = check(work / "monaco2.gpkg", parents)
report2 = (work / "monaco2.md").read_text()
old = {g["properties"]["code"]: g for g in first}
new = {g["properties"]["code"]: g for g in second}
kept = [c for c in new if c in old]
check_band(second, parents, report2, 50, 70,
           {"piece below min", "no whole number of grids fits the band", "atom granularity"}, kept)
assert kept, "nothing kept by --previous"
for c in kept:
    assert shape(new[c]["geometry"]).symmetric_difference(shape(old[c]["geometry"])).area < 1e-3
    assert 50 <= new[c]["properties"]["weight"] <= 70
table = repartition_table(report2)
assert set(table) == set(parents), table.keys()
for parent in parents:
    old_seqs = [g["properties"]["seq"] for g in first if g["properties"]["parent_code"] == parent]
    fresh = [g for c, g in new.items() if g["properties"]["parent_code"] == parent and c not in old]
    for g in fresh:
        assert g["properties"]["seq"] > max(old_seqs), f"{g['properties']['code']} reuses or precedes an old seq"
    mine_old = {c for c, g in old.items() if g["properties"]["parent_code"] == parent}
    mine_new = {c for c, g in new.items() if g["properties"]["parent_code"] == parent}
    assert table[parent] == (mine_old & mine_new, mine_old - mine_new, mine_new - mine_old), \
        f"{parent}: report says {table[parent]}"
assert any(table[p][1] for p in parents), "no grid changed: the test does not exercise re-partition"

# --- a parent that vanished: its grids are retired, and the report says so ----------------------
gone = names["Fontvieille"]
without = dict(features, features=[f for f in features["features"] if f["properties"]["osm_id"] != gone])
(work / "quarters_without_fontvieille.geojson").write_text(json.dumps(without))
run(work / "monaco3.gpkg", work / "monaco3.md", "--previous", str(work / "monaco.gpkg"),
    parents=work / "quarters_without_fontvieille.geojson")
third = check(work / "monaco3.gpkg", {k: v for k, v in parents.items() if k != gone})
assert not [g for g in third if g["properties"]["parent_code"] == gone]
table3 = repartition_table((work / "monaco3.md").read_text())
retired = {c for c, g in old.items() if g["properties"]["parent_code"] == gone}
assert table3.get(f"{gone} (parent gone)") == (set(), retired, set()), table3.get(f"{gone} (parent gone)")
print(f"ok: {len(first)} grids ({len(outside)} outside the band, explained), identical on re-run, "
      f"{len(kept)} kept on re-partition, {len(retired)} retired with their parent")
