"""geogrid partition with polygon and MultiPoint weights on the Monaco quarters (OSM) and roads,
checked with shapely, independently of libgeo:
  - count polygons that straddle several quarters and several grids: each grid gets
    count × (area of the polygon inside the grid) / (area of the polygon), the totals per parent
    and overall are conserved within 1e-6, and the part outside every quarter is reported;
  - MultiPoint features: the count is shared equally among the feature's points;
  - a point heavier than max: its grid is over max, named with the cause, and the report locates
    the atom in lon/lat and in the parents' CRS.
The weights are SYNTHETIC (seeded squares and points around the quarters' shared boundaries)."""
import json
import random
import re
import subprocess
import sys
from pathlib import Path

from osgeo import osr
from shapely.geometry import MultiPoint, Point, box, mapping, shape
from shapely.ops import unary_union

geogrid, fixture, work = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
QUARTERS = fixture / "monaco_quarters_utm32.geojson"
CRS = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32632"}}

parents = {f["properties"]["osm_id"]: shape(f["geometry"]) for f in json.load(open(QUARTERS))["features"]}
everything = unary_union(list(parents.values()))
rng = random.Random(20240501)


def write(path, features):
    path.write_text(json.dumps({"type": "FeatureCollection", "crs": CRS, "name": path.stem, "features": features}))


def run(weights, out, report):
    cmd = [geogrid, "partition", "--parents", str(QUARTERS), "--code-field", "osm_id", "--name-field", "name",
           "--weights", str(weights), "--weight-field", "count",
           "--barriers", str(fixture / "monaco_roads_utm32.geojson"),
           "--target", "100", "--seed", "3", "--threads", "2", "--out", str(out), "--report", str(report)]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stderr


def grids(path):
    text = subprocess.run(["ogr2ogr", "-f", "GeoJSON", "/vsistdout/", str(path), "grids"],
                          check=True, capture_output=True).stdout
    return [(f["properties"], shape(f["geometry"])) for f in json.loads(text)["features"]]


# Squares of 150–400 m centred on points of the quarters' shared boundaries, so that each one
# straddles two or more quarters (and, being large, several grids); one reaches into the sea.
centres = []
codes = sorted(parents)
for i, a in enumerate(codes):
    for b in codes[i + 1:]:
        shared = parents[a].boundary.intersection(parents[b].boundary)
        if shared.length > 50:
            centres.append(shared.interpolate(rng.random() * shared.length))
squares = []
for c in centres:
    half = rng.uniform(75, 200)
    squares.append((box(c.x - half, c.y - half, c.x + half, c.y + half), round(rng.uniform(20, 400), 3)))
sea = box(everything.bounds[2] - 150, everything.bounds[1], everything.bounds[2] + 300, everything.bounds[1] + 400)
squares.append((sea, 123.456))
assert len(squares) >= 8, len(squares)
write(work / "count_squares_synthetic.geojson",
      [{"type": "Feature", "properties": {"count": w}, "geometry": mapping(s)} for s, w in squares])

stderr = run(work / "count_squares_synthetic.geojson", work / "squares.gpkg", work / "squares.md")
out = grids(work / "squares.gpkg")
total_in = sum(w * s.intersection(everything).area / s.area for s, w in squares)
total_all = sum(w for _, w in squares)
straddling_grids = 0
for props, g in out:
    expected = sum(w * s.intersection(g).area / s.area for s, w in squares)
    assert abs(props["weight"] - expected) <= 1e-6 * max(1.0, expected), (props["code"], props["weight"], expected)
for s, _ in squares:
    straddling_grids = max(straddling_grids, sum(1 for _, g in out if s.intersection(g).area > 1.0))
assert straddling_grids >= 3, "no square straddles several grids: the test does not exercise the areal share"
assert max(sum(1 for p in parents.values() if s.intersection(p).area > 1.0) for s, _ in squares) >= 2
for code, parent in parents.items():
    mine = sum(p["weight"] for p, _ in out if p["parent_code"] == code)
    expected = sum(w * s.intersection(parent).area / s.area for s, w in squares)
    assert abs(mine - expected) <= 1e-6 * max(1.0, expected), (code, mine, expected)
grid_total = sum(p["weight"] for p, _ in out)
assert abs(grid_total - total_in) <= 1e-6 * total_all, (grid_total, total_in)
# The part of the squares outside every quarter is reported, with the right amount (printed
# with 6 significant digits).
m = re.search(r"weight ([0-9.e+]+) of ([0-9.e+]+) \(([0-9.]+) %\) lies outside every parent", stderr)
assert m, stderr
assert abs(float(m.group(1)) - (total_all - total_in)) <= 1e-5 * total_all, (m.group(1), total_all - total_in)
assert abs(float(m.group(2)) - total_all) <= 1e-5 * total_all, (m.group(2), total_all)

# MultiPoint features: each of the n points carries count / n.
features = []
points = []
for i, c in enumerate(centres):
    n = 2 + i % 4
    pts = [Point(c.x + rng.uniform(-250, 250), c.y + rng.uniform(-250, 250)) for _ in range(n)]
    count = float(10 * (i + 1))
    features.append({"type": "Feature", "properties": {"count": count}, "geometry": mapping(MultiPoint(pts))})
    points += [(p, count / n) for p in pts]
# One point heavier than max (150): a building of 500 residents. Its grid is over max, and the
# report locates the atom in lon/lat and in the parents' CRS (UTM 32N here).
heavy = next(iter(parents.values())).representative_point()
features.append({"type": "Feature", "properties": {"count": 500.0}, "geometry": mapping(heavy)})
points.append((heavy, 500.0))
write(work / "households_multipoint_synthetic.geojson", features)
run(work / "households_multipoint_synthetic.geojson", work / "multipoints.gpkg", work / "multipoints.md")
out = grids(work / "multipoints.gpkg")
utm, wgs84 = osr.SpatialReference(), osr.SpatialReference()
utm.ImportFromEPSG(32632)
wgs84.ImportFromEPSG(4326)
wgs84.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
lon, lat, _ = osr.CoordinateTransformation(utm, wgs84).TransformPoint(heavy.x, heavy.y)
report = (work / "multipoints.md").read_text()
m = re.search(r"^- atom in grid (\S+) at ([0-9.-]+), ([0-9.-]+) \(lon, lat WGS 84\); ([0-9.-]+), ([0-9.-]+) "
              r"\(parents' CRS\); [0-9.-]+, [0-9.-]+ \(local metric CRS\) weighs 500\.0 > max 150", report, re.M)
assert m, report
assert abs(float(m.group(2)) - lon) < 5e-4 and abs(float(m.group(3)) - lat) < 5e-4, (m.groups(), lon, lat)
assert Point(float(m.group(4)), float(m.group(5))).distance(heavy) < 50, m.groups()
heavy_grid = next(g for p, g in out if p["code"] == m.group(1))
assert heavy_grid.contains(heavy)
assert re.search(r"^- grid " + m.group(1) + r" weighs [0-9.]+ > max 150\.0 — \*\*indivisible heavy atom\*\*",
                 report, re.M), report
for props, g in out:
    expected = sum(w for p, w in points if g.contains(p))
    assert abs(props["weight"] - expected) <= 1e-9 * max(1.0, expected), (props["code"], props["weight"], expected)
inside = sum(w for p, w in points if everything.contains(p))
assert abs(sum(p["weight"] for p, _ in out) - inside) <= 1e-9 * inside
print(f"ok: {len(squares)} count squares over {straddling_grids}+ grids, {len(features)} multipoints, totals conserved")
