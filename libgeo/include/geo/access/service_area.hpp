#pragma once
// 15-minute service circles (生活圈, GB 50180-2018): walking levels in
// minutes become distances (minutes × speed), and a service area is the
// union of the network parts reachable within that distance, buffered by a
// small width so that the streets become an area. Everything is planar, in
// the local metric CRS of the Graph.
//
// Rules (docs/access.md):
//  * distance for a level = minutes / 60 × speed_kmh × 1000 (defaults 4.5 km/h;
//    5, 10, 15 min → 375, 750, 1125 m);
//  * reachable parts: whole edges whose every point is within the distance,
//    frontier edges cut at the exact remaining distance, and the stretch
//    around a source on its own edge (Reach::reachable_parts);
//  * polygon = buffer(union of the parts, buffer_m), default 50 m: the depth
//    of the block fronts served by a street;
//  * Euclidean circles (radius = the level distance) only as a fallback for
//    facilities that could not be snapped, always labelled "euclidean".

#include "geo/core/coords.hpp"
#include "geo/core/geometry.hpp"
#include "geo/network/dijkstra.hpp"

#include <vector>

namespace geo::access {

struct LevelOptions {
    std::vector<double> minutes{5.0, 10.0, 15.0};
    double speed_kmh = 4.5;
    double buffer_m = 50.0;
    int quadrant_segments = 4; ///< buffer smoothness (GEOS quadrant segments)
};

/// Walking distance in metres for a level. Throws InputError for a
/// non-positive speed or negative minutes.
[[nodiscard]] double level_distance_m(double minutes, double speed_kmh);

/// Every reachable part of the network within `bound` metres of the run's
/// sources, as planar polylines (a single point for a zero-length part).
[[nodiscard]] std::vector<core::Path> reachable_paths(const network::Reach& reach, double bound);

/// Sum of the lengths of the reachable parts (metres of street served).
[[nodiscard]] double reachable_length(const network::Reach& reach, double bound);

/// The service-area polygon for `bound` metres: buffered union of the
/// reachable parts. An empty polygon when nothing is reachable.
[[nodiscard]] core::Geometry service_area(const network::Reach& reach, double bound, double buffer_m,
                                          int quadrant_segments = 4);

/// Service areas for several bounds of the same run (e.g. 5/10/15 minutes),
/// result i for bounds[i]. The levels are nested, so each is built as the
/// next smaller one plus the buffered parts reached between the two bounds,
/// instead of from scratch.
[[nodiscard]] std::vector<core::Geometry> service_areas(const network::Reach& reach, std::vector<double> bounds,
                                                        double buffer_m, int quadrant_segments = 4);

/// The labelled fallback: a circle of `radius` metres around `center`.
[[nodiscard]] core::Geometry euclidean_circle(core::XY center, double radius, int quadrant_segments = 8);

} // namespace geo::access
