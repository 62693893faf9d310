#include "geo/shelter/reach.hpp"

#include "geo/network/bucket_queue.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace geo::shelter {

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

// Units grouped by the edge they snapped to (CSR: edge e's units are
// items[offsets[e] .. offsets[e+1])).
struct UnitsByEdge {
    std::vector<std::uint32_t> offsets;
    std::vector<std::uint32_t> items;
};

UnitsByEdge group_units(const network::Graph& graph, const std::vector<std::optional<network::Snap>>& snaps) {
    UnitsByEdge g;
    g.offsets.assign(graph.edge_count() + 1, 0);
    for (const auto& s : snaps) {
        if (s) {
            ++g.offsets[s->at.edge + 1];
        }
    }
    for (std::size_t e = 0; e < graph.edge_count(); ++e) {
        g.offsets[e + 1] += g.offsets[e];
    }
    g.items.resize(g.offsets.back());
    std::vector<std::uint32_t> fill(g.offsets.begin(), g.offsets.end() - 1);
    for (std::uint32_t u = 0; u < snaps.size(); ++u) {
        if (snaps[u]) {
            g.items[fill[snaps[u]->at.edge]++] = u;
        }
    }
    return g;
}

} // namespace

Reachability reachable_pairs(const network::Graph& graph, const network::Snapper& snapper,
                             const std::vector<core::XY>& units, const std::vector<Site>& sites) {
    Reachability r;
    r.unit_snaps.reserve(units.size());
    for (const auto& p : units) {
        r.unit_snaps.push_back(snapper.snap(p));
    }
    r.site_snaps.reserve(sites.size());
    for (const auto& s : sites) {
        r.site_snaps.push_back(snapper.snap(s.position));
    }
    const UnitsByEdge by_edge = group_units(graph, r.unit_snaps);
    const auto offsets = graph.csr_offsets();
    const auto arcs = graph.csr_arcs();

    std::vector<double> dist(graph.node_count(), infinity);
    std::vector<network::NodeId> touched;
    std::vector<std::uint32_t> seen(units.size(), std::numeric_limits<std::uint32_t>::max());
    network::BucketQueue queue; // reused from site to site (bucket_queue.hpp)

    for (std::uint32_t si = 0; si < sites.size(); ++si) {
        const auto& snap = r.site_snaps[si];
        if (!snap) {
            continue;
        }
        const double bound = sites[si].max_walk_m - snap->distance;
        if (bound < 0.0) {
            continue;
        }
        const network::EdgeId se = snap->at.edge;
        const double so = snap->at.offset;
        const double slen = graph.edge_length(se);
        queue.reset(graph.node_count(), bound, network::BucketQueue::width_for(bound));
        auto relax = [&](network::NodeId n, double d) {
            if (d <= bound && d < dist[n]) {
                if (dist[n] == infinity) {
                    touched.push_back(n);
                }
                dist[n] = d;
                queue.update(n, d);
            }
        };
        relax(graph.edge_from(se), so);
        relax(graph.edge_to(se), slen - so);
        for (network::NodeId v = queue.take(); v != network::no_node; v = queue.take()) {
            const double d = dist[v];
            for (auto i = offsets[v]; i < offsets[v + 1]; ++i) {
                relax(arcs[i].target, d + arcs[i].length);
            }
        }
        auto consider_edge = [&](network::EdgeId e) {
            const double from_d = dist[graph.edge_from(e)];
            const double to_d = dist[graph.edge_to(e)];
            const double len = graph.edge_length(e);
            for (auto k = by_edge.offsets[e]; k < by_edge.offsets[e + 1]; ++k) {
                const std::uint32_t u = by_edge.items[k];
                if (seen[u] == si) {
                    continue;
                }
                const auto& us = *r.unit_snaps[u];
                double d = std::min(from_d + us.at.offset, to_d + (len - us.at.offset));
                if (e == se) {
                    d = std::min(d, std::abs(us.at.offset - so)); // along the shared edge
                }
                const double total = d + snap->distance + us.distance;
                if (total <= sites[si].max_walk_m) {
                    seen[u] = si;
                    r.links.push_back({u, si, total});
                }
            }
        };
        consider_edge(se);
        for (network::NodeId n : touched) {
            for (auto i = offsets[n]; i < offsets[n + 1]; ++i) {
                consider_edge(arcs[i].edge);
            }
        }
        for (network::NodeId n : touched) {
            dist[n] = infinity;
        }
        touched.clear();
    }
    std::sort(r.links.begin(), r.links.end(), [](const Link& a, const Link& b) {
        if (a.unit != b.unit) {
            return a.unit < b.unit;
        }
        if (a.distance != b.distance) {
            return a.distance < b.distance;
        }
        return a.site < b.site;
    });
    return r;
}

} // namespace geo::shelter
