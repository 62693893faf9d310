#pragma once
// Web Mercator (EPSG:3857) and the XYZ tile pyramid used by every web map.
//
// Tile (0,0) at zoom z is the north-west corner; x grows east, y grows south.
// "World units" at zoom z are tile units of the whole pyramid: the world is
// 2^z tiles of `extent` units each, origin at the north-west corner, y down.
// Per-zoom geometry is stored in world units so that serving a tile only
// subtracts the tile origin (exact integers, identical in neighbouring tiles).

#include "geo/core/coords.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace geo::tile {

/// Half the width of the Web Mercator square in metres (pi * 6378137).
inline constexpr double mercator_half_size = 20037508.342789244;
/// Latitude where Web Mercator is clamped (the square's edge).
inline constexpr double mercator_max_latitude = 85.0511287798066;
/// Highest zoom supported: world units at extent 4096 still fit in int32.
inline constexpr int max_zoom_level = 18;

/// One tile of the XYZ pyramid.
struct TileId {
    std::uint32_t z = 0;
    std::uint32_t x = 0;
    std::uint32_t y = 0;
    friend bool operator==(const TileId&, const TileId&) = default;
    friend auto operator<=>(const TileId&, const TileId&) = default;

    /// True when x and y are inside the zoom level (0 <= x,y < 2^z) and z <= max_zoom_level.
    [[nodiscard]] bool valid() const noexcept;
    /// "z/x/y", as in URLs.
    [[nodiscard]] std::string to_string() const;
};

/// Lon/lat in degrees (WGS84) to EPSG:3857 metres. Latitude is clamped to
/// +-mercator_max_latitude.
[[nodiscard]] core::XY lonlat_to_mercator(core::XY lonlat) noexcept;
/// EPSG:3857 metres to lon/lat degrees.
[[nodiscard]] core::XY mercator_to_lonlat(core::XY metres) noexcept;

/// Bounds of a tile in EPSG:3857 metres.
[[nodiscard]] core::Box tile_bounds(const TileId& tile);
/// Bounds of a tile in lon/lat degrees.
[[nodiscard]] core::Box tile_bounds_lonlat(const TileId& tile);

/// The tile containing an EPSG:3857 point at zoom z (points on the edge of
/// the world are put in the last tile).
[[nodiscard]] TileId tile_at(core::XY metres, std::uint32_t z);
/// Every tile at zoom z that intersects an EPSG:3857 box, row by row.
[[nodiscard]] std::vector<TileId> tiles_covering(const core::Box& metres, std::uint32_t z);

/// EPSG:3857 metres to world units at zoom z (double, y down).
[[nodiscard]] core::XY mercator_to_world(core::XY metres, std::uint32_t z, std::uint32_t extent = 4096) noexcept;
/// World units at zoom z back to EPSG:3857 metres.
[[nodiscard]] core::XY world_to_mercator(core::XY world, std::uint32_t z, std::uint32_t extent = 4096) noexcept;

/// Size of one EPSG:3857 metre-per-tile-unit at zoom z (metres per unit).
[[nodiscard]] double metres_per_unit(std::uint32_t z, std::uint32_t extent = 4096) noexcept;

} // namespace geo::tile
