#include "geo/core/error.hpp"
#include "geo/network/dijkstra.hpp"
#include "geo/network/graph.hpp"
#include "geo/network/lines.hpp"
#include "geo/network/snap.hpp"
#include "geo/network/walkable.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

using geo::core::XY;
using namespace geo::network;

namespace {

// A 3-node path 0 --100m-- 1 --100m-- 2, plus a separate 50 m edge 3--4.
Graph path_and_island() {
    GraphBuilder b;
    const NodeId n0 = b.add_node({0, 0});
    const NodeId n1 = b.add_node({100, 0});
    const NodeId n2 = b.add_node({200, 0});
    const NodeId n3 = b.add_node({0, 500});
    const NodeId n4 = b.add_node({50, 500});
    b.add_edge(n0, n1);
    b.add_edge(n1, n2);
    b.add_edge(n3, n4);
    return b.build();
}

bool walkable(const std::map<std::string, std::string>& tags) {
    return is_walkable_way([&](std::string_view key) -> const char* {
        const auto it = tags.find(std::string(key));
        return it == tags.end() ? nullptr : it->second.c_str();
    });
}

} // namespace

TEST(Graph, CsrStoresEveryEdgeFromBothEnds) {
    const Graph g = path_and_island();
    ASSERT_EQ(g.node_count(), 5U);
    ASSERT_EQ(g.edge_count(), 3U);
    const auto offsets = g.csr_offsets();
    ASSERT_EQ(offsets.size(), 6U);
    EXPECT_EQ(offsets.back(), 6U);          // 2 half-edges per edge
    EXPECT_EQ(offsets[2] - offsets[1], 2U); // node 1 reaches 0 and 2
    EXPECT_DOUBLE_EQ(g.edge_length(0), 100.0);
}

TEST(Graph, DisconnectedPartsAreSeparateComponents) {
    const Graph g = path_and_island();
    EXPECT_EQ(g.component_count(), 2U);
    EXPECT_EQ(g.component(0), g.component(2));
    EXPECT_NE(g.component(0), g.component(3));
    EXPECT_EQ(g.component_size(g.largest_component()), 3U);
}

TEST(Graph, EdgeLengthFollowsTheEdgeShapeNotTheChord) {
    GraphBuilder b;
    const NodeId a = b.add_node({0, 0});
    const NodeId c = b.add_node({6, 0});
    b.add_edge(a, c, {{0, 0}, {3, 4}, {6, 0}});
    const Graph g = b.build();
    EXPECT_DOUBLE_EQ(g.edge_length(0), 10.0);
    const XY mid = g.point_at({0, 5.0});
    EXPECT_DOUBLE_EQ(mid.x, 3.0);
    EXPECT_DOUBLE_EQ(mid.y, 4.0);
    const auto part = g.edge_part(0, 2.5, 7.5);
    ASSERT_EQ(part.size(), 3U); // cut points plus the interior vertex
    EXPECT_DOUBLE_EQ(part[1].x, 3.0);
}

TEST(Walkable, FootwaysPathsAndResidentialStreetsAreWalkable) {
    EXPECT_TRUE(walkable({{"highway", "footway"}}));
    EXPECT_TRUE(walkable({{"highway", "steps"}}));
    EXPECT_TRUE(walkable({{"highway", "residential"}}));
    EXPECT_TRUE(walkable({{"highway", "secondary_link"}}));
}

TEST(Walkable, OneWayFootwayIsStillWalkable) {
    EXPECT_TRUE(walkable({{"highway", "footway"}, {"oneway", "yes"}}));
}

TEST(Walkable, MotorwaysOnlyWhenFootIsExplicitlyAllowed) {
    EXPECT_FALSE(walkable({{"highway", "motorway"}}));
    EXPECT_FALSE(walkable({{"highway", "trunk_link"}}));
    EXPECT_TRUE(walkable({{"highway", "trunk"}, {"foot", "yes"}}));
}

TEST(Walkable, FootNoAndPrivateAccessExcludeAWay) {
    EXPECT_FALSE(walkable({{"highway", "footway"}, {"foot", "no"}}));
    EXPECT_FALSE(walkable({{"highway", "service"}, {"access", "private"}}));
    EXPECT_TRUE(walkable({{"highway", "service"}, {"access", "private"}, {"foot", "yes"}}));
    EXPECT_FALSE(walkable({{"highway", "construction"}}));
    EXPECT_FALSE(walkable({{"building", "yes"}}));
}

TEST(Snap, PointAttachesToTheNearestPositionInsideAnEdge) {
    const Graph g = path_and_island();
    const Snapper snapper(g, {50.0, 1});
    const auto s = snapper.snap({130, 20});
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(s->at.edge, 1U);
    EXPECT_DOUBLE_EQ(s->at.offset, 30.0);
    EXPECT_DOUBLE_EQ(s->distance, 20.0);
}

