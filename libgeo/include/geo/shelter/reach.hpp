#pragma once
// Which shelters each demand unit can walk to, and how far. A walk is
//   straight access leg (unit → its snap point on the network)
// + network distance (bounded Dijkstra from the shelter's snap point,
//   partial edges at both ends)
// + straight access leg (shelter snap point → shelter),
// and a pair counts when that total is within the shelter's walking limit.
// One bounded search per shelter; the result holds only the pairs within
// reach, so memory is linear in their number (plus the graph).

#include "geo/core/coords.hpp"
#include "geo/network/graph.hpp"
#include "geo/network/snap.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace geo::shelter {

/// A shelter or candidate site as the search sees it.
struct Site {
    core::XY position;       ///< planar metres (the graph's CRS)
    double max_walk_m = 0.0; ///< its class's walking limit
};

/// A demand unit within reach of a site.
struct Link {
    std::uint32_t unit = 0;
    std::uint32_t site = 0;
    double distance = 0.0; ///< walking metres, access legs included
};

struct Reachability {
    /// Sorted by unit, then distance, then site.
    std::vector<Link> links;
    /// Snap of each unit / site; empty when it lies farther than the
    /// snapper's max distance from any eligible edge (then it has no links).
    std::vector<std::optional<network::Snap>> unit_snaps;
    std::vector<std::optional<network::Snap>> site_snaps;
};

/// All (unit, site) pairs within each site's walking limit.
[[nodiscard]] Reachability reachable_pairs(const network::Graph& graph, const network::Snapper& snapper,
                                           const std::vector<core::XY>& units, const std::vector<Site>& sites);

} // namespace geo::shelter
