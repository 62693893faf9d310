#!/bin/sh
# Derives the Monaco test fixture of tests/unit/partition from the real OSM
# extract (data/osm/monaco_2016.osm.pbf, © OpenStreetMap contributors, ODbL):
#  - monaco_quarters_utm32.geojson: the admin_level=10 quarters (real boundaries)
#  - monaco_roads_utm32.geojson: the car and residential roads (real barriers)
#  - monaco_buildings_utm32.geojson (below)
# both reprojected to UTM 32N (EPSG:32632, metres) with GDAL's OSM driver.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
pbf="$here/../../../data/osm/monaco_2016.osm.pbf"
rm -f "$here/monaco_quarters_utm32.geojson" "$here/monaco_roads_utm32.geojson"
ogr2ogr -f GeoJSON -t_srs EPSG:32632 -lco COORDINATE_PRECISION=2 -nln quarters \
  -sql "SELECT osm_id, name FROM multipolygons WHERE boundary='administrative' AND admin_level='10'" \
  "$here/monaco_quarters_utm32.geojson" "$pbf"
ogr2ogr -f GeoJSON -t_srs EPSG:32632 -lco COORDINATE_PRECISION=2 -nln roads \
  -spat 7.405 43.723 7.44 43.753 \
  -sql "SELECT osm_id, highway FROM lines WHERE highway IN ('primary','secondary','tertiary','residential','unclassified','trunk','living_street','pedestrian')" \
  "$here/monaco_roads_utm32.geojson" "$pbf"
# - monaco_buildings_utm32.geojson: one point per building (point on surface)
#   inside the quarters' bounds: the residents' proxy (each counts 1)
rm -f "$here/monaco_buildings_utm32.geojson"
ogr2ogr -f GeoJSON -t_srs EPSG:32632 -lco COORDINATE_PRECISION=2 -nln buildings -dialect SQLite \
  -spat 7.405 43.723 7.44 43.753 \
  -sql "SELECT ST_PointOnSurface(geometry) AS geometry FROM multipolygons WHERE building IS NOT NULL AND osm_way_id IS NOT NULL" \
  "$here/monaco_buildings_utm32.geojson" "$pbf"
