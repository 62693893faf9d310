// Transformer: PROJ with lon/lat order everywhere, GCJ-02/BD-09 chained
// through WGS 84, geometries and boxes.

#include "geo/core/error.hpp"
#include "geo/core/geometry.hpp"
#include "geo/crs/gcj02.hpp"
#include "geo/crs/transformer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <thread>
#include <vector>

using geo::core::Box;
using geo::core::Geometry;
using geo::core::XY;
using namespace geo::crs;

namespace {

// Metres per degree near 39°N, to turn degree errors into ground distances.
constexpr double metres_per_degree_lat = 111000.0;

double ground_error_m(XY a, XY b) {
    const double dx = (a.x - b.x) * metres_per_degree_lat * std::cos(a.y * M_PI / 180.0);
    const double dy = (a.y - b.y) * metres_per_degree_lat;
    return std::hypot(dx, dy);
}

} // namespace

TEST(Transformer, AxisOrderIsAlwaysLonLatAndEastingNorthing) {
    // EPSG:4326 is lat/lon and EPSG:4548 northing/easting in the registry;
    // libgeo normalises both, so x stays longitude/easting.
    const Transformer t(Crs::parse("EPSG:4326"), Crs::parse("EPSG:4548"));
    const XY p = t.transform(XY{117.7, 39.0});
    EXPECT_NEAR(p.x, 560638.80, 0.01); // cs2cs EPSG:4326 EPSG:4548 <<< "39 117.7"
    EXPECT_NEAR(p.y, 4318737.10, 0.01);
}

TEST(Transformer, Wgs84ToCgcs2000GaussKrugerRoundTripIsBelowOneMillimetre) {
    const Transformer forward(Crs::wgs84(), Crs::parse("EPSG:4548"));
    const Transformer back(Crs::parse("EPSG:4548"), Crs::wgs84());
    double worst = 0.0;
    for (double lon = 115.5; lon <= 118.5; lon += 0.1) {
        for (double lat = 38.5; lat <= 40.3; lat += 0.1) {
            const XY p{lon, lat};
            const XY grid = forward.transform(p);
            worst = std::max(worst, ground_error_m(back.transform(grid), p));
            worst = std::max(worst, ground_error_m(forward.inverse(grid), p));
        }
    }
    EXPECT_LT(worst, 1e-3);
}

TEST(Transformer, SameCrsIsIdentity) {
    const Transformer same(Crs::parse("EPSG:4548"), Crs::parse("epsg:4548"));
    EXPECT_TRUE(same.is_identity());
    EXPECT_EQ(same.transform(XY{1.5, 2.5}), (XY{1.5, 2.5}));
    EXPECT_TRUE(Transformer(Crs::parse("OGC:CRS84"), Crs::wgs84()).is_identity());
    EXPECT_TRUE(Transformer(Crs::gcj02(), Crs::parse("GCJ02")).is_identity());
    EXPECT_FALSE(Transformer(Crs::gcj02(), Crs::wgs84()).is_identity());
    EXPECT_FALSE(Transformer(Crs::wgs84(), Crs::web_mercator()).is_identity());
}

TEST(Transformer, PseudoCrsStepsUseTheGcj02Functions) {
    const XY wgs{117.7, 39.0};
    EXPECT_EQ(Transformer(Crs::wgs84(), Crs::gcj02()).transform(wgs), wgs84_to_gcj02(wgs));
    EXPECT_EQ(Transformer(Crs::gcj02(), Crs::wgs84()).transform(wgs), gcj02_to_wgs84(wgs));
    EXPECT_EQ(Transformer(Crs::gcj02(), Crs::bd09()).transform(wgs), gcj02_to_bd09(wgs));
    EXPECT_EQ(Transformer(Crs::bd09(), Crs::gcj02()).transform(wgs), bd09_to_gcj02(wgs));
    EXPECT_EQ(Transformer(Crs::bd09(), Crs::wgs84()).transform(wgs), bd09_to_wgs84(wgs));
}

