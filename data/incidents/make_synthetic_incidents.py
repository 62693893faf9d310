#!/usr/bin/python3
"""SYNTHETIC 12345 hotline incidents (市民热线工单) for the grid-governance demo.

No real 12345 data is available here, so the demo and the benchmarks use this documented,
seeded generator. It is NOT real data: the output file name contains `synthetic`, every
feature has `synthetic` = 1 and its ticket id starts with `SYN-`.

Model
  * Where: an incident is placed at a population point drawn with probability proportional to
    its `population` (so incidents follow where people live), then moved by an isotropic Gaussian
    of sigma JITTER_M metres (a complaint is about the street or building nearby). The default
    population is data/tianjin/binhai_population_synthetic.gpkg (itself SYNTHETIC, see
    data/tianjin/README.md); any point layer with an integer population field works (e.g. the
    Monaco buildings with their resident estimate). A few points land outside every grid
    (sea, neighbouring districts): the importer keeps and flags them, which the demo shows.
  * What: a category from CATEGORIES, chosen with its base weight times a monthly factor
    (heating complaints only in Tianjin's heating season, 15 Nov - 15 Mar; noise and water
    supply higher in summer, ...). The categories are a selection of the complaint classes that
    municipal 12345 hotlines commonly publish (环境卫生, 噪音扰民, 道路破损, 供水, 供热, 停车,
    物业, ...); they are the author's selection, not an official code list, and the weights are
    assumptions meant to look plausible.
  * When: a day uniform over [--start, --end) thinned by a weekday factor (weekends 0.8), and an
    hour from HOUR_WEIGHTS (peaks 09-11 and 19-22, quiet at night). Times are written as local
    Beijing time with an explicit +08:00 offset.
  * Ids: SYN-<seed>-<n>, so re-running with the same seed re-creates the same tickets and a
    repeated `geogrid incidents import --id-field ticket` adds nothing.

Usage:
  /usr/bin/python3 data/incidents/make_synthetic_incidents.py --seed 12345 [--count 100000] \
      [--population data/tianjin/binhai_population_synthetic.gpkg --population-layer population_synthetic \
       --population-field population] [--start 2024-01-01 --end 2024-07-01] \
      --out out/binhai_incidents_synthetic.geojson
  geogrid incidents import --in out/binhai_incidents_synthetic.geojson --id-field ticket \
      --grids GRIDS.gpkg --store SCENARIO.gpkg

Deterministic: the same seed, count, dates and population file give a byte-identical file
(Python's random.Random; the population points are read in FID order with ogr2ogr from gdal-bin).
Needs only Debian's /usr/bin/python3 and gdal-bin.
"""

import argparse
import bisect
import csv
import datetime as dt
import io
import json
import math
import os
import random
import subprocess
import sys

JITTER_M = 60.0

# key, Chinese class name, base weight, monthly factor (Jan..Dec), description templates.
CATEGORIES = [
    ("sanitation", "环境卫生", 20, [1, 1, 1, 1, 1.1, 1.2, 1.3, 1.3, 1.1, 1, 1, 1],
     ["垃圾清运不及时", "小区楼道堆放杂物", "路边垃圾桶满溢"]),
    ("noise", "噪音扰民", 16, [0.7, 0.7, 0.8, 1, 1.2, 1.4, 1.5, 1.5, 1.2, 1, 0.8, 0.7],
     ["夜间施工噪音", "广场舞音响扰民", "商铺外放音响"]),
    ("road_damage", "道路破损", 10, [1.2, 1.2, 1.3, 1.1, 1, 1, 1.2, 1.2, 1, 1, 1, 1.1],
     ["路面坑洼", "井盖破损", "人行道砖松动"]),
    ("water_supply", "供水", 9, [0.9, 0.9, 0.9, 1, 1, 1.2, 1.4, 1.4, 1.1, 1, 0.9, 0.9],
     ["停水未通知", "水压不足", "自来水浑浊"]),
    ("heating", "供热", 14, [2.2, 2.0, 1.2, 0, 0, 0, 0, 0, 0, 0, 1.0, 2.2],
     ["室温不达标", "暖气不热", "供热管道漏水"]),
    ("parking", "停车", 9, [1] * 12, ["占用消防通道停车", "小区车位纠纷", "路边违停"]),
    ("property", "物业", 12, [1] * 12, ["物业服务不到位", "电梯故障无人维修", "物业费争议"]),
    ("drainage", "排水", 5, [0.6, 0.6, 0.7, 0.8, 1, 1.5, 2.2, 2.0, 1.2, 0.8, 0.7, 0.6],
     ["雨后积水", "下水道堵塞", "污水外溢"]),
    ("street_vending", "占道经营", 5, [0.7, 0.7, 0.9, 1, 1.2, 1.3, 1.3, 1.3, 1.2, 1, 0.8, 0.7],
     ["早市占道", "流动摊贩占用人行道"]),
    ("greening", "园林绿化", 3, [0.5, 0.5, 1, 1.5, 1.5, 1.3, 1.2, 1.2, 1, 1, 0.7, 0.5],
     ["树木遮挡窗户", "绿地被毁", "枯树存在安全隐患"]),
    ("illegal_construction", "违法建设", 3, [1] * 12, ["私搭乱建", "楼顶违建"]),
]

