#pragma once
// The reference the walking-distance engine is checked and measured against:
// a textbook bounded multi-source Dijkstra with std::priority_queue and lazy
// deletion, sources on partial edges as in geo::network::Reach. Used by
// tests/unit/network (bit-for-bit equality) and bench/network (the baseline).

#include "geo/network/dijkstra.hpp"
#include "geo/network/graph.hpp"

#include <functional>
#include <queue>
#include <utility>
#include <vector>

namespace geo::testing {

inline std::vector<double> reference_dijkstra(const network::Graph& g, const std::vector<network::Source>& sources,
                                              double cutoff) {
    std::vector<double> dist(g.node_count(), network::unreachable);
    using Item = std::pair<double, network::NodeId>;
    std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
    auto offer = [&](network::NodeId v, double d) {
        if (d <= cutoff && d < dist[v]) {
            dist[v] = d;
            heap.push({d, v});
        }
    };
    for (const network::Source& s : sources) {
        offer(g.edge_from(s.at.edge), s.at.offset);
        offer(g.edge_to(s.at.edge), g.edge_length(s.at.edge) - s.at.offset);
    }
    const auto offsets = g.csr_offsets();
    const auto arcs = g.csr_arcs();
    while (!heap.empty()) {
        const auto [d, u] = heap.top();
        heap.pop();
        if (d > dist[u]) {
            continue;
        }
        for (auto i = offsets[u]; i < offsets[u + 1]; ++i) {
            offer(arcs[i].target, d + arcs[i].length);
        }
    }
    return dist;
}

} // namespace geo::testing
