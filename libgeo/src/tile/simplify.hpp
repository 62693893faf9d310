#pragma once
// Internal: Douglas-Peucker on plain coordinates (faster than a GEOS round
// trip, and it keeps both end points, which shared coverage edges need).

#include "geo/core/coords.hpp"

#include <vector>

namespace geo::tile::detail {

/// Simplify an open path keeping its first and last points. tolerance <= 0
/// returns the path unchanged.
[[nodiscard]] core::Path simplify_path(const core::Path& path, double tolerance);

/// Simplify a closed ring (first point not repeated at the end). The first
/// point is kept; the ring is split at the point farthest from it.
[[nodiscard]] core::Path simplify_ring(const core::Path& ring, double tolerance);

} // namespace geo::tile::detail
