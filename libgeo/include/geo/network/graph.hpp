#pragma once
// geo::network::Graph: an undirected walking network in compressed sparse row
// (CSR) form. Walking ignores one-way rules, so every edge is stored once
// (its geometry, its length) and appears twice in the adjacency arrays, once
// from each end. Coordinates are planar and in metres (the caller's local
// metric CRS); an edge's length is the planar length of its polyline, so a
// position along an edge (an offset in metres) maps directly onto its shape.
//
// Graphs are built with GraphBuilder and are immutable afterwards.

#include "geo/core/coords.hpp"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace geo::network {

using NodeId = std::uint32_t;
using EdgeId = std::uint32_t;
inline constexpr NodeId no_node = std::numeric_limits<NodeId>::max();
inline constexpr EdgeId no_edge = std::numeric_limits<EdgeId>::max();

/// A position on an edge: `offset` metres from the edge's `from` node along
/// its geometry (0 ≤ offset ≤ length).
struct EdgePosition {
    EdgeId edge = no_edge;
    double offset = 0.0;
};

/// One direction of an edge in the adjacency: where it leads, which edge it
/// is and its length, side by side (16 bytes) because a search reads all three.
struct Arc {
    NodeId target = no_node;
    EdgeId edge = no_edge;
    double length = 0.0;
};

class Graph {
  public:
    Graph() = default;

    [[nodiscard]] std::size_t node_count() const noexcept { return m_positions.size(); }
    [[nodiscard]] std::size_t edge_count() const noexcept { return m_edge_from.size(); }

    [[nodiscard]] core::XY node_position(NodeId n) const { return m_positions.at(n); }
    /// Identifier of the node in its source (OSM node id), -1 when none.
    [[nodiscard]] std::int64_t node_external_id(NodeId n) const { return m_node_ids.at(n); }

    [[nodiscard]] NodeId edge_from(EdgeId e) const { return m_edge_from.at(e); }
    [[nodiscard]] NodeId edge_to(EdgeId e) const { return m_edge_to.at(e); }
    [[nodiscard]] double edge_length(EdgeId e) const { return m_edge_length.at(e); }
    /// Identifier of the feature the edge came from (OSM way id, line feature id).
    [[nodiscard]] std::int64_t edge_external_id(EdgeId e) const { return m_edge_ids.at(e); }
    /// The edge's polyline from `edge_from` to `edge_to` (at least two points).
    [[nodiscard]] std::span<const core::XY> edge_geometry(EdgeId e) const;
    /// Planar point at `offset` metres along the edge (clamped to the edge).
    [[nodiscard]] core::XY point_at(EdgePosition p) const;
    /// The part of the edge between two offsets (a < b), as a polyline.
    [[nodiscard]] core::Path edge_part(EdgeId e, double a, double b) const;

    // --- CSR adjacency: the arcs leaving n are csr_arcs()[offsets[n] .. offsets[n+1]) ---
    [[nodiscard]] std::span<const std::uint32_t> csr_offsets() const noexcept { return m_offsets; }
    [[nodiscard]] std::span<const Arc> csr_arcs() const noexcept { return m_arcs; }

    // --- connected components (computed when the graph is built) -----------
    [[nodiscard]] std::uint32_t component(NodeId n) const { return m_component.at(n); }
    [[nodiscard]] std::size_t component_count() const noexcept { return m_component_sizes.size(); }
    /// Number of nodes in component c.
    [[nodiscard]] std::size_t component_size(std::uint32_t c) const { return m_component_sizes.at(c); }
    /// The component with the most nodes (0 for an empty graph).
    [[nodiscard]] std::uint32_t largest_component() const noexcept;

    /// Sum of all edge lengths in metres.
    [[nodiscard]] double total_length() const noexcept;
    [[nodiscard]] core::Box bounds() const noexcept;

  private:
    friend class GraphBuilder;

    std::vector<core::XY> m_positions;
    std::vector<std::int64_t> m_node_ids;
    std::vector<NodeId> m_edge_from;
    std::vector<NodeId> m_edge_to;
    std::vector<double> m_edge_length;
    std::vector<std::int64_t> m_edge_ids;
    std::vector<std::uint32_t> m_geometry_offsets; // edge e's points: [off[e], off[e+1])
    std::vector<core::XY> m_geometry;
    std::vector<std::uint32_t> m_offsets;
    std::vector<Arc> m_arcs;
    std::vector<std::uint32_t> m_component;
    std::vector<std::size_t> m_component_sizes;
};

/// Collects nodes and edges, then produces the immutable CSR Graph.
class GraphBuilder {
  public:
    GraphBuilder() = default;

    NodeId add_node(core::XY position, std::int64_t external_id = -1);
    /// Add an undirected edge. `geometry` runs from `from` to `to`; when empty
    /// the straight segment between the two nodes is used. Its first and last
    /// points are set to the node positions. Length = planar polyline length.
    EdgeId add_edge(NodeId from, NodeId to, core::Path geometry = {}, std::int64_t external_id = -1);

    [[nodiscard]] std::size_t node_count() const noexcept { return m_graph.m_positions.size(); }

    /// Build adjacency and components; the builder is left empty.
    [[nodiscard]] Graph build();

  private:
    Graph m_graph;
};

/// Planar length of a polyline.
[[nodiscard]] double path_length(std::span<const core::XY> path) noexcept;

} // namespace geo::network
