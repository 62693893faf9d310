#include "geo/tile/mercator.hpp"

#include "geo/core/error.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace geo::tile {

namespace {
constexpr double earth_radius = 6378137.0; // WGS84 semi-major axis, as EPSG:3857 uses
constexpr double deg = std::numbers::pi / 180.0;

double tiles_at(std::uint32_t z) {
    return std::ldexp(1.0, static_cast<int>(z));
}

void check_zoom(std::uint32_t z) {
    if (z > static_cast<std::uint32_t>(max_zoom_level)) {
        throw InputError("zoom " + std::to_string(z) + " is above the supported maximum " +
                         std::to_string(max_zoom_level));
    }
}
} // namespace

bool TileId::valid() const noexcept {
    if (z > static_cast<std::uint32_t>(max_zoom_level)) {
        return false;
    }
    const std::uint64_t n = std::uint64_t{1} << z;
    return x < n && y < n;
}

std::string TileId::to_string() const {
    return std::to_string(z) + "/" + std::to_string(x) + "/" + std::to_string(y);
}

core::XY lonlat_to_mercator(core::XY lonlat) noexcept {
    const double lat = std::clamp(lonlat.y, -mercator_max_latitude, mercator_max_latitude);
    return {lonlat.x * deg * earth_radius, std::log(std::tan(std::numbers::pi / 4 + lat * deg / 2)) * earth_radius};
}

core::XY mercator_to_lonlat(core::XY m) noexcept {
    return {m.x / earth_radius / deg, (2 * std::atan(std::exp(m.y / earth_radius)) - std::numbers::pi / 2) / deg};
}

core::Box tile_bounds(const TileId& tile) {
    if (!tile.valid()) {
        throw InputError("tile " + tile.to_string() + " is outside the pyramid");
    }
    const double size = 2 * mercator_half_size / tiles_at(tile.z);
    const double min_x = -mercator_half_size + tile.x * size;
    const double max_y = mercator_half_size - tile.y * size;
    return {min_x, max_y - size, min_x + size, max_y};
}

core::Box tile_bounds_lonlat(const TileId& tile) {
    const core::Box b = tile_bounds(tile);
    const core::XY lo = mercator_to_lonlat({b.min_x, b.min_y});
    const core::XY hi = mercator_to_lonlat({b.max_x, b.max_y});
    return {lo.x, lo.y, hi.x, hi.y};
}

TileId tile_at(core::XY m, std::uint32_t z) {
    check_zoom(z);
    const double n = tiles_at(z);
    const double fx = (m.x + mercator_half_size) / (2 * mercator_half_size) * n;
    const double fy = (mercator_half_size - m.y) / (2 * mercator_half_size) * n;
    const auto clamp_index = [n](double f) {
        return static_cast<std::uint32_t>(std::clamp(std::floor(f), 0.0, n - 1));
    };
    return {z, clamp_index(fx), clamp_index(fy)};
}

std::vector<TileId> tiles_covering(const core::Box& m, std::uint32_t z) {
    check_zoom(z);
    std::vector<TileId> out;
    if (m.empty()) {
        return out;
    }
    const TileId nw = tile_at({m.min_x, m.max_y}, z);
    const TileId se = tile_at({m.max_x, m.min_y}, z);
    out.reserve(static_cast<std::size_t>(se.x - nw.x + 1) * (se.y - nw.y + 1));
    for (std::uint32_t y = nw.y; y <= se.y; ++y) {
        for (std::uint32_t x = nw.x; x <= se.x; ++x) {
            out.push_back({z, x, y});
        }
    }
    return out;
}

core::XY mercator_to_world(core::XY m, std::uint32_t z, std::uint32_t extent) noexcept {
    const double scale = tiles_at(z) * extent / (2 * mercator_half_size);
    return {(m.x + mercator_half_size) * scale, (mercator_half_size - m.y) * scale};
}

core::XY world_to_mercator(core::XY w, std::uint32_t z, std::uint32_t extent) noexcept {
    const double scale = (2 * mercator_half_size) / (tiles_at(z) * extent);
    return {w.x * scale - mercator_half_size, mercator_half_size - w.y * scale};
}

double metres_per_unit(std::uint32_t z, std::uint32_t extent) noexcept {
    return (2 * mercator_half_size) / (tiles_at(z) * extent);
}

} // namespace geo::tile
