#!/usr/bin/python3
"""Measures whether echarts' province outlines are GCJ-02 or WGS84.

Evidence method (numbers are recorded in data/tianjin/README.md):
  * Reference: Natural Earth 10m admin-1 boundary lines (WGS84), as shipped by the Debian package
    libmagics++-data (/usr/share/magics/10m/ne_10m_admin_1_states_provinces_lines.shp).
  * Sample: the outer outline of a province from echarts (the union of its districts), keeping only
    vertices within --near km of a Natural Earth provincial line (the land border; the coast is
    left out because reclamation has moved it).
  * Fit: the translation (east, north, in metres) that minimises the median distance from the
    shifted outline to the reference lines (grid search, coarse to fine). Random digitising
    differences between the two sources cancel; a datum-like systematic shift remains.
  * Compare with the GCJ-02 shift predicted at that place by the published GCJ-02 formula
    (implemented below independently of the library, so the check does not test itself), and
    report median distances for the hypotheses: as published (WGS84), after GCJ-02 -> WGS84,
    after BD-09 -> WGS84 (Baidu's further shift), and after the best-fit shift.

Run from the repository root (needs Debian python3-shapely, python3-numpy, gdal-bin, node, and
the libmagics++-data package for Natural Earth):
    /usr/bin/python3 data/tianjin/check_gcj02_evidence.py [--province tianjin --province beijing]
"""

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile

import numpy as np
from shapely.geometry import shape
from shapely.ops import unary_union

NATURAL_EARTH = "/usr/share/magics/10m/ne_10m_admin_1_states_provinces_lines.shp"
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

# --- GCJ-02 forward transform (WGS84 -> GCJ-02) ----------------------------------------------
# The obfuscation is a smooth offset made of polynomial and sine terms in (lon - 105, lat - 35),
# scaled from metres to degrees on the Krasovsky 1940 ellipsoid.
KRASOVSKY_A = 6378245.0
KRASOVSKY_E2 = 0.00669342162296594323


def _offset_terms(x, y):
    common = (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    north = (-100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x)) + common
             + (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
             + (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0)
    east = (300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x)) + common
            + (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
            + (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0)
    return east, north


def wgs84_to_gcj02(lon, lat):
    east, north = _offset_terms(lon - 105.0, lat - 35.0)
    phi = math.radians(lat)
    w = 1.0 - KRASOVSKY_E2 * math.sin(phi) ** 2
    meridian_radius = KRASOVSKY_A * (1.0 - KRASOVSKY_E2) / (w * math.sqrt(w))
    normal_radius = KRASOVSKY_A / math.sqrt(w)
    dlat = north * 180.0 / (meridian_radius * math.pi)
    dlon = east * 180.0 / (normal_radius * math.cos(phi) * math.pi)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon, lat, tolerance=1e-10):
    """Fixed-point inverse: the offset varies slowly, so a few iterations converge."""
    wlon, wlat = lon, lat
    for _ in range(30):
        glon, glat = wgs84_to_gcj02(wlon, wlat)
        dlon, dlat = lon - glon, lat - glat
        wlon, wlat = wlon + dlon, wlat + dlat
        if abs(dlon) < tolerance and abs(dlat) < tolerance:
            break
    return wlon, wlat


# BD-09 (Baidu) is a second obfuscation on top of GCJ-02; checked as a competing hypothesis.
BD_FACTOR = math.pi * 3000.0 / 180.0


def bd09_to_gcj02(lon, lat):
    x, y = lon - 0.0065, lat - 0.006
    z = math.hypot(x, y) - 0.00002 * math.sin(y * BD_FACTOR)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * BD_FACTOR)
    return z * math.cos(theta), z * math.sin(theta)


def gcj02_to_bd09(lon, lat):
    z = math.hypot(lon, lat) + 0.00002 * math.sin(lat * BD_FACTOR)
    theta = math.atan2(lat, lon) + 0.000003 * math.cos(lon * BD_FACTOR)
    return z * math.cos(theta) + 0.0065, z * math.sin(theta) + 0.006


# --- geometry helpers ------------------------------------------------------------------------

