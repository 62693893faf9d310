#pragma once
// From EPSG:3857 geometry to tile coordinates: project to the tile's units,
// clip to the tile plus a buffer, round to integers. Used for dynamic
// features (e.g. incidents arriving live); static layers go through
// LayerIndex, which does this once per zoom at build time.

#include "geo/core/geometry.hpp"
#include "geo/tile/geometry.hpp"
#include "geo/tile/mercator.hpp"

#include <cstdint>

namespace geo::tile {

struct ClipOptions {
    std::uint32_t extent = 4096;
    std::uint32_t buffer = 64; ///< tile units kept around the tile (avoids seams when rendering)
};

/// Clip and quantise an EPSG:3857 geometry into one tile. The result may
/// be empty when nothing is inside. Polygons, lines and points keep their
/// type (a collection yields its first non-empty kind).
[[nodiscard]] TileGeometry to_tile_geometry(const core::Geometry& metres, const TileId& tile,
                                            const ClipOptions& options = {});

/// Clip integer geometry (in tile coordinates) to the box [min, max]^2
/// ([min, max) for points, so that tiles without a buffer share none).
/// Polygons use Sutherland-Hodgman (may leave edges along the box, as every
/// MVT clipper does); lines are cut into the pieces inside.
[[nodiscard]] TileGeometry clip_geometry(const TileGeometry& geometry, std::int32_t min, std::int32_t max);

} // namespace geo::tile
