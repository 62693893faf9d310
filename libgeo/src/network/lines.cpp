#include "geo/network/lines.hpp"

#include "geo/core/error.hpp"

#include <cmath>
#include <unordered_map>
#include <utility>

namespace geo::network {

namespace {

struct CellHash {
    std::size_t operator()(const std::pair<std::int64_t, std::int64_t>& c) const noexcept {
        return std::hash<std::int64_t>{}(c.first * 73856093LL ^ c.second * 19349663LL);
    }
};

} // namespace

Graph graph_from_lines(const std::vector<LineFeature>& lines, double node_tolerance) {
    if (!(node_tolerance > 0.0)) {
        throw InputError("node tolerance for line networks must be positive");
    }
    GraphBuilder builder;
    std::vector<core::XY> positions;
    // Nodes hashed into cells of the tolerance; a new end point looks at the
    // 3×3 neighbouring cells so that near-equal points on a cell border meet.
    std::unordered_map<std::pair<std::int64_t, std::int64_t>, std::vector<NodeId>, CellHash> cells;
    auto node_at = [&](core::XY p) {
        const auto cx = static_cast<std::int64_t>(std::floor(p.x / node_tolerance));
        const auto cy = static_cast<std::int64_t>(std::floor(p.y / node_tolerance));
        for (std::int64_t dx = -1; dx <= 1; ++dx) {
            for (std::int64_t dy = -1; dy <= 1; ++dy) {
                const auto it = cells.find({cx + dx, cy + dy});
                if (it == cells.end()) {
                    continue;
                }
                for (const NodeId n : it->second) {
                    if (std::hypot(positions[n].x - p.x, positions[n].y - p.y) <= node_tolerance) {
                        return n;
                    }
                }
            }
        }
        const NodeId n = builder.add_node(p);
        positions.push_back(p);
        cells[{cx, cy}].push_back(n);
        return n;
    };
    for (const LineFeature& line : lines) {
        if (line.path.size() < 2) {
            continue;
        }
        const NodeId a = node_at(line.path.front());
        const NodeId b = node_at(line.path.back());
        builder.add_edge(a, b, line.path, line.id);
    }
    if (builder.node_count() == 0) {
        throw InputError("the line layer holds no line with two or more points");
    }
    return builder.build();
}

} // namespace geo::network