def metres_per_degree(lat):
    phi = math.radians(lat)
    return 111412.84 * math.cos(phi) - 93.5 * math.cos(3 * phi), 111132.92 - 559.82 * math.cos(2 * phi)


def load_reference_segments(bounds, workdir):
    """Natural Earth provincial lines of China near bounds, as an (n, 4) array of lon/lat segments."""
    if not os.path.exists(NATURAL_EARTH):
        sys.exit(f"check_gcj02_evidence: {NATURAL_EARTH} missing: apt-get install libmagics++-data")
    minx, miny, maxx, maxy = bounds
    out = os.path.join(workdir, "ne_lines.geojson")
    subprocess.run(["ogr2ogr", "-f", "GeoJSON", out, NATURAL_EARTH, "-where", "adm0_a3 = 'CHN'",
                    "-spat", str(minx - 0.5), str(miny - 0.5), str(maxx + 0.5), str(maxy + 0.5)],
                   check=True)
    with open(out, encoding="utf-8") as f:
        features = json.load(f)["features"]
    segments = []
    for feature in features:
        geometry = shape(feature["geometry"])
        lines = geometry.geoms if geometry.geom_type == "MultiLineString" else [geometry]
        for line in lines:
            c = list(line.coords)
            segments.extend((a[0], a[1], b[0], b[1]) for a, b in zip(c, c[1:]))
    return np.array(segments, dtype=float)


def outline_vertices(geojson_path, max_step_deg=0.005):
    """Vertices of the province's outer outline, densified so long edges are sampled too."""
    with open(geojson_path, encoding="utf-8") as f:
        features = json.load(f)["features"]
    province = unary_union([shape(f["geometry"]).buffer(0) for f in features])
    polygons = province.geoms if province.geom_type == "MultiPolygon" else [province]
    points = []
    for polygon in polygons:
        c = list(polygon.exterior.coords)
        for a, b in zip(c, c[1:]):
            steps = max(1, int(math.ceil(math.hypot(b[0] - a[0], b[1] - a[1]) / max_step_deg)))
            points.extend((a[0] + (b[0] - a[0]) * i / steps, a[1] + (b[1] - a[1]) * i / steps) for i in range(steps))
    return np.array(points, dtype=float), province


