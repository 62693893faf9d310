// Fuzz target: the walking-network entry points (GraphBuilder → Reach → reachable_parts →
// service_area) on random small graphs: parallel edges, bent edges, zero-length edges, isolated
// nodes, several sources on one edge.
// Properties: node distances equal an independent textbook Dijkstra (O(n²), no heap) to 1e-9 m,
// nodes beyond the cutoff are unreachable, nearest() for a position on any edge equals the
// reference, reachable parts lie inside the edge and agree with the reference distance at their
// ends, and service areas are valid polygons. Bad input may only end in geo::InputError.
#include "fuzz_support.hpp"

#include "geo/access/service_area.hpp"
#include "geo/core/error.hpp"
#include "geo/network/dijkstra.hpp"
#include "geo/network/graph.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace {

namespace net = geo::network;
constexpr double inf = std::numeric_limits<double>::infinity();

/// Reference: distances from the sources to every node by the simplest correct algorithm.
std::vector<double> reference_distances(const net::Graph& g, const std::vector<net::Source>& sources) {
    const std::size_t n = g.node_count();
    std::vector<double> d(n, inf);
    for (const auto& s : sources) {
        const auto e = s.at.edge;
        d[g.edge_from(e)] = std::min(d[g.edge_from(e)], s.at.offset);
        d[g.edge_to(e)] = std::min(d[g.edge_to(e)], g.edge_length(e) - s.at.offset);
    }
    std::vector<bool> done(n, false);
    for (std::size_t round = 0; round < n; ++round) {
        std::size_t best = n;
        for (std::size_t v = 0; v < n; ++v) {
            if (!done[v] && d[v] < inf && (best == n || d[v] < d[best])) {
                best = v;
            }
        }
        if (best == n) {
            break;
        }
        done[best] = true;
        for (std::size_t e = 0; e < g.edge_count(); ++e) {
            const auto a = g.edge_from(static_cast<net::EdgeId>(e)), b = g.edge_to(static_cast<net::EdgeId>(e));
            const double len = g.edge_length(static_cast<net::EdgeId>(e));
            if (a == best) {
                d[b] = std::min(d[b], d[best] + len);
            }
            if (b == best) {
                d[a] = std::min(d[a], d[best] + len);
            }
        }
    }
    return d;
}

/// Reference distance of a position on an edge.
double reference_at(const net::Graph& g, const std::vector<double>& d, const std::vector<net::Source>& sources,
                    net::EdgePosition p) {
    const double len = g.edge_length(p.edge);
    double best = std::min(d[g.edge_from(p.edge)] + p.offset, d[g.edge_to(p.edge)] + (len - p.offset));
    for (const auto& s : sources) {
        if (s.at.edge == p.edge) {
            best = std::min(best, std::abs(s.at.offset - p.offset));
        }
    }
    return best;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > 1024) {
        return 0;
    }
    fuzz::ByteReader in(data, size);
    try {
        net::GraphBuilder builder;
        const int nodes = in.range(2, 16);
        for (int i = 0; i < nodes; ++i) {
            builder.add_node({in.lattice(10, 25.0), in.lattice(10, 25.0)});
        }
        const int edges = in.range(1, 24);
        for (int i = 0; i < edges; ++i) {
            const auto a = static_cast<net::NodeId>(in.range(0, nodes - 1));
            const auto b = static_cast<net::NodeId>(in.range(0, nodes - 1));
            geo::core::Path bend;
            if (in.byte() % 3 == 0) { // a bent edge: from → middle point → to
                bend = {{0, 0}, {in.lattice(10, 25.0), in.lattice(10, 25.0)}, {0, 0}};
            }
            builder.add_edge(a, b, bend);
        }
        const net::Graph graph = builder.build();
        std::vector<net::Source> sources;
        const int source_count = in.range(1, 4);
        for (int i = 0; i < source_count; ++i) {
            const auto e = static_cast<net::EdgeId>(in.range(0, static_cast<int>(graph.edge_count()) - 1));
            sources.push_back({{e, graph.edge_length(e) * in.range(0, 8) / 8.0}, static_cast<std::uint32_t>(i)});
        }
        const double cutoff = in.range(0, 600);
        const net::Reach reach(graph, sources, cutoff);
        const auto ref = reference_distances(graph, sources);
        for (std::size_t v = 0; v < graph.node_count(); ++v) {
            const double got = reach.node_distance(static_cast<net::NodeId>(v));
            if (ref[v] <= cutoff) {
                fuzz::check(std::abs(got - ref[v]) <= 1e-9, "node distance differs from the reference");
                fuzz::check(reach.node_source(static_cast<net::NodeId>(v)) != net::no_source, "reachable node without source");
            } else {
                fuzz::check(got == net::unreachable, "node beyond the cutoff is reachable");
            }
        }
        const double bound = std::min(cutoff, double(in.range(0, 600)));
        for (std::size_t e = 0; e < graph.edge_count(); ++e) {
            const auto edge = static_cast<net::EdgeId>(e);
            const double len = graph.edge_length(edge);
            for (int k = 0; k <= 4; ++k) {
                const net::EdgePosition p{edge, len * k / 4.0};
                const double want = reference_at(graph, ref, sources, p);
                const auto got = reach.nearest(p);
                if (want <= cutoff - 1e-9) {
                    fuzz::check(got.has_value() && std::abs(got->distance - want) <= 1e-9, "nearest() differs");
                } else if (want > cutoff + 1e-9) {
                    fuzz::check(!got.has_value(), "nearest() beyond the cutoff");
                }
            }
            double last_end = -1.0;
            for (const auto& part : reach.reachable_parts(edge, bound)) {
                fuzz::check(part.begin >= 0.0 && part.end <= len + 1e-9 && part.begin <= part.end, "part outside its edge");
                fuzz::check(part.begin > last_end, "parts overlap or are unsorted");
                last_end = part.end;
                const double mid = reference_at(graph, ref, sources, {edge, 0.5 * (part.begin + part.end)});
                fuzz::check(mid <= bound + 1e-6, "a reachable part is farther than the bound");
            }
        }
        const auto area = geo::access::service_area(reach, bound, 10.0);
        fuzz::check(area.is_empty() || area.is_valid(), "service area is invalid", area.invalid_reason());
    } catch (const geo::InputError&) {
    }
    return 0;
}
