#pragma once
// Internal to geo::partition: differences of real boundaries leave slivers (rounding along a shared
// edge). A piece whose mean width 2A/P is under 5 cm is not land anyone governs and not worth a
// grid; keeping it would make grids of nothing and break the area checks at float precision.

#include "geo/core/geometry.hpp"

#include <utility>
#include <vector>

namespace geo::partition::detail {

inline constexpr double min_mean_width_m = 0.05;

/// The polygonal pieces of `polygons` that are at least min_mean_width_m wide on average;
/// an empty polygon when none is.
inline core::Geometry without_slivers(const core::Geometry& polygons) {
    std::vector<core::Geometry> pieces;
    for (core::Geometry& piece : polygons.parts()) {
        const double a = piece.area();
        if (a > 0 && 2 * a / piece.length() >= min_mean_width_m) {
            pieces.push_back(std::move(piece));
        }
    }
    return pieces.empty() ? core::Geometry::empty_polygon() : core::Geometry::collect(std::move(pieces));
}

} // namespace geo::partition::detail