TEST(Transformer, Gcj02ToWebMercatorChainsThroughWgs84) {
    const XY gcj{117.71, 39.01};
    const XY direct = Transformer(Crs::gcj02(), Crs::web_mercator()).transform(gcj);
    const XY chained = Transformer(Crs::wgs84(), Crs::web_mercator()).transform(gcj02_to_wgs84(gcj));
    EXPECT_NEAR(direct.x, chained.x, 1e-6);
    EXPECT_NEAR(direct.y, chained.y, 1e-6);
    // …and back, through the inverse direction of both steps.
    const Transformer to_mercator(Crs::gcj02(), Crs::web_mercator());
    const XY back = to_mercator.inverse(direct);
    EXPECT_NEAR(back.x, gcj.x, 1e-9);
    EXPECT_NEAR(back.y, gcj.y, 1e-9);
    // bd09 → EPSG:4548 chains bd09 → gcj02 → WGS 84 → Gauss-Krüger.
    const XY bd = gcj02_to_bd09(gcj);
    const XY gk = Transformer(Crs::bd09(), Crs::parse("EPSG:4548")).transform(bd);
    const XY gk_expected = Transformer(Crs::wgs84(), Crs::parse("EPSG:4548")).transform(gcj02_to_wgs84(gcj));
    EXPECT_NEAR(gk.x, gk_expected.x, 1e-4);
    EXPECT_NEAR(gk.y, gk_expected.y, 1e-4);
}

TEST(Transformer, GeometryTransformMovesEveryVertex) {
    const Geometry gcj = Geometry::from_wkt("POLYGON ((117.6 38.9, 117.8 38.9, 117.8 39.1, 117.6 39.1, 117.6 38.9), "
                                            "(117.65 38.95, 117.7 38.95, 117.7 39.0, 117.65 38.95))");
    const Transformer t(Crs::gcj02(), Crs::wgs84());
    const Geometry wgs = t.transform(gcj);
    const auto before = gcj.polygons().front().rings;
    const auto after = wgs.polygons().front().rings;
    ASSERT_EQ(after.size(), before.size());
    for (std::size_t r = 0; r < before.size(); ++r) {
        ASSERT_EQ(after[r].size(), before[r].size());
        for (std::size_t i = 0; i < before[r].size(); ++i) {
            EXPECT_EQ(after[r][i], gcj02_to_wgs84(before[r][i]));
        }
    }
    // Into the local metric CRS the area comes out in m²: 0.2° × 0.2° at
    // 39°N is about 17.3 km × 22.2 km, minus the small triangular hole.
    const Geometry metric = Transformer(Crs::gcj02(), Crs::parse("EPSG:4548")).transform(gcj);
    EXPECT_NEAR(metric.area() / 1e6, 375.0, 10.0);
    EXPECT_TRUE(metric.is_valid());
    EXPECT_TRUE(t.transform(Geometry{}).is_null());
}

