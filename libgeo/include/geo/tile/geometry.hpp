#pragma once
// Geometry in tile coordinates: integers, origin at the tile's north-west
// corner, x right, y down, 0..extent inside the tile (the buffer lies
// outside, e.g. -64..4160).

#include <cstdint>
#include <vector>

namespace geo::tile {

/// The MVT GeomType enum.
enum class GeomType : std::uint8_t { unknown = 0, point = 1, linestring = 2, polygon = 3 };

[[nodiscard]] const char* to_string(GeomType type) noexcept;

struct TilePoint {
    std::int32_t x = 0;
    std::int32_t y = 0;
    friend bool operator==(const TilePoint&, const TilePoint&) = default;
    friend auto operator<=>(const TilePoint&, const TilePoint&) = default;
};

/// A line, or a ring (open: the closing point is not repeated; a repeated
/// closing point is accepted by the encoder and dropped).
using TilePath = std::vector<TilePoint>;

/// One polygon: rings[0] is the exterior, the others are holes. Any
/// orientation is accepted by the encoder, which writes the MVT winding.
struct TilePolygon {
    std::vector<TilePath> rings;
};

/// The geometry of one feature: exactly one of the vectors is used, chosen by type.
struct TileGeometry {
    GeomType type = GeomType::unknown;
    std::vector<TilePoint> points;     ///< point / multipoint
    std::vector<TilePath> lines;       ///< linestring / multilinestring
    std::vector<TilePolygon> polygons; ///< polygon / multipolygon

    [[nodiscard]] bool empty() const noexcept { return points.empty() && lines.empty() && polygons.empty(); }
};

/// Twice the signed area of a ring by the surveyor's formula in tile
/// coordinates (y down). MVT exterior rings have a positive value, holes a
/// negative one. Open or closed rings give the same result.
[[nodiscard]] std::int64_t ring_area2(const TilePath& ring) noexcept;

} // namespace geo::tile
