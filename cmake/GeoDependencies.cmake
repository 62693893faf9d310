# Every dependency comes from Debian 12 packages (see `./run`, which installs them).
find_package(GEOS 3.11 REQUIRED CONFIG)      # libgeos-dev: GEOS::geos_c (stable C API)
find_package(GDAL 3.6 REQUIRED CONFIG)       # libgdal-dev: GDAL::GDAL (OGR vector I/O)
find_package(PROJ 9 REQUIRED CONFIG)         # libproj-dev: PROJ::proj
find_package(nlohmann_json 3.11 REQUIRED)    # nlohmann-json3-dev
find_package(Threads REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(ZLIB REQUIRED)
find_package(BZip2 REQUIRED)
find_package(EXPAT REQUIRED)
find_package(Boost 1.74 REQUIRED)

# Header-only libraries without CMake config files in Debian.
find_path(PROTOZERO_INCLUDE_DIR protozero/pbf_writer.hpp REQUIRED)   # libprotozero-dev
find_path(OSMIUM_INCLUDE_DIR osmium/osm.hpp REQUIRED)                # libosmium2-dev
find_path(METIS_INCLUDE_DIR metis.h REQUIRED)                        # libmetis-dev
find_library(METIS_LIBRARY metis REQUIRED)
