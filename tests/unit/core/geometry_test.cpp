#include "geo/core/error.hpp"
#include "geo/core/geometry.hpp"
#include "geo/core/prepared.hpp"
#include "geo/core/strtree.hpp"

#include <gtest/gtest.h>

#include <thread>

using geo::core::Box;
using geo::core::Geometry;
using geo::core::GeometryType;
using geo::core::PreparedGeometry;
using geo::core::StrTree;
using geo::core::XY;

TEST(Geometry, WktRoundTripKeepsCoordinates) {
    const Geometry g = Geometry::from_wkt("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))");
    EXPECT_EQ(g.type(), GeometryType::polygon);
    EXPECT_EQ(g.to_wkt(), "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))");
    EXPECT_DOUBLE_EQ(g.area(), 100.0);
    EXPECT_DOUBLE_EQ(g.length(), 40.0);
}

TEST(Geometry, WkbRoundTripIsExact) {
    const Geometry g = Geometry::from_wkt("LINESTRING (117.123456789 39.0000001, 117.2 39.1)");
    const Geometry back = Geometry::from_wkb(g.to_wkb());
    EXPECT_EQ(back.paths().front(), g.paths().front());
}

TEST(Geometry, MalformedWktThrowsGeometryError) {
    EXPECT_THROW((void)Geometry::from_wkt("POLYGON ((0 0, 1 1"), geo::GeometryError);
    EXPECT_THROW((void)Geometry::from_wkb(std::string_view("\x01\x03")), geo::GeometryError);
}

TEST(Geometry, OpenRingsAreClosedWhenBuildingPolygons) {
    const Geometry g = Geometry::polygon({{{0, 0}, {4, 0}, {4, 3}}});
    ASSERT_TRUE(g.is_valid());
    const auto rings = g.polygons().front().rings;
    EXPECT_EQ(rings.front().size(), 4U);
    EXPECT_EQ(rings.front().front(), rings.front().back());
    EXPECT_DOUBLE_EQ(g.area(), 6.0);
}

TEST(Geometry, RingWithTooFewPointsIsRejected) {
    EXPECT_THROW((void)Geometry::polygon({{{0, 0}, {1, 1}}}), geo::GeometryError);
}

TEST(Geometry, SelfIntersectingBowtieIsInvalidAndMakeValidRepairsIt) {
    const Geometry bowtie = Geometry::from_wkt("POLYGON ((0 0, 2 2, 2 0, 0 2, 0 0))");
    EXPECT_FALSE(bowtie.is_valid());
    EXPECT_NE(bowtie.invalid_reason().find("Self-intersection"), std::string::npos);
    const Geometry fixed = bowtie.make_valid();
    EXPECT_TRUE(fixed.is_valid());
    EXPECT_NEAR(fixed.area(), 2.0, 1e-12);
}

TEST(Geometry, MakeValidOfPolygonWithSpikeStaysPolygonal) {
    // A ring that doubles back on itself (a zero-width spike), as rounding
    // leaves in simplified boundaries: the repair must not add a stray line.
    const Geometry spiky = Geometry::from_wkt("POLYGON ((0 0, 10 0, 10 10, 5 10, 5 15, 5 10, 0 10, 0 0))");
    EXPECT_FALSE(spiky.is_valid());
    const Geometry fixed = spiky.make_valid();
    EXPECT_TRUE(fixed.is_valid());
    EXPECT_TRUE(fixed.type() == GeometryType::polygon || fixed.type() == GeometryType::multi_polygon)
        << fixed.to_wkt();
    EXPECT_NEAR(fixed.area(), 100.0, 1e-9);
}

TEST(Geometry, OverlayOperationsAreConsistent) {
    const Geometry a = Geometry::box({0, 0, 2, 2});
    const Geometry b = Geometry::box({1, 1, 3, 3});
    EXPECT_DOUBLE_EQ(a.intersection(b).area(), 1.0);
    EXPECT_DOUBLE_EQ(a.union_with(b).area(), 7.0);
    EXPECT_DOUBLE_EQ(a.difference(b).area(), 3.0);
    EXPECT_TRUE(a.intersects(b));
    EXPECT_FALSE(a.contains(b));
    EXPECT_NEAR(a.buffer(1.0, 64).area(), 4 + 8 + 3.14159265, 1e-2);
}

