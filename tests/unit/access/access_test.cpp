#include "geo/access/coverage.hpp"
#include "geo/access/service_area.hpp"
#include "geo/core/error.hpp"
#include "geo/network/dijkstra.hpp"
#include "geo/network/graph.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

using geo::core::Geometry;
using geo::core::XY;
using namespace geo::access;
using namespace geo::network;

namespace {

// A straight street 0 --1000 m-- 1 with a facility 100 m from node 0.
Graph street() {
    GraphBuilder b;
    const NodeId a = b.add_node({0, 0});
    const NodeId c = b.add_node({1000, 0});
    b.add_edge(a, c);
    return b.build();
}

// A 6 x 6 block grid of straight 200 m streets.
Graph block_grid() {
    GraphBuilder b;
    for (int y = 0; y < 7; ++y) {
        for (int x = 0; x < 7; ++x) {
            b.add_node({x * 200.0, y * 200.0});
        }
    }
    for (NodeId y = 0; y < 7; ++y) {
        for (NodeId x = 0; x < 7; ++x) {
            if (x + 1 < 7) {
                b.add_edge(y * 7 + x, y * 7 + x + 1);
            }
            if (y + 1 < 7) {
                b.add_edge(y * 7 + x, (y + 1) * 7 + x);
            }
        }
    }
    return b.build();
}

double symmetric_difference_area(const Geometry& a, const Geometry& b) {
    return a.difference(b).area() + b.difference(a).area();
}

} // namespace

TEST(Levels, MinutesTimesSpeedGiveTheWalkingDistance) {
    EXPECT_DOUBLE_EQ(level_distance_m(15, 4.5), 1125.0);
    EXPECT_DOUBLE_EQ(level_distance_m(5, 4.5), 375.0);
    EXPECT_THROW((void)level_distance_m(5, 0.0), geo::InputError);
    EXPECT_THROW((void)level_distance_m(-1, 4.5), geo::InputError);
}

TEST(ServiceArea, ReachableStreetStopsAtTheExactRemainingDistance) {
    const Graph g = street();
    const Reach reach(g, {{{0, 100.0}, 0}}, 1125.0);
    // 300 m around the facility, but only 100 m exist towards node 0.
    EXPECT_DOUBLE_EQ(reachable_length(reach, 300.0), 400.0);
    const auto paths = reachable_paths(reach, 300.0);
    ASSERT_EQ(paths.size(), 1U);
    EXPECT_DOUBLE_EQ(paths[0].back().x, 400.0);
}

TEST(ServiceArea, PolygonIsTheBufferedReachablePart) {
    const Graph g = street();
    const Reach reach(g, {{{0, 100.0}, 0}}, 1125.0);
    const Geometry area = service_area(reach, 300.0, 50.0, 8);
    ASSERT_TRUE(area.is_valid());
    const auto box = area.bounds();
    EXPECT_NEAR(box.min_x, -50.0, 1e-9);
    EXPECT_NEAR(box.max_x, 450.0, 1e-9);
    EXPECT_NEAR(box.max_y, 50.0, 1e-9);
    EXPECT_FALSE(area.intersects(Geometry::point({460, 0})));
}

TEST(ServiceArea, NothingReachableGivesAnEmptyPolygon) {
    const Graph g = street();
    const Reach reach(g, {}, 1125.0);
    EXPECT_TRUE(service_area(reach, 300.0, 50.0).is_empty());
}

TEST(ServiceArea, NestedLevelsEqualEachLevelBuiltOnItsOwn) {
    const Graph g = block_grid();
    const Reach reach(g, {{{3, 70.0}, 0}, {{40, 150.0}, 1}}, 1125.0);
    // Given out of order: results follow the order of the bounds.
    const std::vector<double> bounds{750.0, 375.0, 1125.0};
    const std::vector<Geometry> areas = service_areas(reach, bounds, 50.0);
    ASSERT_EQ(areas.size(), 3U);
    for (std::size_t l = 0; l < bounds.size(); ++l) {
        const Geometry alone = service_area(reach, bounds[l], 50.0);
        ASSERT_TRUE(areas[l].is_valid());
        EXPECT_GT(areas[l].area(), 0.0);
        EXPECT_LT(symmetric_difference_area(areas[l], alone), 1e-6 * alone.area()) << "bound " << bounds[l];
    }
    EXPECT_LT(areas[1].difference(areas[0]).area(), 1e-6 * areas[1].area()); // 375 inside 750
    EXPECT_LT(areas[0].difference(areas[2]).area(), 1e-6 * areas[0].area()); // 750 inside 1125
    EXPECT_LT(areas[1].area(), areas[0].area());
    EXPECT_LT(areas[0].area(), areas[2].area());
}

TEST(ServiceArea, EuclideanFallbackIsACircleOfTheLevelDistance) {
    const Geometry c = euclidean_circle({0, 0}, 100.0, 32);
    EXPECT_NEAR(c.area(), std::numbers::pi * 100.0 * 100.0, 0.01 * std::numbers::pi * 100.0 * 100.0);
}

TEST(Coverage, ShareCountsWeightWithinEachLevel) {
    const std::vector<Resident> residents{{1, {10, 10}, 10.0}, {2, {20, 10}, 30.0}, {3, {210, 10}, 60.0}};
    const std::vector<double> distance{100.0, 400.0, unreachable};
    const std::vector<Zone> zones{{"grid", "A", Geometry::box({0, 0, 100, 100})},
                                  {"grid", "B", Geometry::box({200, 0, 300, 100})}};
    const auto members = residents_per_zone(residents, zones);
    ASSERT_EQ(members[0].size(), 2U);
    ASSERT_EQ(members[1].size(), 1U);
    const auto rows = coverage_rows("clinic", residents, distance, zones, members, {5, 10}, {375, 750});
    ASSERT_EQ(rows.size(), 6U); // 2 zones + "all", 2 levels each
    EXPECT_EQ(rows[0].code, "A");
    EXPECT_DOUBLE_EQ(rows[0].share(), 0.25); // 5 min: 10 of 40
    EXPECT_DOUBLE_EQ(rows[1].share(), 1.0);  // 10 min: 40 of 40
    EXPECT_DOUBLE_EQ(rows[3].share(), 0.0);  // B: unreachable resident
    EXPECT_EQ(rows[5].kind, "all");
    EXPECT_DOUBLE_EQ(rows[5].share(), 0.4);
}

TEST(Coverage, GapsAreAroundUncoveredResidentsInsideTheStudyArea) {
    const std::vector<Resident> residents{{1, {50, 50}, 1.0}, {2, {250, 50}, 1.0}};
    const std::vector<double> distance{100.0, unreachable};
    const Geometry area = Geometry::box({0, 0, 300, 100});
    const Geometry gaps = gap_area(residents, distance, 375.0, 100.0, area);
    EXPECT_TRUE(gaps.intersects(Geometry::point({250, 50})));
    EXPECT_FALSE(gaps.intersects(Geometry::point({50, 50})));
    EXPECT_TRUE(area.covers(gaps));
}