# Relative report volume per hour of the day (local time).
HOUR_WEIGHTS = [0.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1.0, 1.6, 2.0, 2.0, 1.7,
                1.2, 1.4, 1.6, 1.6, 1.5, 1.4, 1.5, 1.8, 1.9, 1.6, 1.0, 0.6]
WEEKEND_FACTOR = 0.8
BEIJING = dt.timezone(dt.timedelta(hours=8))


def geometry_column(path, layer):
    """Name of the layer's geometry column, as ogrinfo reports it."""
    info = subprocess.run(["ogrinfo", "-ro", "-so", path, layer], check=True, capture_output=True, text=True).stdout
    for line in info.splitlines():
        if line.startswith("Geometry Column = "):
            return line.split("=", 1)[1].strip()
    sys.exit(f"cannot find the geometry column of {layer} in {path}")


def read_population(path, layer, field):
    """(lon, lat, weight) in FID order, via ogr2ogr (gdal-bin) as CSV in WGS84.

    Points are used as they are; polygons (e.g. buildings with a resident
    estimate) by a point on their surface."""
    geom = geometry_column(path, layer)
    sql = f'SELECT ST_PointOnSurface("{geom}") AS geom, "{field}" FROM "{layer}"'
    cmd = ["ogr2ogr", "-f", "CSV", "/vsistdout/", path, "-dialect", "sqlite", "-sql", sql,
           "-t_srs", "EPSG:4326", "-lco", "GEOMETRY=AS_XY"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    rows = []
    for r in csv.DictReader(io.StringIO(out)):
        w = float(r[field] or 0)
        if w > 0:
            rows.append((float(r["X"]), float(r["Y"]), w))
    if not rows:
        sys.exit(f"no population points with {field} > 0 in {path}")
    return rows


def cumulative(weights):
    acc, out = 0.0, []
    for w in weights:
        acc += w
        out.append(acc)
    return out


def pick(rng, cum):
    return bisect.bisect_right(cum, rng.random() * cum[-1])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, default=100_000)
    ap.add_argument("--population", default=os.path.join(here, "..", "tianjin", "binhai_population_synthetic.gpkg"))
    ap.add_argument("--population-layer", default="population_synthetic")
    ap.add_argument("--population-field", default="population")
    ap.add_argument("--start", default="2024-01-01", help="first day (local time)")
    ap.add_argument("--end", default="2024-07-01", help="day after the last day (local time)")
    ap.add_argument("--out", required=True, help="output GeoJSON; the name should contain 'synthetic'")
    args = ap.parse_args()
    if "synthetic" not in os.path.basename(args.out):
        sys.exit("the output file name must contain 'synthetic' (this data is not real)")

    rng = random.Random(args.seed)
    pop = read_population(args.population, args.population_layer, args.population_field)
    pop_cum = cumulative(w for _, _, w in pop)
    start = dt.date.fromisoformat(args.start)
    days = (dt.date.fromisoformat(args.end) - start).days
    if days <= 0:
        sys.exit("--end must be after --start")
    hour_cum = cumulative(HOUR_WEIGHTS)

    features = []
    for n in range(args.count):
        # Day: uniform, thinned on weekends (rejection sampling).
        while True:
            day = start + dt.timedelta(days=rng.randrange(days))
            if day.weekday() < 5 or rng.random() < WEEKEND_FACTOR:
                break
        month = day.month - 1
        cat_cum = cumulative(c[2] * c[3][month] for c in CATEGORIES)
        key, zh, _, _, texts = CATEGORIES[pick(rng, cat_cum)]
        hour = pick(rng, hour_cum)
        when = dt.datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60),
                           tzinfo=BEIJING)
        lon, lat, _ = pop[pick(rng, pop_cum)]
        # Gaussian jitter in metres, converted at the point's latitude.
        dx, dy = rng.gauss(0, JITTER_M), rng.gauss(0, JITTER_M)
        lat2 = lat + dy / 111_320.0
        lon2 = lon + dx / (111_320.0 * math.cos(math.radians(lat)))
        features.append({
            "type": "Feature",
            "properties": {
                "ticket": f"SYN-{args.seed}-{n:07d}",
                "category": key,
                "category_zh": zh,
                "description": f"[合成数据 synthetic] {zh}: {rng.choice(texts)}",
                "reported_at": when.isoformat(),
                "synthetic": 1,
            },
            "geometry": {"type": "Point", "coordinates": [round(lon2, 7), round(lat2, 7)]},
        })

    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection",
                   "name": "incidents_synthetic",
                   "description": "SYNTHETIC 12345 incidents generated by data/incidents/make_synthetic_incidents.py "
                                  f"(seed {args.seed}); not real data",
                   "features": features}, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(features)} SYNTHETIC incidents to {args.out} (seed {args.seed})")


if __name__ == "__main__":
    main()
