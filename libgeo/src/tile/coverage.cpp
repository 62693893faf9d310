#include "coverage.hpp"

#include <algorithm>
#include <bit>
#include <unordered_map>

namespace geo::tile::detail {

namespace {

struct XYHash {
    std::size_t operator()(const core::XY& p) const noexcept {
        const auto a = std::bit_cast<std::uint64_t>(p.x);
        const auto b = std::bit_cast<std::uint64_t>(p.y);
        return std::hash<std::uint64_t>{}(a * 0x9E3779B97F4A7C15ULL ^ (b + 0x632BE59BD9B4E019ULL + (a << 6U)));
    }
};

std::uint64_t segment_key(std::uint32_t a, std::uint32_t b) {
    if (a > b) {
        std::swap(a, b);
    }
    return (std::uint64_t{a} << 32U) | b;
}

// The rings on each side of a segment: at most two in a coverage; more
// means overlapping input, which we still handle (as a distinct owner set).
struct Owners {
    std::uint32_t a = UINT32_MAX;
    std::uint32_t b = UINT32_MAX;
    void add(std::uint32_t ring) {
        if (a == ring || b == ring) {
            return;
        }
        if (a == UINT32_MAX) {
            a = ring;
        } else if (b == UINT32_MAX) {
            b = ring;
            if (b < a) {
                std::swap(a, b);
            }
        }
    }
    friend bool operator==(const Owners&, const Owners&) = default;
};

// An edge is known by its first and last segments, whichever way it is walked.
struct EdgeKey {
    std::uint64_t a, b;
    friend bool operator==(const EdgeKey&, const EdgeKey&) = default;
};
struct EdgeKeyHash {
    std::size_t operator()(const EdgeKey& k) const noexcept {
        return std::hash<std::uint64_t>{}(k.a * 0x9E3779B97F4A7C15ULL ^ k.b);
    }
};

} // namespace

CoverageTopology build_coverage(const std::vector<std::vector<std::vector<core::Path>>>& polygons) {
    // 1. Vertex ids by exact coordinates.
    std::unordered_map<core::XY, std::uint32_t, XYHash> vertex_ids;
    std::vector<core::XY> vertices;
    struct RingRef {
        std::size_t f, p, r;
        std::vector<std::uint32_t> ids; // open ring
    };
    std::vector<RingRef> rings;
    for (std::size_t f = 0; f < polygons.size(); ++f) {
        for (std::size_t p = 0; p < polygons[f].size(); ++p) {
            for (std::size_t r = 0; r < polygons[f][p].size(); ++r) {
                RingRef ref{f, p, r, {}};
                for (const core::XY& xy : polygons[f][p][r]) {
                    auto [it, inserted] = vertex_ids.try_emplace(xy, static_cast<std::uint32_t>(vertices.size()));
                    if (inserted) {
                        vertices.push_back(xy);
                    }
                    if (ref.ids.empty() || ref.ids.back() != it->second) {
                        ref.ids.push_back(it->second);
                    }
                }
                while (ref.ids.size() > 1 && ref.ids.back() == ref.ids.front()) {
                    ref.ids.pop_back();
                }
                rings.push_back(std::move(ref));
            }
        }
    }

    // 2. Segments: who owns them, and each vertex's degree.
    std::unordered_map<std::uint64_t, Owners> segments;
    for (std::uint32_t ri = 0; ri < rings.size(); ++ri) {
        const auto& ids = rings[ri].ids;
        if (ids.size() < 3) {
            continue;
        }
        for (std::size_t i = 0; i < ids.size(); ++i) {
            segments[segment_key(ids[i], ids[(i + 1) % ids.size()])].add(ri);
        }
    }
    std::vector<std::uint32_t> degree(vertices.size(), 0);
    for (const auto& [key, owners] : segments) {
        ++degree[key >> 32U];
        ++degree[key & 0xFFFFFFFFU];
    }

    // 3. Nodes.
    std::vector<bool> node(vertices.size(), false);
    for (const auto& ring : rings) {
        const auto& ids = ring.ids;
        if (ids.size() < 3) {
            continue;
        }
        const std::size_t n = ids.size();
        for (std::size_t i = 0; i < n; ++i) {
            const std::uint32_t v = ids[i];
            if (degree[v] != 2) {
                node[v] = true;
                continue;
            }
            const Owners& before = segments[segment_key(ids[(i + n - 1) % n], v)];
            const Owners& after = segments[segment_key(v, ids[(i + 1) % n])];
            if (!(before == after)) {
                node[v] = true;
            }
        }
    }
    auto smaller = [&](std::uint32_t a, std::uint32_t b) {
        return vertices[a].x < vertices[b].x || (vertices[a].x == vertices[b].x && vertices[a].y < vertices[b].y);
    };
    for (const auto& ring : rings) {
        if (ring.ids.size() < 3 || std::any_of(ring.ids.begin(), ring.ids.end(), [&](auto v) { return node[v]; })) {
            continue;
        }
        node[*std::min_element(ring.ids.begin(), ring.ids.end(), smaller)] = true;
    }

    // 4. Edges between nodes, each stored once.
    CoverageTopology topo;
    topo.rings.resize(polygons.size());
    for (std::size_t f = 0; f < polygons.size(); ++f) {
        topo.rings[f].resize(polygons[f].size());
        for (std::size_t p = 0; p < polygons[f].size(); ++p) {
            topo.rings[f][p].resize(polygons[f][p].size());
        }
    }
    std::unordered_map<EdgeKey, std::uint32_t, EdgeKeyHash> edge_index;
    std::vector<std::vector<std::uint32_t>> edge_ids;
    for (const auto& ring : rings) {
        const auto& ids = ring.ids;
        auto& uses = topo.rings[ring.f][ring.p][ring.r];
        if (ids.size() < 3) {
            continue;
        }
        const std::size_t n = ids.size();
        std::size_t start = 0;
        while (!node[ids[start]]) {
            ++start;
        }
        std::vector<std::uint32_t> edge{ids[start]};
        for (std::size_t k = 1; k <= n; ++k) {
            const std::uint32_t v = ids[(start + k) % n];
            edge.push_back(v);
            if (!node[v]) {
                continue;
            }
            const std::uint64_t first = segment_key(edge[0], edge[1]);
            const std::uint64_t last = segment_key(edge[edge.size() - 2], edge.back());
            const EdgeKey key{std::min(first, last), std::max(first, last)};
            auto [it, inserted] = edge_index.try_emplace(key, static_cast<std::uint32_t>(edge_ids.size()));
            if (inserted) {
                edge_ids.push_back(edge);
                uses.push_back({it->second, false});
            } else {
                const auto& stored = edge_ids[it->second];
                const bool same = stored[0] == edge[0] && stored[1] == edge[1];
                uses.push_back({it->second, !same});
            }
            edge = {v};
        }
    }
    topo.edges.reserve(edge_ids.size());
    for (const auto& ids : edge_ids) {
        core::Path path;
        path.reserve(ids.size());
        for (auto v : ids) {
            path.push_back(vertices[v]);
        }
        topo.edges.push_back(std::move(path));
    }
    return topo;
}

core::Path assemble_ring(const std::vector<core::Path>& edges, const std::vector<EdgeUse>& uses) {
    core::Path ring;
    for (const EdgeUse& use : uses) {
        const core::Path& e = edges[use.edge];
        if (use.reversed) {
            ring.insert(ring.end(), e.rbegin(), e.rend() - 1); // the last point starts the next edge
        } else {
            ring.insert(ring.end(), e.begin(), e.end() - 1);
        }
    }
    return ring;
}

} // namespace geo::tile::detail
