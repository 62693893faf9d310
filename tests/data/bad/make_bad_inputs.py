#!/usr/bin/env python3
"""Writes the bad-input corpus of tests/data/bad (run from anywhere; deterministic).

Every file is small, synthetic and wrong on purpose in exactly one way; cases.txt says which
command is run on it and which clear error (or repair report) is expected. Needs ogr2ogr
(gdal-bin) for the Shapefile and GeoPackage cases and reads ../../../data/osm/monaco_2016.osm.pbf
(© OpenStreetMap contributors, ODbL) for the truncated-PBF case.
"""
import json
import os
import shutil
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..', '..'))

# A real place for the coordinates: Tanggu, Binhai New Area (WGS 84), small squares of ~1 km.
LON, LAT, D = 117.70, 39.02, 0.01


def square(x0, y0, d=D):
    return [[[x0, y0], [x0 + d, y0], [x0 + d, y0 + d], [x0, y0 + d], [x0, y0]]]


def feature(geometry, **props):
    return {'type': 'Feature', 'properties': props, 'geometry': geometry}


def write_geojson(name, features):
    with open(os.path.join(HERE, name), 'w', encoding='utf-8') as f:
        json.dump({'type': 'FeatureCollection', 'features': features}, f, ensure_ascii=False, indent=1)
        f.write('\n')


