// binhai_area: the area of one district in km², computed by an application
// that links the installed libgeo (find_package(libgeo) → geo::geo).
//
//   binhai_area DISTRICTS_FILE [CODE]
//
// Reads the districts layer (fields `code`, `name`), picks the district with
// the GB/T 2260 code (default 120116, Binhai New Area), moves it to WGS 84,
// then into the local metric CRS libgeo chooses for it (the CGCS2000
// 3-degree Gauss-Krüger zone for data in China), and prints its area.

#include <geo/core/error.hpp>
#include <geo/crs/crs.hpp>
#include <geo/crs/local.hpp>
#include <geo/crs/transformer.hpp>
#include <geo/io/reader.hpp>

#include <cstdio>
#include <string>

int main(int argc, char** argv) {
    if (argc < 2 || argc > 3) {
        std::fprintf(stderr, "usage: %s DISTRICTS_FILE [CODE]   (CODE defaults to 120116, Binhai New Area)\n",
                     argv[0]);
        return 2;
    }
    const std::string path = argv[1];
    const std::string code = argc == 3 ? argv[2] : "120116";
    try {
        const geo::io::Layer layer = geo::io::read_layer(path);
        for (const auto& feature : layer.features) {
            if (geo::io::to_string(layer.attribute(feature, "code")) != code) {
                continue;
            }
            const std::string name = geo::io::to_string(layer.attribute(feature, "name"));
            // Local metric CRS from the lon/lat bounds, then the area in metres².
            const geo::crs::Transformer to_lonlat(layer.crs, geo::crs::Crs::wgs84());
            const geo::core::Geometry lonlat = to_lonlat.transform(feature.geometry);
            const geo::crs::Crs metric = geo::crs::local_metric_crs(lonlat.bounds());
            const geo::crs::Transformer to_metric(geo::crs::Crs::wgs84(), metric);
            const double km2 = to_metric.transform(lonlat).area() / 1e6;
            std::printf("%s (%s): %.1f km² (in %s, %s)\n", name.c_str(), code.c_str(), km2, metric.label().c_str(),
                        metric.name().c_str());
            return 0;
        }
        std::fprintf(stderr, "binhai_area: %s: no feature with code %s\n", path.c_str(), code.c_str());
        return 1;
    } catch (const geo::Error& e) {
        std::fprintf(stderr, "binhai_area: %s\n", e.what());
        return 1;
    }
}
