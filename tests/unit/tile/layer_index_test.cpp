// LayerIndex: per-zoom prepared geometry served by index query + clip + encode.
#include "geo/core/error.hpp"
#include "geo/tile/decoder.hpp"
#include "geo/tile/layer_index.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <algorithm>
#include <random>
#include <set>

using namespace geo::tile;
using geo::core::Geometry;
using geo::core::XY;

namespace {

// Synthetic incidents: a dense cluster downtown and a sparse scatter.
std::vector<SourceFeature> synthetic_points(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> dense(0.0, 0.01);
    std::uniform_real_distribution<double> sparse(-0.5, 0.5);
    std::vector<SourceFeature> out;
    for (std::size_t i = 0; i < n; ++i) {
        const bool d = i % 4 != 0;
        const XY lonlat{117.7 + (d ? dense(rng) : sparse(rng)), 39.0 + (d ? dense(rng) : sparse(rng))};
        SourceFeature f;
        f.id = i;
        f.geometry = Geometry::point(lonlat_to_mercator(lonlat));
        f.properties = {{"category", i % 2 ? "road" : "noise"}, {"synthetic", true}};
        out.push_back(std::move(f));
    }
    return out;
}

std::size_t total_point_count(const DecodedLayer& layer) {
    std::size_t n = 0;
    for (const auto& f : layer.features) {
        const auto it = std::find_if(f.properties.begin(), f.properties.end(),
                                     [](const Property& p) { return p.first == "point_count"; });
        n += it == f.properties.end() ? f.geometry.points.size() : it->second.as_uint();
    }
    return n;
}

} // namespace

TEST(TileLayerIndex, PointTilesStayWithinTheFeatureBudgetAndClustersCountEveryPoint) {
    LayerOptions options;
    options.name = "incidents";
    options.kind = LayerKind::points;
    options.max_features_per_tile = 200;
    options.buffer = 0; // tiles then partition the points: counts add up exactly
    const std::size_t n = 5000;
    const LayerIndex index(options, synthetic_points(n, 3));
    for (std::uint32_t z : {4U, 8U, 11U, 14U}) {
        std::size_t counted = 0;
        std::size_t features = 0;
        for (const TileId& tile : tiles_covering(index.bounds(), z)) {
            TileBuilder builder;
            index.encode(builder, tile);
            const std::string bytes = builder.serialize();
            EXPECT_LE(bytes.size(), options.max_tile_bytes);
            if (bytes.empty()) {
                continue;
            }
            const DecodedTile decoded = decode_tile(bytes);
            const DecodedLayer& layer = decoded.layers.at(0);
            EXPECT_LE(layer.features.size(), options.max_features_per_tile) << tile.to_string();
            counted += total_point_count(layer);
            features += layer.features.size();
        }
        EXPECT_EQ(counted, n) << "zoom " << z;
        if (z <= 8) {
            EXPECT_LT(features, n) << "low zooms are clustered";
        }
    }
}

TEST(TileLayerIndex, HighZoomKeepsEveryPointWithItsProperties) {
    LayerOptions options;
    options.name = "incidents";
    options.kind = LayerKind::points;
    options.buffer = 0;
    const LayerIndex index(options, synthetic_points(300, 5));
    std::set<std::uint64_t> ids;
    for (const TileId& tile : tiles_covering(index.bounds(), 14)) {
        TileBuilder builder;
        index.encode(builder, tile);
        const std::string bytes = builder.serialize();
        if (bytes.empty()) {
            continue;
        }
        const DecodedTile decoded = decode_tile(bytes);
        for (const auto& f : decoded.layers.at(0).features) {
            EXPECT_LT(*f.id, std::uint64_t{1} << 52U) << "not a cluster";
            EXPECT_EQ(f.properties.at(0).first, "category");
            ids.insert(*f.id);
        }
    }
    EXPECT_EQ(ids.size(), 300U);
}

TEST(TileLayerIndex, FeaturesSmallerThanAPixelAreDroppedAtLowZoomOnly) {
    const XY c = lonlat_to_mercator({117.7, 39.0});
    SourceFeature small;
    small.id = 1;
    small.geometry = Geometry::box({c.x, c.y, c.x + 50, c.y + 50}); // 50 m square
    LayerOptions options;
    options.name = "small";
    const LayerIndex index(options, {std::move(small)});
    auto count_at = [&](std::uint32_t z) {
        TileBuilder builder;
        return index.encode(builder, tile_at(c, z));
    };
    EXPECT_EQ(count_at(8), 0U);  // a pixel is ~600 m
    EXPECT_EQ(count_at(14), 1U); // a pixel is ~10 m
}

