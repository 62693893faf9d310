#!/usr/bin/python3
"""Keeps the polygonal part of repaired jurisdiction geometries.

GEOS' default make-valid ("linework" method, what `geogrid convert --make-valid` uses today) can
return a GeometryCollection of the repaired polygon plus the collapsed part of a bow-tie as a
metre-long line. A jurisdiction is an area, so this step replaces such a collection by its
polygonal members (a Polygon, or a MultiPolygon when there are several) and leaves every other
feature byte-for-byte as it was. It reports what it changed; with nothing to change it is a copy.

Usage: /usr/bin/python3 data/tianjin/keep_polygonal.py IN.geojson OUT.geojson
"""
import json
import sys


def polygons_of(geometry):
    kind = geometry.get("type")
    if kind == "Polygon":
        return [geometry["coordinates"]]
    if kind == "MultiPolygon":
        return list(geometry["coordinates"])
    if kind == "GeometryCollection":
        return [p for member in geometry.get("geometries", []) for p in polygons_of(member)]
    return []


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: keep_polygonal.py IN.geojson OUT.geojson")
    with open(sys.argv[1], encoding="utf-8") as f:
        collection = json.load(f)
    changed = []
    for feature in collection.get("features", []):
        geometry = feature.get("geometry")
        if not geometry or geometry.get("type") in ("Polygon", "MultiPolygon"):
            continue
        parts = polygons_of(geometry)
        code = feature.get("properties", {}).get("code", "?")
        if not parts:
            sys.exit(f"keep_polygonal: feature {code} has no polygonal part ({geometry.get('type')})")
        feature["geometry"] = ({"type": "Polygon", "coordinates": parts[0]} if len(parts) == 1
                               else {"type": "MultiPolygon", "coordinates": parts})
        changed.append(code)
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(collection, f, ensure_ascii=False)
        f.write("\n")
    if changed:
        print(f"keep_polygonal: kept the polygonal part of {len(changed)} collection(s): {', '.join(changed)}")


if __name__ == "__main__":
    main()
