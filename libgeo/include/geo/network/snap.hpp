#pragma once
// Snapping points (facilities, residents) to the nearest position on a
// network edge. Partial edges count: the result is an offset along the edge,
// not a node. Points farther than the maximum snap distance are reported as
// unsnapped (an empty optional), never moved silently.

#include "geo/core/coords.hpp"
#include "geo/network/graph.hpp"

#include <cstddef>
#include <optional>
#include <vector>

namespace geo::network {

struct SnapOptions {
    /// Points farther than this from every eligible edge stay unsnapped (metres).
    double max_distance = 100.0;
    /// Only snap to edges of components with at least this many nodes; keeps
    /// facilities off tiny isolated fragments (a footway inside a courtyard).
    std::size_t min_component_nodes = 1;
};

struct Snap {
    EdgePosition at;       ///< where on the network the point attaches
    double distance = 0.0; ///< straight-line distance point → network (metres)
    core::XY point;        ///< the attachment point on the edge
};

/// A segment index over a graph's edges. The graph must outlive the snapper.
class Snapper {
  public:
    explicit Snapper(const Graph& graph, SnapOptions options = {});

    /// Nearest eligible edge position within options.max_distance, if any.
    /// Ties go to the lowest edge id, so results are reproducible.
    [[nodiscard]] std::optional<Snap> snap(core::XY point) const;

    [[nodiscard]] const SnapOptions& options() const noexcept { return m_options; }

  private:
    struct Segment {
        EdgeId edge;
        double offset; // of the segment start along the edge
        core::XY a;
        core::XY b;
    };
    const Graph* m_graph;
    SnapOptions m_options;
    std::vector<Segment> m_segments;
    // Uniform grid over segment boxes: cell -> segment indices (CSR layout).
    double m_cell = 1.0;
    core::Box m_box;
    std::size_t m_columns = 0;
    std::size_t m_rows = 0;
    std::vector<std::uint32_t> m_cell_offsets;
    std::vector<std::uint32_t> m_cell_items;
};

} // namespace geo::network