def ogr2ogr(*args):
    subprocess.run(['ogr2ogr', *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main():
    poly = lambda rings: {'type': 'Polygon', 'coordinates': rings}
    point = lambda x, y: {'type': 'Point', 'coordinates': [x, y]}

    # Geometry problems
    write_geojson('self_intersecting.geojson', [feature(poly([[[LON, LAT], [LON + D, LAT + D], [LON + D, LAT],
                                                               [LON, LAT + D], [LON, LAT]]]), code='120116001', name='bowtie')])
    write_geojson('unclosed_ring.geojson', [feature(poly([square(LON, LAT)[0][:-1]]), code='120116001', name='open ring')])
    write_geojson('empty_geometry.geojson', [feature(poly(square(LON, LAT)), code='120116001', name='fine'),
                                             feature(None, code='120116002', name='null geometry'),
                                             feature(poly([]), code='120116003', name='empty polygon')])
    write_geojson('mixed_types.geojson', [feature(poly(square(LON, LAT)), code='120116001', name='polygon'),
                                          feature(point(LON + 0.02, LAT), code='120116002', name='a point among parents')])
    # Coordinates in the wrong CRS: CGCS2000 / 3-degree GK CM 117E metres in a GeoJSON, whose CRS is WGS 84.
    write_geojson('metres_labelled_wgs84.geojson', [feature(poly([[[560000, 4319000], [561000, 4319000], [561000, 4320000],
                                                                  [560000, 4320000], [560000, 4319000]]]), code='120116001')])
    write_geojson('swapped_latlon.geojson', [feature(poly([[[y, x] for x, y in square(LON, LAT)[0]]]), code='120116001')])
    write_geojson('huge_coordinates.geojson', [feature(poly([[[1e300, 1e300], [2e300, 1e300], [2e300, 2e300], [1e300, 1e300]]]),
                                                       code='120116001')])
    # JSON has no NaN or Inf: they come in through CSV text (GDAL's CSV driver reads the WKT column).
    with open(os.path.join(HERE, 'nan_coordinates.csv'), 'w') as f:
        f.write('WKT,category,reported_at\n')
        f.write(f'"POINT ({LON + 0.005} {LAT + 0.005})",noise,2026-03-01T08:00:00+08:00\n')
        f.write('"POINT (nan nan)",noise,2026-03-01T09:00:00+08:00\n')
        f.write(f'"POINT (inf {LAT})",sanitation,2026-03-01T10:00:00+08:00\n')
        f.write(f'"POINT ({LON + 0.006} {LAT + 0.004})",road_damage,not-a-time\n')
    with open(os.path.join(HERE, 'nan_coordinates.prj'), 'w') as f:
        f.write('GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],'
                'PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]')

    # Attribute problems
    write_geojson('duplicate_codes.geojson', [feature(poly(square(LON, LAT)), code='120116001', name='north part'),
                                              feature(poly(square(LON, LAT - 0.03)), code='120116001', name='south part'),
                                              feature(poly(square(LON + 0.02, LAT)), code=None, name='no code')])
    write_geojson('duplicate_incident_ids.geojson', [
        feature(point(LON + 0.005, LAT + 0.005), external_id='12345-0001', category='noise', reported_at='2026-03-01T08:00:00+08:00'),
        feature(point(LON + 0.006, LAT + 0.005), external_id='12345-0001', category='noise', reported_at='2026-03-01T08:05:00+08:00'),
        feature(point(LON + 0.5, LAT + 0.5), external_id='12345-0002', category='heating', reported_at='2026-03-01T09:00:00+08:00')])
    # One incident whose longitude is out of range among good ones: the import skips that row only.
    write_geojson('incidents_one_out_of_range.geojson', [
        feature(point(LON + 0.005, LAT + 0.005), external_id='12345-0101', category='noise', reported_at='2026-03-01T08:00:00+08:00'),
        feature(point(200.0, LAT), external_id='12345-0102', category='noise', reported_at='2026-03-01T08:10:00+08:00'),
        feature(point(LON + 0.006, LAT + 0.004), external_id='12345-0103', category='sanitation', reported_at='2026-03-01T08:20:00+08:00')])
    # Two parents: one holds every weight, the other none; one weight lies outside both.
    write_geojson('two_parents.geojson', [feature(poly(square(LON, LAT)), code='120116001', name='busy'),
                                          feature(poly(square(LON + 0.02, LAT)), code='120116002', name='empty')])
    write_geojson('weights_one_parent.geojson',
                  [feature(point(LON + 0.001 * (i % 10) + 0.0005, LAT + 0.001 * (i // 10) + 0.0005), households=3)
                   for i in range(100)] + [feature(point(LON - 0.5, LAT - 0.5), households=40)])
    write_geojson('weights_outside.geojson', [feature(point(LON + 1.0, LAT + 1.0), households=3)])
    write_geojson('weights_negative.geojson', [feature(point(LON + 0.005, LAT + 0.005), households=-5)])

    # Shapefile without .prj (missing CRS), and with GBK text but no .cpg
    tmp = tempfile.mkdtemp()
    try:
        src = os.path.join(tmp, 'src.geojson')
        with open(src, 'w', encoding='utf-8') as f:
            json.dump({'type': 'FeatureCollection', 'features': [
                feature(poly(square(LON, LAT)), code='120116001', name='新港街道'),
                feature(poly(square(LON + 0.02, LAT)), code='120116002', name='塘沽街道')]}, f, ensure_ascii=False)
        for stem in ('missing_crs', 'gbk_nocpg'):
            for ext in ('shp', 'shx', 'dbf', 'prj', 'cpg'):
                path = os.path.join(HERE, f'{stem}.{ext}')
                if os.path.exists(path):
                    os.remove(path)
        ogr2ogr('-f', 'ESRI Shapefile', os.path.join(HERE, 'missing_crs.shp'), src, '-lco', 'ENCODING=UTF-8')
        os.remove(os.path.join(HERE, 'missing_crs.prj'))
        ogr2ogr('-f', 'ESRI Shapefile', os.path.join(HERE, 'gbk_nocpg.shp'), src, '-a_srs', 'EPSG:4326', '-lco', 'ENCODING=CP936')
        for ext in ('cpg',):
            p = os.path.join(HERE, f'gbk_nocpg.{ext}')
            if os.path.exists(p):
                os.remove(p)
        # DBF byte 29 (language driver id) → 0: nothing says GBK any more.
        with open(os.path.join(HERE, 'gbk_nocpg.dbf'), 'r+b') as f:
            f.seek(29)
            f.write(b'\x00')
        # Truncated files: a GeoPackage cut after 8 KiB, a Shapefile's .shp cut in half, a PBF cut in half.
        gpkg = os.path.join(tmp, 'whole.gpkg')
        ogr2ogr('-f', 'GPKG', gpkg, src, '-nln', 'parents')
        # A valid grids layer for the incident cases: the two parents as grids of one community.
        grids_src = os.path.join(tmp, 'grids.geojson')
        with open(grids_src, 'w', encoding='utf-8') as f:
            json.dump({'type': 'FeatureCollection', 'features': [
                feature(poly(square(LON, LAT)), code='120116001001001', parent_code='120116001001'),
                feature(poly(square(LON + 0.02, LAT)), code='120116001001002', parent_code='120116001001')]}, f)
        if os.path.exists(os.path.join(HERE, 'grids_fixture.gpkg')):
            os.remove(os.path.join(HERE, 'grids_fixture.gpkg'))
        ogr2ogr('-f', 'GPKG', os.path.join(HERE, 'grids_fixture.gpkg'), grids_src, '-nln', 'grids')
        with open(gpkg, 'rb') as f:
            data = f.read()
        with open(os.path.join(HERE, 'truncated.gpkg'), 'wb') as f:
            f.write(data[:8192])
        for ext in ('shp', 'shx', 'dbf', 'prj', 'cpg'):
            p = os.path.join(HERE, f'truncated.{ext}')
            if os.path.exists(p):
                os.remove(p)
        ogr2ogr('-f', 'ESRI Shapefile', os.path.join(HERE, 'truncated.shp'), src, '-a_srs', 'EPSG:4326', '-lco', 'ENCODING=UTF-8')
        with open(os.path.join(HERE, 'truncated.shp'), 'r+b') as f:
            size = f.seek(0, 2)
            f.truncate(size // 2)
        with open(os.path.join(ROOT, 'data', 'osm', 'monaco_2016.osm.pbf'), 'rb') as f:
            pbf = f.read(60000)
        with open(os.path.join(HERE, 'truncated.osm.pbf'), 'wb') as f:
            f.write(pbf)
    finally:
        shutil.rmtree(tmp)

    # OSM XML whose way refers to nodes the file does not contain (extracts cut at a border do this).
    with open(os.path.join(HERE, 'dangling_refs.osm'), 'w') as f:
        f.write('''<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="tests/data/bad/make_bad_inputs.py">
  <bounds minlat="43.7300" minlon="7.4200" maxlat="43.7400" maxlon="7.4300"/>
  <node id="1" lat="43.7310" lon="7.4210" version="1"/>
  <node id="2" lat="43.7320" lon="7.4220" version="1"/>
  <node id="3" lat="43.7330" lon="7.4230" version="1"/>
  <way id="10" version="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="footway"/></way>
  <way id="11" version="1"><nd ref="3"/><nd ref="999"/><nd ref="998"/><tag k="highway" v="residential"/></way>
  <way id="12" version="1"><nd ref="997"/><nd ref="996"/><tag k="highway" v="path"/></way>
</osm>
''')
    with open(os.path.join(HERE, 'not_a_dataset.gpkg'), 'w') as f:
        f.write('this is a text file with a .gpkg name\n')
    write_server_bodies()


def write_server_bodies():
    """Bodies for POST /api/incidents, each wrong in one way (tests/integration/bad_input/server_bodies.mjs
    posts them, with the files above that are incident collections too). Plain text, no GDAL:
    `python3 -c 'import make_bad_inputs as m; m.write_server_bodies()'` rewrites only these."""
    def body(name, text):
        with open(os.path.join(HERE, name), 'w', encoding='utf-8') as f:
            f.write(text)

    def one(coordinates, **props):
        props.setdefault('category', 'noise')
        return json.dumps({'type': 'Feature', 'geometry': {'type': 'Point', 'coordinates': coordinates},
                           'properties': props}, indent=1) + '\n'

    # JSON has no NaN or Infinity: Python writes them anyway (allow_nan), as careless exporters do.
    body('incident_nan_coordinates.geojson', one([float('nan'), float('inf')], external_id='12345-0201'))
    # A number no double holds: nlohmann::json reports it as out_of_range, not as a parse error.
    body('incident_overflow_coordinates.geojson', one([LON, LAT], external_id='12345-0202').replace(str(LON), '1e400', 1))
    body('incident_huge_coordinates.geojson', one([1e300, 1e300], external_id='12345-0203'))
    body('incident_swapped_latlon.geojson', one([LAT + 0.005, LON + 0.005], external_id='12345-0204'))
    # CGCS2000 / 3-degree GK CM 117E metres, as in metres_labelled_wgs84.geojson.
    body('incident_metres.geojson', one([560500, 4319500], external_id='12345-0205'))
    # Malformed JSON: the body of a client whose upload was cut.
    body('incident_truncated.geojson', one([LON + 0.005, LAT + 0.005], external_id='12345-0206')[:70])
    # Wrong types, one per file (the server reports the first problem of a request).
    body('incident_category_number.geojson', one([LON + 0.005, LAT + 0.005], category=12345))
    body('incident_coordinates_strings.geojson', one([str(LON + 0.005), str(LAT + 0.005)]))
    body('incident_type_number.geojson', json.dumps({'type': 5, 'geometry': {'type': 'Point', 'coordinates': [LON, LAT]},
                                                     'properties': {'category': 'noise'}}, indent=1) + '\n')
    body('incident_synthetic_string.geojson', one([LON + 0.005, LAT + 0.005], synthetic='yes'))


if __name__ == '__main__':
    main()
