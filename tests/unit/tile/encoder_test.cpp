// The encoder writes MVT 2.1 exactly; our strict decoder reads it back.
#include "geo/core/error.hpp"
#include "geo/tile/decoder.hpp"
#include "geo/tile/encoder.hpp"

#include <gtest/gtest.h>

using namespace geo::tile;

namespace {
TilePolygon square(std::int32_t x0, std::int32_t y0, std::int32_t size) {
    return {{{{x0, y0}, {x0 + size, y0}, {x0 + size, y0 + size}, {x0, y0 + size}}}};
}
} // namespace

TEST(TileEncoder, PointMatchesTheSpecExample) {
    // Spec 4.3.5.1: a point at (25, 17) is [9, 50, 34].
    TileBuilder tile;
    auto& layer = tile.add_layer("hello");
    auto f = layer.feature(1);
    const TilePoint p{25, 17};
    ASSERT_TRUE(f.set_points(std::span(&p, 1)));
    f.property("hello", "world");
    ASSERT_TRUE(f.commit());
    const DecodedTile decoded = decode_tile(tile.serialize());
    ASSERT_EQ(decoded.layers.size(), 1U);
    const auto& feature = decoded.layers[0].features.at(0);
    EXPECT_EQ(feature.commands, (std::vector<std::uint32_t>{9, 50, 34}));
    EXPECT_EQ(feature.id, 1U);
    EXPECT_EQ(decoded.layers[0].version, 2U);
    EXPECT_EQ(decoded.layers[0].extent, 4096U);
    ASSERT_EQ(feature.properties.size(), 1U);
    EXPECT_EQ(feature.properties[0].first, "hello");
    EXPECT_EQ(feature.properties[0].second.as_string(), "world");
}

TEST(TileEncoder, LineMatchesTheSpecExample) {
    // Spec 4.3.5.2: (2,2) (2,10) (10,10) is [9, 4, 4, 18, 0, 16, 16, 0].
    TileBuilder tile;
    auto f = tile.add_layer("l").feature(0);
    const std::vector<TilePath> lines{{{2, 2}, {2, 10}, {10, 10}}};
    ASSERT_TRUE(f.set_lines(lines));
    ASSERT_TRUE(f.commit());
    const auto decoded = decode_tile(tile.serialize());
    EXPECT_EQ(decoded.layers[0].features[0].commands, (std::vector<std::uint32_t>{9, 4, 4, 18, 0, 16, 16, 0}));
}

TEST(TileEncoder, PolygonMatchesTheSpecExample) {
    // Spec 4.3.5.3: (3,6) (8,12) (20,34) is [9, 6, 12, 18, 10, 12, 24, 44, 15].
    TileBuilder tile;
    auto f = tile.add_layer("p").feature(0);
    const std::vector<TilePolygon> polys{{{{{3, 6}, {8, 12}, {20, 34}}}}};
    ASSERT_TRUE(f.set_polygons(polys));
    ASSERT_TRUE(f.commit());
    const auto decoded = decode_tile(tile.serialize());
    EXPECT_EQ(decoded.layers[0].features[0].commands, (std::vector<std::uint32_t>{9, 6, 12, 18, 10, 12, 24, 44, 15}));
}

TEST(TileEncoder, ExteriorRingsArePositiveAndHolesNegative) {
    TileBuilder tile;
    auto f = tile.add_layer("p").feature(7);
    TilePolygon p = square(0, 0, 100);
    TilePath hole{{10, 10}, {20, 10}, {20, 20}, {10, 20}}; // same orientation as the shell on input
    p.rings.push_back(hole);
    std::reverse(p.rings[0].begin(), p.rings[0].end()); // exterior given the wrong way round
    ASSERT_TRUE(f.set_polygons(std::vector{p}));
    ASSERT_TRUE(f.commit());
    const auto decoded = decode_tile(tile.serialize());
    const auto& g = decoded.layers[0].features[0].geometry;
    ASSERT_EQ(g.polygons.size(), 1U);
    ASSERT_EQ(g.polygons[0].rings.size(), 2U);
    EXPECT_GT(ring_area2(g.polygons[0].rings[0]), 0);
    EXPECT_LT(ring_area2(g.polygons[0].rings[1]), 0);
}

