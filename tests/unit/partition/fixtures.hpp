#pragma once
// Test fixtures for the partition rules: real boundaries read from GeoJSON
// (Tianjin districts from echarts, Monaco quarters and roads from OSM) and
// seeded synthetic weights. Kept free of geo::io so that the partition tests
// do not depend on the reader being written in parallel.

#include "geo/core/geometry.hpp"
#include "geo/partition/partition.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <numbers>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace fixtures {

using geo::core::Geometry;
using geo::core::Path;
using geo::core::XY;

struct Feature {
    nlohmann::json properties;
    Geometry geometry;
};

inline Path ring_of(const nlohmann::json& coords, const auto& project) {
    Path path;
    for (const auto& c : coords) {
        path.push_back(project(c[0].get<double>(), c[1].get<double>()));
    }
    return path;
}

inline Geometry polygon_of(const nlohmann::json& rings, const auto& project) {
    std::vector<Path> out;
    for (const auto& r : rings) {
        out.push_back(ring_of(r, project));
    }
    return Geometry::polygon(out);
}

/// Reads Polygon, MultiPolygon, LineString and MultiLineString features.
/// `project` maps (x, y) of the file to metric coordinates.
inline std::vector<Feature> read_geojson(const std::string& path, const auto& project) {
    std::ifstream in(path);
    if (!in) {
        throw std::runtime_error("cannot open fixture " + path);
    }
    const nlohmann::json doc = nlohmann::json::parse(in);
    std::vector<Feature> out;
    for (const auto& f : doc.at("features")) {
        const auto& g = f.at("geometry");
        const std::string type = g.at("type");
        const auto& c = g.at("coordinates");
        Geometry geometry;
        if (type == "Polygon") {
            geometry = polygon_of(c, project);
        } else if (type == "MultiPolygon") {
            std::vector<Geometry> parts;
            for (const auto& p : c) {
                parts.push_back(polygon_of(p, project));
            }
            geometry = parts.size() == 1 ? parts.front() : Geometry::collect(std::move(parts));
        } else if (type == "LineString") {
            geometry = Geometry::line_string(ring_of(c, project));
        } else if (type == "MultiLineString") {
            std::vector<Geometry> parts;
            for (const auto& p : c) {
                parts.push_back(Geometry::line_string(ring_of(p, project)));
            }
            geometry = Geometry::collect(std::move(parts));
        } else {
            continue;
        }
        out.push_back({f.value("properties", nlohmann::json::object()), std::move(geometry)});
    }
    return out;
}

/// Identity for files already in metres.
inline XY metric(double x, double y) {
    return {x, y};
}

/// Local equirectangular projection around Tianjin (117.2°E, 39.1°N): plenty
/// accurate over a district for testing partition rules, which only need
/// metres.
inline XY tianjin_local(double lon, double lat) {
    constexpr double r = 6371008.8;
    constexpr double lon0 = 117.2;
    constexpr double lat0 = 39.1;
    const double k = std::numbers::pi / 180.0;
    return {r * (lon - lon0) * k * std::cos(lat0 * k), r * (lat - lat0) * k};
}

/// Tianjin district by code (e.g. "120101" 和平区) in local metres.
inline geo::partition::Parent tianjin_district(const std::string& code) {
    for (auto& f : read_geojson(std::string(GEO_DATA_DIR) + "/tianjin/tianjin_districts_gcj02.geojson",
                                [](double x, double y) { return tianjin_local(x, y); })) {
        if (f.properties.value("code", "") == code) {
            return {code, f.properties.value("name", ""), f.geometry};
        }
    }
    throw std::runtime_error("district " + code + " not in the fixture");
}

/// Monaco quarters (OSM admin_level=10), UTM 32N metres; code = "MC" + osm id.
inline std::vector<geo::partition::Parent> monaco_quarters() {
    std::vector<geo::partition::Parent> out;
    for (auto& f : read_geojson(std::string(GEO_TEST_DATA_DIR) + "/partition/monaco_quarters_utm32.geojson", metric)) {
        out.push_back({"MC" + f.properties.value("osm_id", std::string{}), f.properties.value("name", ""), f.geometry});
    }
    return out;
}

inline std::vector<Geometry> monaco_roads() {
    std::vector<Geometry> out;
    for (auto& f : read_geojson(std::string(GEO_TEST_DATA_DIR) + "/partition/monaco_roads_utm32.geojson", metric)) {
        out.push_back(std::move(f.geometry));
    }
    return out;
}

/// Monaco's buildings (OSM), one point per building in UTM 32N: the residents' proxy of the
/// integration test (each counts 1; tests/data/partition/make_monaco_fixture.sh).
inline std::vector<geo::partition::WeightPoint> monaco_buildings() {
    std::ifstream in(std::string(GEO_TEST_DATA_DIR) + "/partition/monaco_buildings_utm32.geojson");
    if (!in) {
        throw std::runtime_error("cannot open the Monaco buildings fixture");
    }
    const nlohmann::json doc = nlohmann::json::parse(in);
    std::vector<geo::partition::WeightPoint> out;
    for (const auto& f : doc.at("features")) {
        const auto& g = f.at("geometry");
        if (g.at("type") == "Point") {
            out.push_back({{g.at("coordinates")[0].get<double>(), g.at("coordinates")[1].get<double>()}, 1.0});
        }
    }
    return out;
}

/// Seeded synthetic residents inside `area`: half uniform, half in a few
/// Gaussian clusters (so weights are uneven, as in a real town).
inline std::vector<geo::partition::WeightPoint> synthetic_points(const Geometry& area, std::size_t count,
                                                                 std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    const auto box = area.bounds();
    std::uniform_real_distribution<double> ux(box.min_x, box.max_x);
    std::uniform_real_distribution<double> uy(box.min_y, box.max_y);
    std::vector<XY> centres;
    while (centres.size() < 4) {
        const XY c{ux(rng), uy(rng)};
        if (area.covers(Geometry::point(c))) {
            centres.push_back(c);
        }
    }
    std::normal_distribution<double> spread(0.0, std::min(box.width(), box.height()) / 10);
    std::vector<geo::partition::WeightPoint> out;
    std::size_t attempts = 0;
    while (out.size() < count && attempts++ < count * 200) {
        XY p;
        if (out.size() % 2 == 0) {
            p = {ux(rng), uy(rng)};
        } else {
            const XY& c = centres[out.size() / 2 % centres.size()];
            p = {c.x + spread(rng), c.y + spread(rng)};
        }
        if (area.covers(Geometry::point(p))) {
            out.push_back({p, 1.0});
        }
    }
    return out;
}

} // namespace fixtures
