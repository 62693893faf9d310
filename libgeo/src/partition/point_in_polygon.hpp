#pragma once
// Internal to geo::partition: even-odd point-in-polygon on extracted rings,
// much cheaper than a GEOS predicate per weight point. Points exactly on an
// edge may fall either way; callers fall back to a deterministic choice.

#include "geo/core/geometry.hpp"

#include <vector>

namespace geo::partition::detail {

inline bool ring_contains(const core::Path& ring, core::XY p) {
    bool inside = false;
    const std::size_t n = ring.size();
    for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
        const core::XY& a = ring[i];
        const core::XY& b = ring[j];
        if ((a.y > p.y) != (b.y > p.y)) {
            const double x = (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x;
            if (p.x < x) {
                inside = !inside;
            }
        }
    }
    return inside;
}

/// Inside any of the polygons (shell and holes, even-odd).
inline bool polygon_contains(const std::vector<core::PolygonRings>& polygons, core::XY p) {
    for (const core::PolygonRings& poly : polygons) {
        bool inside = false;
        for (const core::Path& ring : poly.rings) {
            if (ring_contains(ring, p)) {
                inside = !inside;
            }
        }
        if (inside) {
            return true;
        }
    }
    return false;
}

} // namespace geo::partition::detail