TEST(TileLayerIndex, GeometryRoundTripsWithinOneTileUnit) {
    const XY c = lonlat_to_mercator({117.7, 39.0});
    std::vector<geo::core::XY> ring;
    for (int i = 0; i < 40; ++i) {
        const double t = i * 2 * 3.14159265358979 / 40;
        ring.push_back({c.x + 800 * std::cos(t), c.y + 500 * std::sin(t)});
    }
    ring.push_back(ring.front());
    SourceFeature f;
    f.id = 9;
    f.geometry = Geometry::polygon({ring});
    LayerOptions options;
    options.name = "shape";
    options.pixel_tolerance = 0; // no simplification: only rounding
    const LayerIndex index(options, {std::move(f)});
    const TileId tile = tile_at(c, 14);
    TileBuilder builder;
    ASSERT_EQ(index.encode(builder, tile), 1U);
    const auto decoded = decode_tile(builder.serialize());
    const auto& got = decoded.layers.at(0).features.at(0).geometry.polygons.at(0).rings.at(0);
    ASSERT_EQ(got.size(), 40U);
    for (const auto& p : got) {
        // Back to metres; every decoded vertex is within one unit of an input vertex.
        const XY world{static_cast<double>(p.x) + tile.x * 4096.0, static_cast<double>(p.y) + tile.y * 4096.0};
        const XY m = world_to_mercator(world, 14);
        double best = 1e300;
        for (const auto& q : ring) {
            best = std::min(best, std::hypot(q.x - m.x, q.y - m.y));
        }
        EXPECT_LE(best, metres_per_unit(14));
    }
}

TEST(TileLayerIndex, OverZoomedTilesAreCutFromTheMaxZoom) {
    const XY c = lonlat_to_mercator({117.7, 39.0});
    SourceFeature f;
    f.id = 2;
    f.geometry = Geometry::box({c.x - 100, c.y - 100, c.x + 100, c.y + 100});
    LayerOptions options;
    options.name = "boxes";
    options.max_zoom = 12;
    const LayerIndex index(options, {std::move(f)});
    TileBuilder builder;
    ASSERT_EQ(index.encode(builder, tile_at(c, 16)), 1U);
    const auto decoded = decode_tile(builder.serialize());
    const auto& ring = decoded.layers.at(0).features.at(0).geometry.polygons.at(0).rings.at(0);
    // A 200 m box is ~2.4 tile widths at z16 (1 tile ~ 489 m... of 4096 units): it fills a large part.
    EXPECT_GE(ring.size(), 4U);
    EXPECT_GT(ring_area2(ring), 0);
}

TEST(TileLayerIndex, BadOptionsAndIdsAreRejected) {
    LayerOptions options;
    EXPECT_THROW(LayerIndex(options, {}), geo::InputError); // no name
    options.name = "x";
    options.min_zoom = 10;
    options.max_zoom = 5;
    EXPECT_THROW(LayerIndex(options, {}), geo::InputError);
    options.min_zoom = 0;
    options.max_zoom = 14;
    SourceFeature f;
    f.id = std::uint64_t{1} << 53U;
    f.geometry = Geometry::point({0, 0});
    std::vector<SourceFeature> v;
    v.push_back(std::move(f));
    EXPECT_THROW(LayerIndex(options, std::move(v)), geo::InputError);
    options.kind = LayerKind::points;
    SourceFeature poly;
    poly.geometry = Geometry::box({0, 0, 10, 10});
    std::vector<SourceFeature> polys;
    polys.push_back(std::move(poly));
    EXPECT_THROW(LayerIndex(options, std::move(polys)), geo::InputError);
}

TEST(TileLayerIndex, AHookAddsRequestTimePropertiesAndReplacesExistingKeys) {
    const XY c = lonlat_to_mercator({117.7, 39.0});
    SourceFeature f;
    f.id = 5;
    f.geometry = Geometry::box({c.x - 100, c.y - 100, c.x + 100, c.y + 100});
    f.properties = {{"code", "120116001001005"}, {"incident_count", 0}};
    LayerOptions options;
    options.name = "grids";
    const LayerIndex index(options, {std::move(f)});
    TileBuilder builder;
    std::vector<std::uint64_t> seen;
    index.encode(builder, tile_at(c, 14), [&](std::uint64_t id, FeatureBuilder& feature) {
        seen.push_back(id);
        feature.property("incident_count", 7).property("live", true);
    });
    EXPECT_EQ(seen, std::vector<std::uint64_t>{5});
    const auto decoded = decode_tile(builder.serialize());
    const auto& props = decoded.layers.at(0).features.at(0).properties;
    ASSERT_EQ(props.size(), 3U);
    EXPECT_EQ(props[0].first, "code");
    EXPECT_EQ(props[1].first, "incident_count");
    EXPECT_EQ(props[1].second.as_int(), 7);
    EXPECT_EQ(props[2].first, "live");
}

TEST(TileLayerIndex, PointBudgetsHoldWithTheBufferToo) {
    LayerOptions options;
    options.name = "incidents";
    options.kind = LayerKind::points;
    options.max_features_per_tile = 150; // buffer stays at its default of 64 units
    const LayerIndex index(options, synthetic_points(4000, 8));
    std::size_t tiles = 0;
    for (std::uint32_t z = 3; z <= 14; ++z) {
        for (const TileId& tile : tiles_covering(index.bounds(), z)) {
            TileBuilder builder;
            const std::size_t written = index.encode(builder, tile);
            EXPECT_LE(written, options.max_features_per_tile) << tile.to_string();
            tiles += written > 0 ? 1 : 0;
        }
    }
    EXPECT_GT(tiles, 50U);
}
