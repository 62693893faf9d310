"""geogrid partition on Monaco (OSM): run, re-run with --previous, and check the
rules with shapely/GDAL, independently of libgeo."""
import json
import subprocess
import sys
from pathlib import Path

from shapely.geometry import shape
from shapely.ops import unary_union

geogrid, fixture, work = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])


def run(out, report, *extra):
    cmd = [geogrid, "partition", "--parents", str(fixture / "monaco_quarters_utm32.geojson"),
           "--code-field", "osm_id", "--name-field", "name",
           "--weights", str(fixture / "monaco_buildings_utm32.geojson"),
           "--barriers", str(fixture / "monaco_roads_utm32.geojson"),
           "--target", "60", "--seed", "7", "--threads", "2",
           "--out", str(out), "--report", str(report), *extra]
    subprocess.run(cmd, check=True)


def layer(path, name):
    text = subprocess.run(["ogr2ogr", "-f", "GeoJSON", "/vsistdout/", str(path), name],
                          check=True, capture_output=True).stdout
    return json.loads(text)["features"]


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


parents = {f["properties"]["osm_id"]: shape(f["geometry"])
           for f in json.load(open(fixture / "monaco_quarters_utm32.geojson"))["features"]}
run(work / "monaco.gpkg", work / "monaco.md")
first = check(work / "monaco.gpkg", parents)
in_band = [g for g in first if 30 <= g["properties"]["weight"] <= 90]
assert len(in_band) >= 0.8 * len(first), f"only {len(in_band)}/{len(first)} grids in band"
report = (work / "monaco.md").read_text()
assert "## Per parent" in report and "Fontvieille" in report

run(work / "monaco2.gpkg", work / "monaco2.md", "--previous", str(work / "monaco.gpkg"), "--min", "50", "--max", "70")
second = check(work / "monaco2.gpkg", parents)
old = {g["properties"]["code"]: shape(g["geometry"]) for g in first}
kept = [g for g in second if g["properties"]["code"] in old]
assert kept, "nothing kept by --previous"
for g in kept:
    assert shape(g["geometry"]).symmetric_difference(old[g["properties"]["code"]]).area < 1e-3
    assert 50 <= g["properties"]["weight"] <= 70
assert "Stable re-partition" in (work / "monaco2.md").read_text()
print(f"ok: {len(first)} grids, {len(kept)} kept on re-partition")
