#include "coverage.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
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

// Noding: a vertex of one ring lying inside a segment of another (a
// T-junction, e.g. two small grids along one side of a large one) is
// inserted into that segment, so that both sides see the same vertices and
// the junction becomes a node. Candidates come from a uniform grid hash.
template <typename Ring> void node_t_junctions(const std::vector<core::XY>& vertices, std::vector<Ring>& rings) {
    double total = 0;
    std::size_t segments = 0;
    for (const auto& ring : rings) {
        for (std::size_t i = 0; i + 1 < ring.ids.size(); ++i) {
            const core::XY& a = vertices[ring.ids[i]];
            const core::XY& b = vertices[ring.ids[i + 1]];
            total += std::abs(b.x - a.x) + std::abs(b.y - a.y);
            ++segments;
        }
    }
    if (segments == 0) {
        return;
    }
    const double cell = std::max(total / static_cast<double>(segments), 1e-9);
    auto cell_of = [cell](double v) { return static_cast<std::int64_t>(std::floor(v / cell)); };
    auto cell_key = [](std::int64_t cx, std::int64_t cy) {
        return (static_cast<std::uint64_t>(cx) << 32U) ^ static_cast<std::uint64_t>(cy & 0xFFFFFFFF);
    };
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> grid;
    for (std::uint32_t v = 0; v < vertices.size(); ++v) {
        grid[cell_key(cell_of(vertices[v].x), cell_of(vertices[v].y))].push_back(v);
    }
    std::vector<std::pair<double, std::uint32_t>> found;
    std::vector<std::uint64_t> cells;
    for (auto& ring : rings) {
        const std::size_t n = ring.ids.size();
        if (n < 3) {
            continue;
        }
        std::vector<std::uint32_t> noded;
        noded.reserve(n);
        bool changed = false;
        for (std::size_t i = 0; i < n; ++i) {
            const std::uint32_t ia = ring.ids[i];
            const std::uint32_t ib = ring.ids[(i + 1) % n];
            noded.push_back(ia);
            const core::XY a = vertices[ia];
            const core::XY b = vertices[ib];
            const double dx = b.x - a.x;
            const double dy = b.y - a.y;
            const double len2 = dx * dx + dy * dy;
            if (len2 == 0) {
                continue;
            }
            // A vertex within 1e-6 units (micrometres at street zooms) of the segment is on it.
            const double eps = 1e-6;
            found.clear();
            // The cells along the segment (sampled every half cell) and their
            // neighbours: long diagonal segments do not scan their whole box.
            cells.clear();
            const auto steps = static_cast<std::int64_t>(std::ceil(std::sqrt(len2) / (cell * 0.5)));
            for (std::int64_t k = 0; k <= steps; ++k) {
                const double t = static_cast<double>(k) / static_cast<double>(std::max<std::int64_t>(steps, 1));
                const std::int64_t cx = cell_of(a.x + dx * t);
                const std::int64_t cy = cell_of(a.y + dy * t);
                for (std::int64_t ox = -1; ox <= 1; ++ox) {
                    for (std::int64_t oy = -1; oy <= 1; ++oy) {
                        cells.push_back(cell_key(cx + ox, cy + oy));
                    }
                }
            }
            std::sort(cells.begin(), cells.end());
            cells.erase(std::unique(cells.begin(), cells.end()), cells.end());
            for (std::uint64_t key : cells) {
                auto it = grid.find(key);
                if (it == grid.end()) {
                    continue;
                }
                for (std::uint32_t v : it->second) {
                    if (v == ia || v == ib) {
                        continue;
                    }
                    const core::XY p = vertices[v];
                    const double t = ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2;
                    if (t <= 0 || t >= 1) {
                        continue;
                    }
                    const double cross = (p.x - a.x) * dy - (p.y - a.y) * dx;
                    if (cross * cross <= eps * eps * len2) {
                        found.emplace_back(t, v);
                    }
                }
            }
            if (!found.empty()) {
                std::sort(found.begin(), found.end());
                for (const auto& [t, v] : found) {
                    noded.push_back(v);
                }
                changed = true;
            }
        }
        if (changed) {
            ring.ids = std::move(noded);
        }
    }
}

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

    node_t_junctions(vertices, rings);

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
