#include "geo/core/error.hpp"
#include "geo/network/dijkstra.hpp"
#include "geo/network/osm.hpp"
#include "geo/network/osm_features.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <set>
#include <string>

using geo::core::XY;
using namespace geo::network;

namespace {

const std::string rules_file = std::string(GEO_TEST_DATA_DIR) + "/network/walk_rules.osm";

// Test-local equirectangular projection around the file's latitude (metres).
XY project(XY p) {
    constexpr double r = 6371008.8;
    const double k = std::numbers::pi / 180.0;
    return {p.x * k * r * std::cos(43.73 * k), p.y * k * r};
}

std::set<std::int64_t> way_ids(const Graph& g) {
    std::set<std::int64_t> ids;
    for (EdgeId e = 0; e < g.edge_count(); ++e) {
        ids.insert(g.edge_external_id(e));
    }
    return ids;
}

} // namespace

TEST(OsmNetwork, KeepsOnlyWalkableWays) {
    const OsmNetwork net = read_osm_walking_network(rules_file, project);
    // footway (oneway), residential, path, trunk with foot=yes; not the motorway,
    // the foot=no footway or the private service road.
    EXPECT_EQ(way_ids(net.graph), (std::set<std::int64_t>{1, 2, 6, 9}));
    EXPECT_EQ(net.stats.ways_walkable, 4U);
}

TEST(OsmNetwork, WaysAreSplitOnlyAtSharedNodesAndEnds) {
    const OsmNetwork net = read_osm_walking_network(rules_file, project);
    // Node 2 is inside way 1 and used by no other walkable way: it stays a shape point.
    EXPECT_EQ(net.graph.node_count(), 6U); // 1, 3, 4, 10 and the island 8, 9
    EXPECT_EQ(net.graph.edge_count(), 4U);
    EXPECT_EQ(net.graph.component_count(), 2U);
}

TEST(OsmNetwork, OneWayFootwayIsWalkedAgainstItsDirection) {
    const OsmNetwork net = read_osm_walking_network(rules_file, project);
    const Graph& g = net.graph;
    // A source at node 3 (end of the oneway footway 1→2→3) reaches node 1.
    EdgeId footway = no_edge;
    for (EdgeId e = 0; e < g.edge_count(); ++e) {
        if (g.edge_external_id(e) == 1) {
            footway = e;
        }
    }
    ASSERT_NE(footway, no_edge);
    const Reach reach(g, {{{footway, g.edge_length(footway)}, 0}}, 10000.0);
    const NodeId start = g.edge_from(footway);
    EXPECT_EQ(g.node_external_id(start), 1);
    EXPECT_NEAR(reach.node_distance(start), g.edge_length(footway), 1e-9);
    EXPECT_NEAR(g.edge_length(footway),
                2 * 0.001 * std::numbers::pi / 180.0 * 6371008.8 * std::cos(43.73 * std::numbers::pi / 180.0), 1e-6);
}

TEST(OsmNetwork, UnreadableFileIsAnIoError) {
    EXPECT_THROW((void)read_osm_walking_network("/nonexistent/x.osm.pbf", project), geo::IoError);
}

TEST(OsmFeatures, FacilitiesMapToDocumentedCategories) {
    std::string tag;
    EXPECT_EQ(facility_category("doctors", nullptr, nullptr, tag), "clinic");
    EXPECT_EQ(tag, "amenity=doctors");
    EXPECT_EQ(facility_category(nullptr, "supermarket", nullptr, tag), "market");
    EXPECT_EQ(facility_category("social_facility", nullptr, nullptr, tag), "elderly_care");
    EXPECT_EQ(facility_category(nullptr, nullptr, "park", tag), "park");
    EXPECT_EQ(facility_category("bench", nullptr, nullptr, tag), "");
}

TEST(OsmFeatures, ResidentsAreFloorAreaOverAreaPerPerson) {
    const ResidentRule rule{3.0, 35.0};
    EXPECT_DOUBLE_EQ(estimate_residents(700.0, 4.0, rule), 80.0);
    EXPECT_DOUBLE_EQ(estimate_residents(700.0, 0.0, rule), 60.0); // untagged: default 3 levels
}

TEST(OsmFeatures, ExtractFindsBuildingsFacilitiesAndShelterSites) {
    const OsmExtract x = read_osm_features(rules_file);
    ASSERT_EQ(x.buildings.size(), 1U);
    const OsmBuilding& b = x.buildings.front();
    EXPECT_EQ(b.osm_id, 7);
    EXPECT_TRUE(b.levels_tagged);
    EXPECT_DOUBLE_EQ(b.levels, 4.0);
    // 0.001° × 0.001° at 43.73N ≈ 80.4 m × 111.2 m
    EXPECT_NEAR(b.footprint_m2, 8941.0, 20.0);
    EXPECT_NEAR(b.residents_estimate, b.footprint_m2 * 4.0 / 35.0, 1e-9);

    std::set<std::string> categories;
    for (const auto& f : x.facilities) {
        categories.insert(f.category);
    }
    EXPECT_EQ(categories, (std::set<std::string>{"clinic", "park"}));
    ASSERT_EQ(x.shelter_candidates.size(), 1U);
    EXPECT_EQ(x.shelter_candidates.front().kind, "park");
    EXPECT_GT(x.shelter_candidates.front().area_m2, 8000.0);
    EXPECT_FALSE(x.bounds.empty());
    EXPECT_NEAR(x.bounds.min_x, 7.419, 1e-9);
}