TEST(Geometry, PolygonizeOfCrossingLinesGivesFaces) {
    // A square cut by one diagonal: noding then polygonize yields two triangles.
    std::vector<Geometry> lines;
    lines.push_back(Geometry::from_wkt("LINESTRING (0 0, 1 0, 1 1, 0 1, 0 0)"));
    lines.push_back(Geometry::from_wkt("LINESTRING (0 0, 1 1)"));
    const Geometry noded = Geometry::collect(std::move(lines)).node();
    const Geometry faces = Geometry::polygonize({noded});
    EXPECT_EQ(faces.num_geometries(), 2U);
    EXPECT_NEAR(faces.area(), 1.0, 1e-12);
}

TEST(Geometry, CopiesAreDeepAndMovesLeaveNull) {
    Geometry a = Geometry::box({0, 0, 1, 1});
    Geometry b = a;
    EXPECT_TRUE(b.equals(a));
    Geometry c = std::move(a);
    EXPECT_TRUE(a.is_null()); // NOLINT(bugprone-use-after-move): moved-from state is specified
    EXPECT_THROW((void)a.area(), geo::GeometryError);
    EXPECT_DOUBLE_EQ(c.area(), 1.0);
}

TEST(Geometry, TransformedAppliesFunctionAndPropagatesExceptions) {
    const Geometry g = Geometry::from_wkt("LINESTRING (1 2, 3 4)");
    const Geometry shifted = g.transformed([](double& x, double& y) {
        x += 10;
        y *= 2;
    });
    EXPECT_EQ(shifted.to_wkt(), "LINESTRING (11 4, 13 8)");
    EXPECT_THROW((void)g.transformed([](double&, double&) { throw geo::CrsError("no"); }), geo::CrsError);
}

TEST(Geometry, PartsFlattenNestedCollections) {
    const Geometry g = Geometry::from_wkt(
        "GEOMETRYCOLLECTION (MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5))), POINT (1 1))");
    EXPECT_EQ(g.parts().size(), 3U);
    EXPECT_EQ(g.polygonal_parts().num_geometries(), 2U);
}

TEST(PreparedGeometry, CoversPointsOnBoundaryContainsProperlyDoesNot) {
    const PreparedGeometry p(Geometry::box({0, 0, 10, 10}));
    EXPECT_TRUE(p.covers(XY{5, 5}));
    EXPECT_TRUE(p.covers(XY{10, 5}));
    EXPECT_FALSE(p.contains_properly(XY{10, 5}));
    EXPECT_FALSE(p.covers(XY{11, 5}));
}

TEST(StrTree, QueryReturnsExactlyTheIntersectingBoxes) {
    StrTree tree;
    for (int i = 0; i < 100; ++i) {
        tree.insert(Box{double(i), 0, double(i) + 0.5, 1});
    }
    EXPECT_EQ(tree.query(Box{10.2, 0.2, 12.1, 0.3}), (std::vector<std::size_t>{10, 11, 12}));
    EXPECT_EQ(tree.query(XY{50.25, 0.5}), (std::vector<std::size_t>{50}));
    EXPECT_TRUE(tree.query(XY{50.75, 0.5}).empty());
    EXPECT_THROW(tree.insert(Box{0, 0, 1, 1}), geo::GeometryError);
}

TEST(StrTree, BuiltTreeCanBeQueriedFromSeveralThreads) {
    StrTree tree;
    for (int i = 0; i < 1000; ++i) {
        tree.insert(Box{double(i), 0, double(i) + 1, 1});
    }
    tree.build();
    std::vector<std::size_t> counts(4, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 999; ++i) {
                counts[t] += tree.query(Box{i + 0.5, 0.5, i + 0.5, 0.5}).size();
            }
        });
    }
    for (auto& th : threads) {
        th.join();
    }
    for (std::size_t c : counts) {
        EXPECT_EQ(c, 999U);
    }
}

TEST(Error, MessageNamesFileLayerFeatureAndHint) {
    const geo::InputError e("missing code", {"a.shp", "grids", 7}, "use --code-field");
    EXPECT_STREQ(e.what(), "a.shp, layer grids, feature 7: missing code (use --code-field)");
}
