#pragma once
// Building a Graph from plain line features (any GDAL line layer, already in
// a metric CRS): every line becomes one edge, and lines are connected where
// their END POINTS coincide within `node_tolerance` metres. Lines that cross
// without sharing an end point are not connected (bridges, tunnels); node the
// layer beforehand (e.g. core::Geometry::node) when crossings are junctions.

#include "geo/core/coords.hpp"
#include "geo/network/graph.hpp"

#include <cstdint>
#include <vector>

namespace geo::network {

struct LineFeature {
    std::int64_t id = -1; ///< feature id, kept as the edge's external id
    core::Path path;      ///< planar metres, at least two points
};

[[nodiscard]] Graph graph_from_lines(const std::vector<LineFeature>& lines, double node_tolerance = 0.01);

} // namespace geo::network
