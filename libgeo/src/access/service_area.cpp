#include "geo/access/service_area.hpp"

#include "geo/core/error.hpp"

#include <cmath>
#include <string>

namespace geo::access {

double level_distance_m(double minutes, double speed_kmh) {
    if (!(speed_kmh > 0.0) || !std::isfinite(speed_kmh)) {
        throw InputError("walking speed must be a positive number of km/h, got " + std::to_string(speed_kmh));
    }
    if (!(minutes >= 0.0) || !std::isfinite(minutes)) {
        throw InputError("walking time must be a non-negative number of minutes, got " + std::to_string(minutes));
    }
    return minutes / 60.0 * speed_kmh * 1000.0;
}

namespace {

template <typename Visit> void for_each_part(const network::Reach& reach, double bound, Visit visit) {
    const network::Graph& g = reach.graph();
    for (network::EdgeId e = 0; e < g.edge_count(); ++e) {
        // Cheap rejection: neither end reached within the bound and no source on it.
        if (reach.node_distance(g.edge_from(e)) > bound && reach.node_distance(g.edge_to(e)) > bound) {
            if (reach.sources_on(e).empty()) {
                continue;
            }
        }
        for (const auto& part : reach.reachable_parts(e, bound)) {
            visit(e, part);
        }
    }
}

} // namespace

std::vector<core::Path> reachable_paths(const network::Reach& reach, double bound) {
    std::vector<core::Path> paths;
    for_each_part(reach, bound, [&](network::EdgeId e, const network::EdgeInterval& part) {
        paths.push_back(reach.graph().edge_part(e, part.begin, part.end));
    });
    return paths;
}

double reachable_length(const network::Reach& reach, double bound) {
    double total = 0.0;
    for_each_part(reach, bound,
                  [&](network::EdgeId, const network::EdgeInterval& part) { total += part.end - part.begin; });
    return total;
}

core::Geometry service_area(const network::Reach& reach, double bound, double buffer_m, int quadrant_segments) {
    if (!(buffer_m > 0.0)) {
        throw InputError("service-area buffer width must be positive (metres)");
    }
    // Buffer each part on its own and union the small polygons (cascaded):
    // in GEOS 3.11 this is far faster than buffering one big collection.
    std::vector<core::Geometry> pieces;
    for (const core::Path& path : reachable_paths(reach, bound)) {
        if (path.size() >= 2 && path.front() != path.back()) {
            // Shape points closer than 1 m to the simplified line cannot move a
            // 50 m buffer visibly; dropping them makes buffering much cheaper.
            pieces.push_back(core::Geometry::line_string(path).simplify(1.0).buffer(buffer_m, quadrant_segments));
        } else if (!path.empty()) {
            pieces.push_back(core::Geometry::point(path.front()).buffer(buffer_m, quadrant_segments));
        }
    }
    if (pieces.empty()) {
        return core::Geometry::empty_polygon();
    }
    return core::Geometry::union_all(std::move(pieces));
}

core::Geometry euclidean_circle(core::XY center, double radius, int quadrant_segments) {
    return core::Geometry::point(center).buffer(radius, quadrant_segments);
}

} // namespace geo::access
