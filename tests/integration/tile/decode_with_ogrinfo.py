#!/usr/bin/python3
"""Decode every test tile with GDAL's MVT driver (ogrinfo) and compare it with
what our decoder read: same features per layer (by mvt_id), same property
values, and every vertex within one tile unit (GDAL georeferences the tile
from its z/x/y path, so coordinates come back in EPSG:3857 metres).

usage: decode_with_ogrinfo.py <ogrinfo> <tile directory>
"""
import json
import math
import re
import subprocess
import sys

HALF = 20037508.342789244
GEOMETRY = re.compile(r"^  (MULTI)?(POINT|LINESTRING|POLYGON)\b")
FIELD = re.compile(r"^  (\S+) \(([^)]+\)?)\) = (.*)$")
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def ogr_features(ogrinfo, path):
    out = subprocess.run([ogrinfo, "-ro", "-al", "-oo", "CLIP=NO", path], capture_output=True, text=True, check=True)
    layers = {}
    current = None
    for line in out.stdout.splitlines():
        m = re.match(r"^OGRFeature\((.+)\):(\d+)$", line)
        if m:
            current = {"properties": {}, "types": {}, "coords": []}
            layers.setdefault(m.group(1), []).append(current)
            continue
        if current is None:
            continue
        m = FIELD.match(line)
        if m:
            current["properties"][m.group(1)] = m.group(3)
            current["types"][m.group(1)] = m.group(2)
            continue
        if GEOMETRY.match(line):
            nums = [float(v) for v in NUMBER.findall(line)]
            current["coords"] = list(zip(nums[0::2], nums[1::2]))
    return layers


def same_value(expected, got):
    if isinstance(expected, bool):
        return got in ("1", "0") and (got == "1") == expected
    if isinstance(expected, int):
        return int(got) == expected
    if isinstance(expected, float):
        return math.isclose(float(got), expected, rel_tol=1e-6, abs_tol=1e-9)
    return got == expected


def near(points, p, tol):
    return any(abs(q[0] - p[0]) <= tol and abs(q[1] - p[1]) <= tol for q in points)


def check_tile(ogrinfo, tile_dir, name):
    z, x, y = (int(v) for v in name.split("/"))
    expected = json.load(open(f"{tile_dir}/{name}.json"))
    got = ogr_features(ogrinfo, f"{tile_dir}/{name}.mvt")
    size = 2 * HALF / 2 ** z
    errors = []
    for layer, content in expected["layers"].items():
        res = size / content["extent"]
        min_x, max_y = -HALF + x * size, HALF - y * size
        ogr = {int(f["properties"]["mvt_id"]): f for f in got.get(layer, [])}
        if len(ogr) != len(content["features"]):
            errors.append(f"{name} {layer}: GDAL read {len(ogr)} features, we wrote {len(content['features'])}")
            continue
        for feature in content["features"]:
            f = ogr.get(feature["id"])
            if f is None:
                errors.append(f"{name} {layer}: feature {feature['id']} missing in GDAL's reading")
                continue
            for key, value in feature["properties"].items():
                if key not in f["properties"] or not same_value(value, f["properties"][key]):
                    errors.append(f"{name} {layer} {feature['id']}: {key} = {f['properties'].get(key)!r}, expected {value!r}")
            mine = [tuple(p) for part in feature["geometry"] for p in part]
            theirs = [((mx - min_x) / res, (max_y - my) / res) for mx, my in f["coords"]]
            for p in mine:
                if not near(theirs, p, 1.0):
                    errors.append(f"{name} {layer} {feature['id']}: vertex {p} not in GDAL's geometry")
                    break
            for p in theirs:
                if not near(mine, p, 1.0):
                    errors.append(f"{name} {layer} {feature['id']}: GDAL vertex {p} is not ours")
                    break
    for layer in got:
        if layer not in expected["layers"]:
            errors.append(f"{name}: GDAL found an unexpected layer {layer}")
    return errors


def main():
    ogrinfo, tile_dir = sys.argv[1], sys.argv[2]
    tiles = json.load(open(f"{tile_dir}/manifest.json"))
    errors = []
    for name in tiles:
        errors += check_tile(ogrinfo, tile_dir, name)
    for e in errors[:50]:
        print("FAIL", e)
    print(f"GDAL MVT driver: {len(tiles)} tiles checked, {len(errors)} problems")
    return 1 if errors or not tiles else 0


if __name__ == "__main__":
    sys.exit(main())
