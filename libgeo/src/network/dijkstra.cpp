#include "geo/network/dijkstra.hpp"

#include "geo/core/error.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <utility>

namespace geo::network {

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

    // Indexed 4-ary min-heap with decrease-key: every node is in the heap at most once, so a run
    // does at most n pops instead of one per relaxation. Keys live in the heap entries next to
    // the node ids, so sifting compares contiguous memory instead of chasing m_distance[node].
    // (It replaced std::priority_queue with lazy deletion; docs/benchmarks.md has the effect.)
    struct Entry {
        double key;
        NodeId node;
    };
    constexpr std::uint32_t not_in_heap = std::numeric_limits<std::uint32_t>::max();
    std::vector<Entry> heap;
    heap.reserve(64);
    std::vector<std::uint32_t> slot(n, not_in_heap);
    auto sift_up = [&](std::uint32_t i, Entry e) {
        while (i > 0) {
            const std::uint32_t parent = (i - 1) / 4;
            if (heap[parent].key <= e.key) {
                break;
            }
            heap[i] = heap[parent];
            slot[heap[i].node] = i;
            i = parent;
        }
        heap[i] = e;
        slot[e.node] = i;
    };
    auto sift_down = [&](Entry e) {
        const auto size = static_cast<std::uint32_t>(heap.size());
        std::uint32_t i = 0;
        for (;;) {
            const std::uint32_t first = 4 * i + 1;
            if (first >= size) {
                break;
            }
            std::uint32_t best = first;
            const std::uint32_t last = std::min(first + 4, size);
            for (std::uint32_t c = first + 1; c < last; ++c) {
                if (heap[c].key < heap[best].key) {
                    best = c;
                }
            }
            if (heap[best].key >= e.key) {
                break;
            }
            heap[i] = heap[best];
            slot[heap[i].node] = i;
            i = best;
        }
        heap[i] = e;
        slot[e.node] = i;
    };
    auto offer = [&](NodeId node, double d, std::uint32_t id) {
        if (d <= m_cutoff && d < m_distance[node]) {
            m_distance[node] = d;
            m_source[node] = id;
            if (slot[node] == not_in_heap) {
                heap.push_back({d, node});
                sift_up(static_cast<std::uint32_t>(heap.size() - 1), {d, node});
            } else {
                sift_up(slot[node], {d, node}); // decrease-key
            }
        }
    };
    for (const Source& s : m_sources) {
        const double length = graph.edge_length(s.at.edge);
        offer(graph.edge_from(s.at.edge), s.at.offset, s.id);
        offer(graph.edge_to(s.at.edge), length - s.at.offset, s.id);
    }
    const auto offsets = graph.csr_offsets();
    const auto targets = graph.csr_targets();
    const auto lengths = graph.csr_lengths();
    constexpr std::uint32_t settled = not_in_heap - 1; // slot value of a node taken off the heap
    while (!heap.empty()) {
        const NodeId u = heap.front().node;
        const Entry last = heap.back();
        heap.pop_back();
        if (!heap.empty()) {
            sift_down(last);
        }
        slot[u] = settled;
        const double d = m_distance[u];
        const std::uint32_t id = m_source[u];
        for (std::uint32_t i = offsets[u]; i < offsets[u + 1]; ++i) {
            const NodeId v = targets[i];
            if (slot[v] != settled) {
                offer(v, d + lengths[i], id);
            }
        }
    }
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
