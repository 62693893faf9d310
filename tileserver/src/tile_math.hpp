#pragma once
// Web Mercator (EPSG:3857) tile arithmetic shared by the router, the renderer and the cache.

#include "geo/core/coords.hpp"

#include <cmath>
#include <cstdint>

namespace tileserver {

constexpr double mercator_half_world = 20037508.342789244; // metres from the origin to the edge
constexpr int max_supported_zoom = 24;

struct TileId {
    int z = 0;
    std::uint32_t x = 0;
    std::uint32_t y = 0;
    friend bool operator==(const TileId&, const TileId&) = default;
};

[[nodiscard]] inline bool valid_tile(int z, long long x, long long y) {
    if (z < 0 || z > max_supported_zoom) {
        return false;
    }
    const long long n = 1LL << z;
    return x >= 0 && y >= 0 && x < n && y < n;
}

/// The tile's square in EPSG:3857 metres.
[[nodiscard]] inline geo::core::Box tile_bounds(const TileId& t) {
    const double size = 2 * mercator_half_world / static_cast<double>(1ULL << t.z);
    const double min_x = -mercator_half_world + t.x * size;
    const double max_y = mercator_half_world - t.y * size;
    return {min_x, max_y - size, min_x + size, max_y};
}

/// lon/lat (degrees, WGS84) to EPSG:3857 metres; latitude clamped to the Mercator limit.
[[nodiscard]] inline geo::core::XY lonlat_to_mercator(double lon, double lat) {
    constexpr double max_lat = 85.05112877980659;
    lat = std::fmax(-max_lat, std::fmin(max_lat, lat));
    constexpr double deg = 3.14159265358979323846 / 180.0;
    const double x = lon * deg * 6378137.0;
    const double y = std::log(std::tan((90.0 + lat) * deg / 2.0)) * 6378137.0;
    return {x, y};
}

[[nodiscard]] inline geo::core::XY mercator_to_lonlat(const geo::core::XY& m) {
    constexpr double rad = 180.0 / 3.14159265358979323846;
    const double lon = m.x / 6378137.0 * rad;
    const double lat = (2.0 * std::atan(std::exp(m.y / 6378137.0)) - 3.14159265358979323846 / 2.0) * rad;
    return {lon, lat};
}

/// Range of tiles at zoom z whose square meets `box` (EPSG:3857), clamped to the world.
struct TileRange {
    std::uint32_t min_x = 0, min_y = 0, max_x = 0, max_y = 0;
};

[[nodiscard]] inline TileRange tiles_covering(const geo::core::Box& box, int z) {
    const double n = static_cast<double>(1ULL << z);
    const double size = 2 * mercator_half_world / n;
    auto clamp = [n](double v) { return static_cast<std::uint32_t>(std::fmax(0.0, std::fmin(n - 1, std::floor(v)))); };
    TileRange r;
    r.min_x = clamp((box.min_x + mercator_half_world) / size);
    r.max_x = clamp((box.max_x + mercator_half_world) / size);
    r.min_y = clamp((mercator_half_world - box.max_y) / size);
    r.max_y = clamp((mercator_half_world - box.min_y) / size);
    return r;
}

} // namespace tileserver
