#!/usr/bin/python3
"""Specification of data/tianjin/tianjin_districts.geojson (ctest data.wgs84_districts_*).

  * 16 features with the jurisdictions fields, codes 1201xx, parent 120000, level district;
  * every geometry is a valid (Multi)Polygon;
  * for each district that needed no repair, every WGS84 vertex equals the GCJ-02 vertex of
    tianjin_districts_gcj02.geojson converted by an independent implementation of the GCJ-02
    inverse (data/tianjin/check_gcj02_evidence.py) to within 1e-7 degree (about 1 cm);
  * the conversion moved Binhai by 500-600 m (the GCJ-02 offset there), not by zero.
Usage: check_wgs84_districts.py REPO_ROOT
"""
import json
import math
import os
import sys

from shapely.geometry import shape

repo = sys.argv[1]
sys.path.insert(0, os.path.join(repo, "data/tianjin"))
from check_gcj02_evidence import gcj02_to_wgs84, metres_per_degree  # noqa: E402

with open(os.path.join(repo, "data/tianjin/tianjin_districts.geojson"), encoding="utf-8") as f:
    wgs = {x["properties"]["code"]: x for x in json.load(f)["features"]}
with open(os.path.join(repo, "data/tianjin/tianjin_districts_gcj02.geojson"), encoding="utf-8") as f:
    gcj = {x["properties"]["code"]: x for x in json.load(f)["features"]}
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def rings(geometry):
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [ring for polygon in polygons for ring in polygon]


check(sorted(wgs) == sorted(gcj) and len(wgs) == 16, "16 districts with the same codes")
compared = 0
for code, feature in sorted(wgs.items()):
    p = feature["properties"]
    check(code.startswith("1201") and p.get("parent") == "120000" and p.get("level") == "district"
          and p.get("name") == gcj[code]["properties"]["name"], f"{code}: jurisdiction fields")
    g = shape(feature["geometry"])
    check(g.geom_type in ("Polygon", "MultiPolygon") and g.is_valid, f"{code}: valid polygonal geometry")
    if not shape(gcj[code]["geometry"]).is_valid:
        continue  # repaired by make-valid: vertex lists differ by design
    a, b = rings(feature["geometry"]), rings(gcj[code]["geometry"])
    if len(a) != len(b) or any(len(x) != len(y) for x, y in zip(a, b)):
        check(False, f"{code}: ring structure changed although the input was valid")
        continue
    worst = max(max(abs(u - v) for u, v in zip(w, gcj02_to_wgs84(*q)))
                for x, y in zip(a, b) for w, q in zip(x, y))
    check(worst < 1e-7, f"{code}: differs from the independent GCJ-02 inverse by {worst:.2e} degree")
    compared += 1
check(compared == 11, f"11 valid districts compared vertex by vertex, got {compared}")

w, q = rings(wgs["120116"]["geometry"])[0][0], rings(gcj["120116"]["geometry"])[0][0]
kx, ky = metres_per_degree(q[1])
shift = math.hypot((q[0] - w[0]) * kx, (q[1] - w[1]) * ky)
check(500 < shift < 600, f"Binhai moved by {shift:.0f} m from GCJ-02 to WGS84")

if failures:
    print("\n".join("FAIL: " + m for m in failures), file=sys.stderr)
    sys.exit(1)
print(f"WGS84 districts: all checks passed ({compared} districts compared vertex by vertex)")
