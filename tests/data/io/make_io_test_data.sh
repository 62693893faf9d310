#!/usr/bin/env bash
# Regenerates the small files the io/CLI tests read (needs gdal-bin).
#   latin1_cities.*   Shapefile, DBF text in ISO-8859-1, .cpg says so
#   latin1_nocpg.*    the same bytes without .cpg and with LDID 0: needs --encoding LATIN1
#   gbk_districts.*   Shapefile, DBF text in GBK, no .cpg: needs --encoding GBK
#   noprj_points.*    Shapefile without .prj: needs --crs
#   broken.geojson    written by hand below: a self-intersecting polygon, an
#                     unclosed ring, an empty geometry and a duplicate code
# The city points are approximate city centres, typed in for the test.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat > "$tmp/cities.geojson" <<'JSON'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"Zürich","pop":421878},"geometry":{"type":"Point","coordinates":[8.54,47.37]}},
{"type":"Feature","properties":{"name":"São Paulo","pop":12325232},"geometry":{"type":"Point","coordinates":[-46.63,-23.55]}},
{"type":"Feature","properties":{"name":"Besançon","pop":116466},"geometry":{"type":"Point","coordinates":[6.02,47.24]}}
]}
JSON
cat > "$tmp/districts.geojson" <<'JSON'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":"120116","name":"滨海新区"},"geometry":{"type":"Point","coordinates":[117.70,39.03]}},
{"type":"Feature","properties":{"code":"120101","name":"和平区"},"geometry":{"type":"Point","coordinates":[117.21,39.12]}}
]}
JSON

rm -f latin1_cities.* latin1_nocpg.* gbk_districts.* noprj_points.*
ogr2ogr -lco ENCODING=ISO-8859-1 latin1_cities.shp "$tmp/cities.geojson"
ogr2ogr -lco ENCODING=ISO-8859-1 latin1_nocpg.shp "$tmp/cities.geojson"
rm latin1_nocpg.cpg
printf '\x00' | dd of=latin1_nocpg.dbf bs=1 seek=29 conv=notrunc status=none
ogr2ogr -lco ENCODING=GBK gbk_districts.shp "$tmp/districts.geojson"
rm gbk_districts.cpg
printf '\x00' | dd of=gbk_districts.dbf bs=1 seek=29 conv=notrunc status=none
ogr2ogr -lco ENCODING=UTF-8 noprj_points.shp "$tmp/districts.geojson"
rm noprj_points.prj

cat > broken.geojson <<'JSON'
{"type":"FeatureCollection","features":[
{"type":"Feature","id":1,"properties":{"code":"A1"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},
{"type":"Feature","id":2,"properties":{"code":"A2"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[2,2],[2,0],[0,2],[0,0]]]}},
{"type":"Feature","id":3,"properties":{"code":"A3"},"geometry":{"type":"Polygon","coordinates":[[[3,0],[4,0],[4,1],[3,1]]]}},
{"type":"Feature","id":4,"properties":{"code":"A1"},"geometry":{"type":"Polygon","coordinates":[[[5,0],[6,0],[6,1],[5,1],[5,0]]]}}
]}
JSON
