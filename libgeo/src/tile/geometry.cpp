#include "geo/tile/geometry.hpp"

namespace geo::tile {

const char* to_string(GeomType type) noexcept {
    switch (type) {
    case GeomType::point: return "point";
    case GeomType::linestring: return "linestring";
    case GeomType::polygon: return "polygon";
    default: return "unknown";
    }
}

std::int64_t ring_area2(const TilePath& ring) noexcept {
    // Surveyor's (shoelace) formula; 64-bit because coordinates may be far
    // outside the tile in over-zoomed or malformed input.
    std::int64_t sum = 0;
    const std::size_t n = ring.size();
    for (std::size_t i = 0; i < n; ++i) {
        const TilePoint& a = ring[i];
        const TilePoint& b = ring[(i + 1) % n];
        sum += static_cast<std::int64_t>(a.x) * b.y - static_cast<std::int64_t>(b.x) * a.y;
    }
    return sum;
}

} // namespace geo::tile