def distances_m(points, segments, kx, ky, cap_m=8000.0):
    """Distance (metres) from each point to the nearest segment, in a local equirectangular frame.

    Points are processed in blocks against the segments near each block, so memory and time stay
    small for large provinces; distances above cap_m are reported as cap_m.
    """
    result = np.full(points.shape[0], cap_m)
    seg_minx = np.minimum(segments[:, 0], segments[:, 2])
    seg_maxx = np.maximum(segments[:, 0], segments[:, 2])
    seg_miny = np.minimum(segments[:, 1], segments[:, 3])
    seg_maxy = np.maximum(segments[:, 1], segments[:, 3])
    mx, my = cap_m / kx, cap_m / ky
    order = np.lexsort((points[:, 1], np.floor(points[:, 0] / 0.2)))  # spatially coherent blocks
    for start in range(0, points.shape[0], 256):
        index = order[start:start + 256]
        block = points[index]
        bx0, by0 = block[:, 0].min() - mx, block[:, 1].min() - my
        bx1, by1 = block[:, 0].max() + mx, block[:, 1].max() + my
        near = (seg_maxx >= bx0) & (seg_minx <= bx1) & (seg_maxy >= by0) & (seg_miny <= by1)
        if not near.any():
            continue
        seg = segments[near]
        px, py = block[:, 0:1] * kx, block[:, 1:2] * ky
        ax, ay = seg[:, 0] * kx, seg[:, 1] * ky
        dx, dy = seg[:, 2] * kx - ax, seg[:, 3] * ky - ay
        length2 = np.maximum(dx * dx + dy * dy, 1e-12)
        t = np.clip(((px - ax) * dx + (py - ay) * dy) / length2, 0.0, 1.0)
        d = np.sqrt((px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2).min(axis=1)
        result[index] = np.minimum(d, cap_m)
    return result


def best_shift(points, segments, kx, ky):
    """Translation (east, north) in metres minimising the median distance, coarse to fine."""
    best = (0.0, 0.0)
    if points.shape[0] > 800:  # an even subsample keeps the search quick; the final numbers use all
        points = points[np.linspace(0, points.shape[0] - 1, 800).astype(int)]
    for half_width, step in ((2000.0, 200.0), (200.0, 20.0), (20.0, 2.0)):
        candidates = []
        n = int(round(half_width / step))
        for i in range(-n, n + 1):
            for j in range(-n, n + 1):
                east, north = best[0] + i * step, best[1] + j * step
                shifted = points + np.array([east / kx, north / ky])
                candidates.append((float(np.median(distances_m(shifted, segments, kx, ky))), east, north))
        _, east, north = min(candidates)
        best = (east, north)
    return best


def analyse(name, geojson_path, near_km, workdir):
    points, province = outline_vertices(geojson_path)
    lon0, lat0 = province.centroid.x, province.centroid.y
    kx, ky = metres_per_degree(lat0)
    segments = load_reference_segments(province.bounds, workdir)
    near = distances_m(points, segments, kx, ky) < near_km * 1000.0
    sample = points[near]
    as_published = distances_m(sample, segments, kx, ky)
    converted = np.array([gcj02_to_wgs84(lon, lat) for lon, lat in sample])
    after_gcj = distances_m(converted, segments, kx, ky)
    from_bd09 = np.array([gcj02_to_wgs84(*bd09_to_gcj02(lon, lat)) for lon, lat in sample])
    after_bd09 = distances_m(from_bd09, segments, kx, ky)
    east, north = best_shift(sample, segments, kx, ky)
    after_fit = distances_m(sample + np.array([east / kx, north / ky]), segments, kx, ky)
    glon, glat = wgs84_to_gcj02(lon0, lat0)
    blon, blat = gcj02_to_bd09(glon, glat)
    return {
        "province": name,
        "centroid_lon": round(lon0, 4),
        "centroid_lat": round(lat0, 4),
        "border_samples": int(sample.shape[0]),
        "reference_segments": int(segments.shape[0]),
        "fitted_shift_east_m": round(east, 0),
        "fitted_shift_north_m": round(north, 0),
        # The echarts outline minus WGS84 reference: the fit moves echarts onto Natural Earth, so
        # the apparent offset of echarts is the negated fit.
        "echarts_offset_east_m": round(-east, 0),
        "echarts_offset_north_m": round(-north, 0),
        "gcj02_offset_east_m": round((glon - lon0) * kx, 0),
        "gcj02_offset_north_m": round((glat - lat0) * ky, 0),
        "bd09_offset_east_m": round((blon - lon0) * kx, 0),
        "bd09_offset_north_m": round((blat - lat0) * ky, 0),
        "median_distance_m_as_published": round(float(np.median(as_published)), 0),
        "median_distance_m_after_gcj02_to_wgs84": round(float(np.median(after_gcj)), 0),
        "median_distance_m_after_bd09_to_wgs84": round(float(np.median(after_bd09)), 0),
        "median_distance_m_after_best_fit": round(float(np.median(after_fit)), 0),
        "mean_distance_m_as_published": round(float(np.mean(as_published)), 0),
        "mean_distance_m_after_gcj02_to_wgs84": round(float(np.mean(after_gcj)), 0),
        "mean_distance_m_after_bd09_to_wgs84": round(float(np.mean(after_bd09)), 0),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--province", action="append",
                        help="echarts province file name (default: tianjin and beijing)")
    parser.add_argument("--near", type=float, default=3.0,
                        help="keep outline vertices within this many km of a reference line")
    args = parser.parse_args()
    provinces = args.province or ["tianjin", "beijing"]
    results = []
    with tempfile.TemporaryDirectory() as workdir:
        for name in provinces:
            source = os.path.join(REPO, "node_modules/echarts/map/json/province", f"{name}.json")
            decoded = os.path.join(workdir, f"{name}.geojson")
            subprocess.run(["node", os.path.join(HERE, "echarts_decode.mjs"), source, decoded], check=True)
            results.append(analyse(name, decoded, args.near, workdir))
    json.dump(results, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
