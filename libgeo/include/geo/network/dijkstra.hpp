#pragma once
// Multi-source bounded Dijkstra over a Graph. All facilities of a category
// are sources of ONE run: each starts at its exact position on an edge
// (partial edges count), so its two end nodes start at `offset` and
// `length - offset`. The result knows, for every node within the bound, the
// network distance to the nearest source and which source that is, and can
// answer the same question for any position on an edge (including edges
// that hold a source themselves).

#include "geo/network/graph.hpp"

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <vector>

namespace geo::network {

inline constexpr double unreachable = std::numeric_limits<double>::infinity();
inline constexpr std::uint32_t no_source = std::numeric_limits<std::uint32_t>::max();

/// A source of a run: where it is and the caller's id for it.
struct Source {
    EdgePosition at;
    std::uint32_t id = 0;
};

/// Nearest source to a position, with its network distance in metres.
struct Nearest {
    double distance = unreachable;
    std::uint32_t source = no_source;
};

/// An interval [begin, end] of offsets along one edge.
struct EdgeInterval {
    double begin = 0.0;
    double end = 0.0;
};

class Reach {
  public:
    /// Runs the bounded multi-source Dijkstra. Nodes farther than `cutoff`
    /// metres from every source stay unreachable. Throws InputError for a
    /// source on an unknown edge or with an offset outside the edge.
    Reach(const Graph& graph, std::vector<Source> sources, double cutoff);

    [[nodiscard]] const Graph& graph() const noexcept { return *m_graph; }
    [[nodiscard]] double cutoff() const noexcept { return m_cutoff; }
    [[nodiscard]] std::span<const Source> sources() const noexcept { return m_sources; }

    /// Distance from node n to its nearest source (`unreachable` beyond the cutoff).
    [[nodiscard]] double node_distance(NodeId n) const { return m_distance.at(n); }
    /// Id of the nearest source of node n (`no_source` when unreachable).
    [[nodiscard]] std::uint32_t node_source(NodeId n) const { return m_source.at(n); }
    [[nodiscard]] std::span<const double> node_distances() const noexcept { return m_distance; }

    /// Nearest source of a position on an edge, through either end node or
    /// directly along the edge when a source sits on the same edge. Empty
    /// when the nearest is beyond the cutoff.
    [[nodiscard]] std::optional<Nearest> nearest(EdgePosition p) const;

    /// The parts of edge e within `bound` metres of a source (bound ≤ cutoff),
    /// merged and sorted; the frontier is cut at the exact remaining distance.
    [[nodiscard]] std::vector<EdgeInterval> reachable_parts(EdgeId e, double bound) const;

    /// The sources that sit on edge e (usually none).
    [[nodiscard]] std::span<const Source> sources_on(EdgeId e) const;

  private:
    const Graph* m_graph;
    double m_cutoff;
    std::vector<Source> m_sources; // sorted by edge
    std::vector<double> m_distance;
    std::vector<std::uint32_t> m_source;
};

/// One Reach per group of sources (e.g. one group per facility category),
/// the groups spread over `threads` threads; result i belongs to groups[i]
/// and does not depend on the number of threads.
[[nodiscard]] std::vector<Reach> reach_each(const Graph& graph, std::vector<std::vector<Source>> groups, double cutoff,
                                            int threads = 1);

} // namespace geo::network
