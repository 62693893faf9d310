#pragma once
// Internal: the edge topology of a polygon coverage, so that each boundary
// shared by two polygons is simplified once and used by both.
//
// Rings are cut at nodes: vertices where three or more edges meet, or where
// the polygons on either side change. A ring with no such vertex (an island
// and the hole around it) is cut at its smallest vertex, which both of its
// sides pick alike. Input must be noded the way a coverage from polygonize
// is: neighbours have the same vertices along a shared boundary.

#include "geo/core/coords.hpp"

#include <cstdint>
#include <vector>

namespace geo::tile::detail {

struct EdgeUse {
    std::uint32_t edge = 0;
    bool reversed = false;
};

struct CoverageTopology {
    /// Edges in their canonical direction, end nodes included (a closed
    /// edge has first == last).
    std::vector<core::Path> edges;
    /// rings[f][p][r]: feature f, polygon p, ring r as a sequence of edges.
    std::vector<std::vector<std::vector<std::vector<EdgeUse>>>> rings;
};

/// polygons[f][p][r] is ring r (0 = exterior) of polygon p of feature f,
/// open or closed.
[[nodiscard]] CoverageTopology build_coverage(const std::vector<std::vector<std::vector<core::Path>>>& polygons);

/// The ring rebuilt from (already simplified) edges, open (no closing point).
[[nodiscard]] core::Path assemble_ring(const std::vector<core::Path>& edges, const std::vector<EdgeUse>& uses);

} // namespace geo::tile::detail
