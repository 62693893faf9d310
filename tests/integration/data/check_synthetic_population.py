#!/usr/bin/python3
"""Specification of data/tianjin/make_synthetic_population.py (ctest data.synthetic_population_*).

Rules checked on a small run (5,000 points, so it takes seconds):
  * the same seed gives a byte-identical CSV; another seed gives a different one;
  * populations sum exactly to --total, every row is labelled synthetic = 1;
  * every point lies inside Binhai New Area's WGS84 polygon from data/tianjin;
  * most people live in the documented cores: at least half within 10 km of Tanggu, Dagang or
    Hangu centres together, and the Eco-City core is populated;
  * bad arguments (too few points) stop with an error.
Usage: check_synthetic_population.py REPO_ROOT WORK_DIR
"""
import csv
import filecmp
import json
import math
import os
import subprocess
import sys

from shapely.geometry import Point, shape
from shapely.prepared import prep

repo, work = sys.argv[1], sys.argv[2]
os.makedirs(work, exist_ok=True)
script = os.path.join(repo, "data/tianjin/make_synthetic_population.py")
districts = os.path.join(repo, "data/tianjin/tianjin_districts.geojson")
failures = []


def run(seed, out, points=5000, total=2_070_000):
    return subprocess.run([sys.executable, script, "--seed", str(seed), "--points", str(points),
                           "--total", str(total), "--districts", districts, "--out", out],
                          capture_output=True, text=True)


def check(condition, message):
    if not condition:
        failures.append(message)


a, b, c = (os.path.join(work, name) for name in ("a.csv", "b.csv", "c.csv"))
for seed, out in ((7, a), (7, b), (8, c)):
    result = run(seed, out)
    check(result.returncode == 0, f"seed {seed}: exit {result.returncode}: {result.stderr}")
check(filecmp.cmp(a, b, shallow=False), "same seed gives identical output")
check(not filecmp.cmp(a, c, shallow=False), "different seeds give different output")

with open(districts, encoding="utf-8") as f:
    binhai = next(shape(x["geometry"]) for x in json.load(f)["features"] if x["properties"]["code"] == "120116")
if binhai.geom_type == "GeometryCollection":
    binhai = [g for g in binhai.geoms if g.area > 0][0]
inside = prep(binhai)
with open(a, encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
check(len(rows) == 5000, f"5000 points written, got {len(rows)}")
check(sum(int(r["population"]) for r in rows) == 2_070_000, "populations sum to the total")
check(all(r["synthetic"] == "1" for r in rows), "every row is labelled synthetic")
outside = sum(1 for r in rows if not inside.contains(Point(float(r["lon"]), float(r["lat"]))))
check(outside == 0, f"all points inside Binhai ({outside} outside)")


def near(lon0, lat0, km):
    kx, ky = 111.32 * math.cos(math.radians(lat0)), 110.99
    return sum(int(r["population"]) for r in rows
               if math.hypot((float(r["lon"]) - lon0) * kx, (float(r["lat"]) - lat0) * ky) <= km)


urban = near(117.6745, 38.9974, 10) + near(117.46, 38.845, 10) + near(117.80, 39.245, 10)
check(urban >= 0.5 * 2_070_000, f"at least half within 10 km of the three old centres ({urban})")
check(near(117.78352, 39.15314, 5) >= 0.03 * 2_070_000, "Eco-City core is populated")

bad = run(1, os.path.join(work, "bad.csv"), points=10)
check(bad.returncode != 0 and "points" in bad.stderr, "too few points is an error")

if failures:
    print("\n".join("FAIL: " + m for m in failures), file=sys.stderr)
    sys.exit(1)
print("synthetic population: all checks passed")
