// Grid assignment rules: covering grid, the smallest-code rule on shared
// edges and corners, outside points flagged, bad grids refused.

#include "geo/incident/assigner.hpp"

#include "geo/core/error.hpp"

#include <gtest/gtest.h>

using geo::core::Geometry;
using geo::core::XY;
using namespace geo::incident;

namespace {

// A 3×3 lattice of unit squares; code "G<row><col>", rows from the south.
// Given in shuffled order to show the rule does not depend on input order.
std::vector<Grid> lattice() {
    std::vector<Grid> grids;
    for (int r : {2, 0, 1}) {
        for (int c : {1, 2, 0}) {
            Grid g;
            g.code = "G";
            g.code += std::to_string(r);
            g.code += std::to_string(c);
            g.parent_code = r < 2 ? "J-south" : "J-north";
            g.geometry = Geometry::box({static_cast<double>(c), static_cast<double>(r), c + 1.0, r + 1.0});
            grids.push_back(std::move(g));
        }
    }
    return grids;
}

std::string code_of(const GridAssigner& a, XY p) {
    const auto r = a.assign(p);
    return r.grid ? a.grids()[*r.grid].code : "outside";
}

} // namespace

TEST(GridAssigner, InteriorPointGetsTheGridThatContainsIt) {
    const GridAssigner a(lattice());
    EXPECT_EQ(code_of(a, {0.5, 0.5}), "G00");
    EXPECT_EQ(code_of(a, {2.5, 1.5}), "G12");
    EXPECT_EQ(a.grids()[*a.assign({1.5, 2.5}).grid].parent_code, "J-north");
}

TEST(GridAssigner, PointOnSharedEdgeGoesToTheSmallestCode) {
    const GridAssigner a(lattice());
    EXPECT_EQ(code_of(a, {1.0, 0.5}), "G00"); // G00 | G01
    EXPECT_EQ(code_of(a, {1.5, 2.0}), "G11"); // G11 below G21
    EXPECT_EQ(code_of(a, {2.0, 1.5}), "G11"); // G11 | G12
}

TEST(GridAssigner, PointOnCornerOfFourGridsGoesToTheSmallestCode) {
    const GridAssigner a(lattice());
    EXPECT_EQ(code_of(a, {1.0, 1.0}), "G00");
    EXPECT_EQ(code_of(a, {2.0, 2.0}), "G11");
}

TEST(GridAssigner, PointOnOuterBoundaryBelongsToItsOnlyGrid) {
    const GridAssigner a(lattice());
    EXPECT_EQ(code_of(a, {3.0, 2.5}), "G22");
    EXPECT_EQ(code_of(a, {0.0, 0.0}), "G00");
}

TEST(GridAssigner, PointOutsideEveryGridIsFlaggedNotDropped) {
    const GridAssigner a(lattice());
    const std::vector<XY> points{{-0.1, 0.5}, {0.5, 0.5}, {5, 5}, {3.0000001, 1}};
    const auto r = a.assign_all(points);
    ASSERT_EQ(r.size(), points.size());
    EXPECT_TRUE(r[0].outside());
    EXPECT_FALSE(r[1].outside());
    EXPECT_TRUE(r[2].outside());
    EXPECT_TRUE(r[3].outside());
}

TEST(GridAssigner, HoleOfAGridIsNotPartOfIt) {
    std::vector<Grid> grids;
    grids.push_back({"A", "", Geometry::from_wkt("POLYGON((0 0,4 0,4 4,0 4,0 0),(1 1,3 1,3 3,1 3,1 1))")});
    grids.push_back({"B", "", Geometry::from_wkt("POLYGON((1 1,3 1,3 3,1 3,1 1))")});
    const GridAssigner a(std::move(grids));
    EXPECT_EQ(code_of(a, {2, 2}), "B");
    EXPECT_EQ(code_of(a, {0.5, 2}), "A");
    EXPECT_EQ(code_of(a, {1, 2}), "A") << "on the hole's ring: both cover it, A < B";
}

TEST(GridAssigner, MultiPolygonGridCoversAllItsParts) {
    std::vector<Grid> grids;
    grids.push_back({"M", "", Geometry::from_wkt("MULTIPOLYGON(((0 0,1 0,1 1,0 1,0 0)),((5 5,6 5,6 6,5 6,5 5)))")});
    const GridAssigner a(std::move(grids));
    EXPECT_EQ(code_of(a, {5.5, 5.5}), "M");
    EXPECT_EQ(code_of(a, {3, 3}), "outside");
}

TEST(GridAssigner, InvalidGridIsRepairedBeforeUse) {
    std::vector<Grid> grids;
    // A bow-tie: invalid; make_valid keeps both triangles.
    grids.push_back({"X", "", Geometry::from_wkt("POLYGON((0 0,2 2,2 0,0 2,0 0))")});
    const GridAssigner a(std::move(grids));
    EXPECT_EQ(code_of(a, {0.2, 1.0}), "X");
    EXPECT_EQ(code_of(a, {1.0, 0.2}), "outside");
}

TEST(GridAssigner, DuplicateOrEmptyCodesAreRefused) {
    auto grids = lattice();
    grids[1].code = grids[0].code;
    EXPECT_THROW(GridAssigner{std::move(grids)}, geo::InputError);
    auto grids2 = lattice();
    grids2[3].code.clear();
    EXPECT_THROW(GridAssigner{std::move(grids2)}, geo::InputError);
    std::vector<Grid> line;
    line.push_back({"L", "", Geometry::from_wkt("LINESTRING(0 0,1 1)")});
    EXPECT_THROW(GridAssigner{std::move(line)}, geo::InputError);
}
