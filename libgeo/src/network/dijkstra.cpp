#include "geo/network/dijkstra.hpp"

#include "geo/core/error.hpp"
#include "geo/core/parallel.hpp"
#include "geo/network/bucket_queue.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

namespace geo::network {

namespace {

// The bounded multi-source search itself, on plain pointers and a queue passed by reference (not
// the thread_local itself, whose address would be looked up at every access).
void search(const Graph& graph, std::span<const Source> sources, double cutoff, double* distance, std::uint32_t* source,
            BucketQueue& queue) {
    const double bound = std::isfinite(cutoff) ? cutoff : graph.total_length();
    queue.reset(graph.node_count(), bound, BucketQueue::width_for(bound));
    auto offer = [&](NodeId node, double d, std::uint32_t id) {
        if (d <= cutoff && d < distance[node]) {
            distance[node] = d;
            source[node] = id;
            queue.update(node, d);
        }
    };
    for (const Source& s : sources) {
        const double length = graph.edge_length(s.at.edge);
        offer(graph.edge_from(s.at.edge), s.at.offset, s.id);
        offer(graph.edge_to(s.at.edge), length - s.at.offset, s.id);
    }
    const std::uint32_t* const offsets = graph.csr_offsets().data();
    const Arc* const arcs = graph.csr_arcs().data();
    queue.drain([&](NodeId u) {
        const double d = distance[u];
        const std::uint32_t id = source[u];
        for (std::uint32_t i = offsets[u], end = offsets[u + 1]; i < end; ++i) {
            const NodeId v = arcs[i].target;
            const double dv = d + arcs[i].length;
            if (dv <= cutoff && dv < distance[v]) {
                distance[v] = dv;
                source[v] = id;
                // A dead end (one edge, the one just walked) has nothing to relax but the way
                // back, so it never enters the queue: 17 % of the Monaco nodes. Its distance is
                // final as soon as u's is. (Dead ends that start a search go through offer().)
                if (offsets[v + 1] - offsets[v] > 1) {
                    queue.update(v, dv);
                }
            }
        }
    });
}

} // namespace

Reach::Reach(const Graph& graph, std::vector<Source> sources, double cutoff)
    : m_graph(&graph), m_cutoff(cutoff), m_sources(std::move(sources)) {
    if (!(cutoff >= 0.0)) {
        throw InputError("network distance bound must be a non-negative number of metres");
    }
    const std::size_t n = graph.node_count();
    m_distance.assign(n, unreachable);
    m_source.assign(n, no_source);
    for (const Source& s : m_sources) {
        if (s.at.edge >= graph.edge_count()) {
            throw InputError("source " + std::to_string(s.id) + " lies on unknown edge " + std::to_string(s.at.edge));
        }
        const double length = graph.edge_length(s.at.edge);
        if (!(s.at.offset >= 0.0 && s.at.offset <= length)) {
            throw InputError("source " + std::to_string(s.id) + " has offset " + std::to_string(s.at.offset) +
                             " outside its edge of length " + std::to_string(length));
        }
    }
    std::stable_sort(m_sources.begin(), m_sources.end(),
                     [](const Source& a, const Source& b) { return a.at.edge < b.at.edge; });

    // The queue is Dial's bucket queue (bucket_queue.hpp says why it is exact); one per thread,
    // reused from run to run, so a run allocates only its results.
    thread_local BucketQueue queue;
    search(graph, m_sources, m_cutoff, m_distance.data(), m_source.data(), queue);
}

std::vector<Reach> reach_each(const Graph& graph, std::vector<std::vector<Source>> groups, double cutoff, int threads) {
    std::vector<std::optional<Reach>> runs(groups.size());
    core::parallel_for(groups.size(), threads,
                       [&](std::size_t i) { runs[i].emplace(graph, std::move(groups[i]), cutoff); });
    std::vector<Reach> out;
    out.reserve(runs.size());
    for (auto& run : runs) {
        out.push_back(std::move(*run));
    }
    return out;
}

std::span<const Source> Reach::sources_on(EdgeId e) const {
    const auto lo = std::lower_bound(m_sources.begin(), m_sources.end(), e,
                                     [](const Source& s, EdgeId edge) { return s.at.edge < edge; });
    auto hi = lo;
    while (hi != m_sources.end() && hi->at.edge == e) {
        ++hi;
    }
    return {lo, hi};
}

std::optional<Nearest> Reach::nearest(EdgePosition p) const {
    const Graph& g = *m_graph;
    const double length = g.edge_length(p.edge);
    const double offset = std::clamp(p.offset, 0.0, length);
    Nearest best;
    const NodeId from = g.edge_from(p.edge);
    const NodeId to = g.edge_to(p.edge);
    if (m_distance[from] + offset < best.distance) {
        best = {m_distance[from] + offset, m_source[from]};
    }
    if (m_distance[to] + (length - offset) < best.distance) {
        best = {m_distance[to] + (length - offset), m_source[to]};
    }
    for (const Source& s : sources_on(p.edge)) {
        const double d = std::abs(s.at.offset - offset);
        if (d < best.distance) {
            best = {d, s.id};
        }
    }
    if (!(best.distance <= m_cutoff)) {
        return std::nullopt;
    }
    return best;
}

std::vector<EdgeInterval> Reach::reachable_parts(EdgeId e, double bound) const {
    const Graph& g = *m_graph;
    const double length = g.edge_length(e);
    std::vector<EdgeInterval> parts;
    const double from = m_distance[g.edge_from(e)];
    const double to = m_distance[g.edge_to(e)];
    if (from <= bound) {
        parts.push_back({0.0, std::min(length, bound - from)});
    }
    if (to <= bound) {
        parts.push_back({std::max(0.0, length - (bound - to)), length});
    }
    for (const Source& s : sources_on(e)) {
        parts.push_back({std::max(0.0, s.at.offset - bound), std::min(length, s.at.offset + bound)});
    }
    std::sort(parts.begin(), parts.end(), [](const EdgeInterval& a, const EdgeInterval& b) {
        return a.begin < b.begin || (a.begin == b.begin && a.end < b.end);
    });
    std::vector<EdgeInterval> merged;
    for (const EdgeInterval& part : parts) {
        if (!merged.empty() && part.begin <= merged.back().end) {
            merged.back().end = std::max(merged.back().end, part.end);
        } else {
            merged.push_back(part);
        }
    }
    return merged;
}

} // namespace geo::network