TEST(Snap, PointsBeyondTheMaximumDistanceAreReportedUnsnapped) {
    const Graph g = path_and_island();
    const Snapper snapper(g, {50.0, 1});
    EXPECT_FALSE(snapper.snap({100, 200}).has_value());
    EXPECT_FALSE(snapper.snap({5000, 5000}).has_value());
}

TEST(Snap, SmallComponentsCanBeExcludedFromSnapping) {
    const Graph g = path_and_island();
    const Snapper any(g, {50.0, 1});
    ASSERT_TRUE(any.snap({25, 510}).has_value());
    EXPECT_EQ(any.snap({25, 510})->at.edge, 2U);
    const Snapper big_only(g, {50.0, 3});
    EXPECT_FALSE(big_only.snap({25, 510}).has_value());
}

TEST(Dijkstra, SourcesStartWithTheirPartialEdgeOffsets) {
    const Graph g = path_and_island();
    const Reach reach(g, {{{0, 30.0}, 7}}, 1000.0);
    EXPECT_DOUBLE_EQ(reach.node_distance(0), 30.0);
    EXPECT_DOUBLE_EQ(reach.node_distance(1), 70.0);
    EXPECT_DOUBLE_EQ(reach.node_distance(2), 170.0);
    EXPECT_EQ(reach.node_source(2), 7U);
}

TEST(Dijkstra, OtherComponentsStayUnreachable) {
    const Graph g = path_and_island();
    const Reach reach(g, {{{0, 30.0}, 7}}, 1000.0);
    EXPECT_EQ(reach.node_distance(3), unreachable);
    EXPECT_EQ(reach.node_source(4), no_source);
    EXPECT_FALSE(reach.nearest({2, 10.0}).has_value());
}

TEST(Dijkstra, CutoffBoundsTheSearch) {
    const Graph g = path_and_island();
    const Reach reach(g, {{{0, 0.0}, 1}}, 150.0);
    EXPECT_DOUBLE_EQ(reach.node_distance(1), 100.0);
    EXPECT_EQ(reach.node_distance(2), unreachable);
    ASSERT_TRUE(reach.nearest({1, 50.0}).has_value());
    EXPECT_FALSE(reach.nearest({1, 60.0}).has_value());
}

TEST(Dijkstra, EveryNodeGetsItsNearestOfManySources) {
    const Graph g = path_and_island();
    const Reach reach(g, {{{0, 10.0}, 1}, {{1, 90.0}, 2}}, 1000.0);
    EXPECT_EQ(reach.node_source(0), 1U);
    EXPECT_EQ(reach.node_source(2), 2U);
    EXPECT_DOUBLE_EQ(reach.node_distance(1), 90.0); // 90 via source 1, 90 via source 2: tie, either way 90
    EXPECT_DOUBLE_EQ(reach.node_distance(2), 10.0);
}

TEST(Dijkstra, PositionOnTheSourceEdgeUsesTheDirectWay) {
    // Source and resident share the edge: 5 m apart, not via an end node.
    const Graph g = path_and_island();
    const Reach reach(g, {{{1, 50.0}, 3}}, 1000.0);
    const auto hit = reach.nearest({1, 55.0});
    ASSERT_TRUE(hit.has_value());
    EXPECT_DOUBLE_EQ(hit->distance, 5.0);
    EXPECT_EQ(hit->source, 3U);
}

TEST(Dijkstra, FrontierEdgesAreCutAtTheRemainingDistance) {
    const Graph g = path_and_island();
    const Reach reach(g, {{{0, 30.0}, 1}}, 1000.0);
    const auto parts = reach.reachable_parts(1, 100.0); // node 1 at 70 m: 30 m of edge 1 remain
    ASSERT_EQ(parts.size(), 1U);
    EXPECT_DOUBLE_EQ(parts[0].begin, 0.0);
    EXPECT_DOUBLE_EQ(parts[0].end, 30.0);
    const auto own = reach.reachable_parts(0, 20.0); // the source's edge: [10, 50]
    ASSERT_EQ(own.size(), 1U);
    EXPECT_DOUBLE_EQ(own[0].begin, 10.0);
    EXPECT_DOUBLE_EQ(own[0].end, 50.0);
}

TEST(Dijkstra, SourceOffsetOutsideItsEdgeIsRejected) {
    const Graph g = path_and_island();
    EXPECT_THROW(Reach(g, {{{0, 150.0}, 1}}, 100.0), geo::InputError);
    EXPECT_THROW(Reach(g, {{{9, 1.0}, 1}}, 100.0), geo::InputError);
}

TEST(Lines, LinesMeetAtSharedEndPointsWithinTolerance) {
    const Graph g =
        graph_from_lines({{1, {{0, 0}, {100, 0}}}, {2, {{100.004, 0}, {100, 80}}}, {3, {{50, -10}, {50, 10}}}}, 0.01);
    EXPECT_EQ(g.node_count(), 5U); // line 3 crosses line 1 without an end point there
    EXPECT_EQ(g.component_count(), 2U);
    EXPECT_EQ(g.edge_external_id(1), 2);
}
