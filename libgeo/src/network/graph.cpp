#include "geo/network/graph.hpp"

#include "geo/core/error.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace geo::network {

double path_length(std::span<const core::XY> path) noexcept {
    double length = 0.0;
    for (std::size_t i = 1; i < path.size(); ++i) {
        length += std::hypot(path[i].x - path[i - 1].x, path[i].y - path[i - 1].y);
    }
    return length;
}

std::span<const core::XY> Graph::edge_geometry(EdgeId e) const {
    const std::uint32_t begin = m_geometry_offsets.at(e);
    const std::uint32_t end = m_geometry_offsets.at(e + 1);
    return std::span<const core::XY>(m_geometry).subspan(begin, end - begin);
}

core::XY Graph::point_at(EdgePosition p) const {
    const auto geometry = edge_geometry(p.edge);
    double remaining = std::max(0.0, p.offset);
    for (std::size_t i = 1; i < geometry.size(); ++i) {
        const core::XY a = geometry[i - 1];
        const core::XY b = geometry[i];
        const double segment = std::hypot(b.x - a.x, b.y - a.y);
        if (remaining <= segment && segment > 0.0) {
            const double t = remaining / segment;
            return {a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)};
        }
        remaining -= segment;
    }
    return geometry.back();
}

core::Path Graph::edge_part(EdgeId e, double a, double b) const {
    const auto geometry = edge_geometry(e);
    const double length = m_edge_length.at(e);
    a = std::clamp(a, 0.0, length);
    b = std::clamp(b, 0.0, length);
    core::Path part;
    if (b < a) {
        return part;
    }
    part.push_back(point_at({e, a}));
    // Interior vertices strictly between the two offsets keep the edge's shape.
    double along = 0.0;
    for (std::size_t i = 1; i + 1 < geometry.size(); ++i) {
        along += std::hypot(geometry[i].x - geometry[i - 1].x, geometry[i].y - geometry[i - 1].y);
        if (along > a && along < b) {
            part.push_back(geometry[i]);
        }
    }
    part.push_back(point_at({e, b}));
    return part;
}

std::uint32_t Graph::largest_component() const noexcept {
    if (m_component_sizes.empty()) {
        return 0;
    }
    return static_cast<std::uint32_t>(std::max_element(m_component_sizes.begin(), m_component_sizes.end()) -
                                      m_component_sizes.begin());
}

double Graph::total_length() const noexcept {
    double total = 0.0;
    for (const double l : m_edge_length) {
        total += l;
    }
    return total;
}

core::Box Graph::bounds() const noexcept {
    core::Box box;
    for (const auto& p : m_geometry) {
        box.expand(p);
    }
    for (const auto& p : m_positions) {
        box.expand(p);
    }
    return box;
}

NodeId GraphBuilder::add_node(core::XY position, std::int64_t external_id) {
    if (!std::isfinite(position.x) || !std::isfinite(position.y)) {
        throw InputError("network node has a non-finite coordinate");
    }
    m_graph.m_positions.push_back(position);
    m_graph.m_node_ids.push_back(external_id);
    return static_cast<NodeId>(m_graph.m_positions.size() - 1);
}

EdgeId GraphBuilder::add_edge(NodeId from, NodeId to, core::Path geometry, std::int64_t external_id) {
    Graph& g = m_graph;
    if (from >= g.m_positions.size() || to >= g.m_positions.size()) {
        throw InputError("network edge refers to an unknown node " + std::to_string(std::max(from, to)));
    }
    if (geometry.size() < 2) {
        geometry = {g.m_positions[from], g.m_positions[to]};
    }
    geometry.front() = g.m_positions[from];
    geometry.back() = g.m_positions[to];
    if (g.m_geometry_offsets.empty()) {
        g.m_geometry_offsets.push_back(0);
    }
    g.m_edge_from.push_back(from);
    g.m_edge_to.push_back(to);
    g.m_edge_length.push_back(path_length(geometry));
    g.m_edge_ids.push_back(external_id);
    g.m_geometry.insert(g.m_geometry.end(), geometry.begin(), geometry.end());
    g.m_geometry_offsets.push_back(static_cast<std::uint32_t>(g.m_geometry.size()));
    return static_cast<EdgeId>(g.m_edge_from.size() - 1);
}

Graph GraphBuilder::build() {
    Graph g = std::move(m_graph);
    m_graph = Graph{};
    if (g.m_geometry_offsets.empty()) {
        g.m_geometry_offsets.push_back(0);
    }
    const std::size_t n = g.m_positions.size();
    const std::size_t m = g.m_edge_from.size();

    // Counting sort of the 2m half-edges by their tail node.
    g.m_offsets.assign(n + 1, 0);
    for (std::size_t e = 0; e < m; ++e) {
        ++g.m_offsets[g.m_edge_from[e] + 1];
        ++g.m_offsets[g.m_edge_to[e] + 1];
    }
    for (std::size_t i = 0; i < n; ++i) {
        g.m_offsets[i + 1] += g.m_offsets[i];
    }
    g.m_arcs.resize(2 * m);
    std::vector<std::uint32_t> cursor(g.m_offsets.begin(), g.m_offsets.end() - 1);
    auto put = [&](NodeId tail, NodeId head, EdgeId e) {
        const std::uint32_t slot = cursor[tail]++;
        g.m_arcs[slot] = {head, e, g.m_edge_length[e]};
    };
    for (std::size_t e = 0; e < m; ++e) {
        put(g.m_edge_from[e], g.m_edge_to[e], static_cast<EdgeId>(e));
        put(g.m_edge_to[e], g.m_edge_from[e], static_cast<EdgeId>(e));
    }

    // Connected components by iterative depth-first search over the CSR.
    constexpr std::uint32_t unset = std::numeric_limits<std::uint32_t>::max();
    g.m_component.assign(n, unset);
    std::vector<NodeId> stack;
    for (NodeId start = 0; start < n; ++start) {
        if (g.m_component[start] != unset) {
            continue;
        }
        const auto c = static_cast<std::uint32_t>(g.m_component_sizes.size());
        std::size_t size = 0;
        g.m_component[start] = c;
        stack.push_back(start);
        while (!stack.empty()) {
            const NodeId u = stack.back();
            stack.pop_back();
            ++size;
            for (std::uint32_t i = g.m_offsets[u]; i < g.m_offsets[u + 1]; ++i) {
                const NodeId v = g.m_arcs[i].target;
                if (g.m_component[v] == unset) {
                    g.m_component[v] = c;
                    stack.push_back(v);
                }
            }
        }
        g.m_component_sizes.push_back(size);
    }
    return g;
}

} // namespace geo::network