TEST(Transformer, TransformBoundsCoversTheTransformedEdges) {
    const Box lonlat{116.7, 38.5, 118.1, 40.3}; // Tianjin
    const Transformer t(Crs::wgs84(), Crs::parse("EPSG:4548"));
    const Box grid = t.transform_bounds(lonlat);
    // Every point of the edges lies inside the result (to 5 cm: the edges are
    // sampled, 101 points each)…
    for (int i = 0; i <= 50; ++i) {
        const double f = i / 50.0;
        for (const XY p :
             {XY{lonlat.min_x + f * lonlat.width(), lonlat.min_y}, XY{lonlat.min_x + f * lonlat.width(), lonlat.max_y},
              XY{lonlat.min_x, lonlat.min_y + f * lonlat.height()},
              XY{lonlat.max_x, lonlat.min_y + f * lonlat.height()}}) {
            EXPECT_TRUE(grid.buffered(0.05).contains(t.transform(p)));
        }
    }
    // …and the box is tight: the bottom edge bulges, so its corners are not the extremes.
    const XY sw = t.transform(XY{lonlat.min_x, lonlat.min_y});
    EXPECT_LT(grid.min_y, sw.y);
    EXPECT_NEAR(grid.min_x, std::min(sw.x, t.transform(XY{lonlat.min_x, lonlat.max_y}).x), 1.0);

    // Web Mercator maps a lon/lat box to a box: the corners are exact.
    const Transformer merc(Crs::wgs84(), Crs::web_mercator());
    const Box m = merc.transform_bounds(lonlat);
    const XY lo = merc.transform(XY{lonlat.min_x, lonlat.min_y});
    const XY hi = merc.transform(XY{lonlat.max_x, lonlat.max_y});
    EXPECT_NEAR(m.min_x, lo.x, 1e-6);
    EXPECT_NEAR(m.min_y, lo.y, 1e-6);
    EXPECT_NEAR(m.max_x, hi.x, 1e-6);
    EXPECT_NEAR(m.max_y, hi.y, 1e-6);

    // With a pseudo-CRS on each side the offsets are applied too.
    const Box gcj = Transformer(Crs::wgs84(), Crs::gcj02()).transform_bounds(lonlat);
    EXPECT_GT(gcj.min_x, lonlat.min_x); // GCJ-02 shifts Tianjin east and north
    EXPECT_TRUE(Transformer(Crs::gcj02(), Crs::web_mercator()).transform_bounds(Box{}).empty());
    // Back from the GCJ-02 box to Web Mercator: it covers the WGS 84 box's
    // image (the offset varies by tens of metres across Tianjin, so boxes
    // of shifted boxes grow a little, never shrink).
    const Box gcj_merc = Transformer(Crs::gcj02(), Crs::web_mercator()).transform_bounds(gcj);
    EXPECT_LE(gcj_merc.min_x, m.min_x + 0.01);
    EXPECT_LE(gcj_merc.min_y, m.min_y + 0.01);
    EXPECT_GE(gcj_merc.max_x, m.max_x - 0.01);
    EXPECT_GE(gcj_merc.max_y, m.max_y - 0.01);
    EXPECT_LT(gcj_merc.width() - m.width(), 300.0);
    EXPECT_LT(gcj_merc.height() - m.height(), 300.0);
}

TEST(Transformer, PointOutsideTheDomainThrowsCrsErrorNamingPointAndCrs) {
    const Transformer t(Crs::wgs84(), Crs::web_mercator());
    try {
        (void)t.transform(XY{10.0, 95.0});
        FAIL() << "latitude 95 was transformed";
    } catch (const geo::CrsError& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("(10 95)"), std::string::npos) << message;
        EXPECT_NE(message.find("EPSG:4326"), std::string::npos) << message;
        EXPECT_NE(message.find("EPSG:3857"), std::string::npos) << message;
    }
    const Geometry bad = Geometry::from_wkt("LINESTRING (10 40, 10 95)");
    EXPECT_THROW((void)t.transform(bad), geo::CrsError);
}

TEST(Transformer, MovedTransformerKeepsWorking) {
    Transformer a(Crs::wgs84(), Crs::web_mercator());
    const XY expected = a.transform(XY{123, 45});
    Transformer b(std::move(a));
    EXPECT_EQ(b.transform(XY{123, 45}), expected);
    Transformer c(Crs::gcj02(), Crs::wgs84());
    c = std::move(b);
    EXPECT_EQ(c.transform(XY{123, 45}), expected);
    EXPECT_EQ(c.target(), Crs::web_mercator());
}

TEST(Transformer, OneTransformerPerThreadGivesTheSameResults) {
    const Crs from = Crs::gcj02();
    const Crs to = Crs::parse("EPSG:4548");
    const XY expected = Transformer(from, to).transform(XY{117.7, 39.0});
    std::vector<XY> results(4);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < results.size(); ++i) {
        threads.emplace_back([&, i] {
            const Transformer t(from, to); // Crs values are shared, Transformers are not
            for (int k = 0; k < 200; ++k) {
                results[i] = t.transform(XY{117.7, 39.0});
            }
        });
    }
    for (auto& th : threads) {
        th.join();
    }
    for (const XY r : results) {
        EXPECT_EQ(r, expected);
    }
}
