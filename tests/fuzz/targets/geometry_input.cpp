// Fuzz target: geometry as it enters the product — WKT and WKB (what GDAL hands geo::io), then the
// repairs every command applies (make_valid keeps polygons polygonal), and the GeoPackage geometry
// blobs the incident store reads back (libgeo/src/incident/gpkg_geometry.hpp).
// The first byte picks the path; the rest is the input.
// Properties: bad input ends in geo::GeometryError/InputError, never a crash or another
// exception; a parsed geometry survives WKB round trips unchanged; make_valid() of a polygonal
// geometry is valid and polygonal (or empty); a blob the store wrote decodes to the same point.
#include "fuzz_support.hpp"

#include "geo/core/error.hpp"
#include "geo/core/geometry.hpp"
#include "incident/gpkg_geometry.hpp"

#include <cmath>
#include <span>
#include <string>

namespace {

bool is_polygonal(geo::core::GeometryType t) {
    return t == geo::core::GeometryType::polygon || t == geo::core::GeometryType::multi_polygon;
}

void exercise(const geo::core::Geometry& g) {
    const std::string wkb = g.to_wkb();
    const auto again = geo::core::Geometry::from_wkb(wkb);
    fuzz::check(again.to_wkb() == wkb, "WKB round trip changed the geometry");
    if (g.num_points() > 256) {
        return; // bound the cost of the repairs below: the fuzzer wants many small cases
    }
    const auto box = g.bounds();
    if (!std::isfinite(box.min_x) || !std::isfinite(box.max_x) || !std::isfinite(box.min_y) ||
        !std::isfinite(box.max_y) || std::abs(box.min_x) > 1e12 || std::abs(box.max_x) > 1e12 ||
        std::abs(box.min_y) > 1e12 || std::abs(box.max_y) > 1e12) {
        return; // the readers refuse such coordinates before any repair (tests/data/bad)
    }
    if (is_polygonal(g.type())) {
        const auto fixed = g.make_valid();
        fuzz::check(fixed.is_empty() || is_polygonal(fixed.type()), "make_valid left polygons",
                    geo::core::to_string(fixed.type()));
        fuzz::check(fixed.is_empty() || fixed.is_valid(), "make_valid result is invalid", fixed.invalid_reason());
        (void)fixed.area();
    }
}

void gpkg_blob(std::span<const unsigned char> blob) {
    namespace d = geo::incident::detail;
    (void)d::gpkg_envelope(blob);
    (void)d::gpkg_is_empty(blob);
    if (const auto p = d::decode_gpkg_point(blob); p && std::isfinite(p->x) && std::isfinite(p->y)) {
        const auto written = d::encode_gpkg_point(*p, 4326);
        const auto back = d::decode_gpkg_point(written);
        fuzz::check(back && back->x == p->x && back->y == p->y, "GeoPackage point blob round trip");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1 || size > 16 * 1024) {
        return 0;
    }
    const std::uint8_t mode = data[0] % 3;
    const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
    try {
        if (mode == 0) {
            exercise(geo::core::Geometry::from_wkt(rest));
        } else if (mode == 1) {
            exercise(geo::core::Geometry::from_wkb(rest));
        } else {
            gpkg_blob({reinterpret_cast<const unsigned char*>(rest.data()), rest.size()});
        }
    } catch (const geo::GeometryError&) {
    } catch (const geo::InputError&) {
    }
    return 0;
}