TEST(TileEncoder, RepeatedPointsAndDegenerateRingsAreDropped) {
    TileBuilder tile;
    auto& layer = tile.add_layer("p");
    {
        auto f = layer.feature(1);
        TilePolygon p{{{{0, 0}, {0, 0}, {10, 0}, {10, 10}, {10, 10}, {0, 10}, {0, 0}}}};
        p.rings.push_back({{5, 5}, {6, 6}, {7, 7}}); // collinear: zero area
        ASSERT_TRUE(f.set_polygons(std::vector{p}));
        ASSERT_TRUE(f.commit());
    }
    {
        auto f = layer.feature(2);
        TilePolygon flat{{{{0, 0}, {10, 0}, {20, 0}}}};
        EXPECT_FALSE(f.set_polygons(std::vector{flat}));
        EXPECT_FALSE(f.commit());
    }
    const auto decoded = decode_tile(tile.serialize());
    ASSERT_EQ(decoded.layers[0].features.size(), 1U);
    const auto& ring = decoded.layers[0].features[0].geometry.polygons.at(0).rings;
    ASSERT_EQ(ring.size(), 1U);
    EXPECT_EQ(ring[0].size(), 4U);
}

TEST(TileEncoder, KeysAndValuesAreSharedWithinALayer) {
    TileBuilder tile;
    auto& layer = tile.add_layer("pts");
    for (std::int32_t i = 0; i < 3; ++i) {
        auto f = layer.feature(static_cast<std::uint64_t>(i));
        const TilePoint p{i, i};
        f.set_points(std::span(&p, 1));
        f.property("kind", "school").property("n", 1).property("flag", i % 2 == 0);
        f.commit();
    }
    EXPECT_EQ(layer.key_count(), 3U);
    EXPECT_EQ(layer.value_count(), 4U); // "school", 1, true, false
    const auto decoded = decode_tile(tile.serialize());
    EXPECT_EQ(decoded.layers[0].keys.size(), 3U);
    EXPECT_EQ(decoded.layers[0].values.size(), 4U);
}

TEST(TileEncoder, EveryValueTypeRoundTrips) {
    TileBuilder tile;
    auto f = tile.add_layer("v").feature(3);
    const TilePoint p{1, 1};
    f.set_points(std::span(&p, 1));
    f.property("s", "text")
        .property("f", 1.5F)
        .property("d", 2.25)
        .property("i", std::int64_t{-5})
        .property("u", std::uint64_t{1} << 40U)
        .property("z", Value::sint(-7))
        .property("b", true);
    ASSERT_TRUE(f.commit());
    const auto decoded = decode_tile(tile.serialize());
    const auto& props = decoded.layers[0].features[0].properties;
    ASSERT_EQ(props.size(), 7U);
    EXPECT_EQ(props[0].second.type(), ValueType::string);
    EXPECT_EQ(props[1].second.as_float(), 1.5F);
    EXPECT_EQ(props[2].second.as_double(), 2.25);
    EXPECT_EQ(props[3].second.type(), ValueType::int64);
    EXPECT_EQ(props[3].second.as_int(), -5);
    EXPECT_EQ(props[4].second.as_uint(), std::uint64_t{1} << 40U);
    EXPECT_EQ(props[5].second.type(), ValueType::sint64);
    EXPECT_EQ(props[5].second.as_int(), -7);
    EXPECT_TRUE(props[6].second.as_bool());
}

TEST(TileEncoder, LayerNamesMustBeUnique) {
    TileBuilder tile;
    tile.add_layer("grids");
    EXPECT_THROW(tile.add_layer("grids"), geo::InputError);
    EXPECT_THROW(tile.add_layer(""), geo::InputError);
}

TEST(TileEncoder, UncommittedFeaturesAreRolledBack) {
    TileBuilder tile;
    auto& layer = tile.add_layer("x");
    {
        auto f = layer.feature(1);
        const TilePoint p{1, 1};
        f.set_points(std::span(&p, 1));
        f.property("never", "written");
    }
    EXPECT_EQ(layer.feature_count(), 0U);
    EXPECT_EQ(layer.key_count(), 0U);
    EXPECT_TRUE(tile.serialize().empty());
}
