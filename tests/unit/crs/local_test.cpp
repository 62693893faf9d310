// local_metric_crs: the rule that picks the analysis CRS (docs/crs.md).

#include "geo/core/error.hpp"
#include "geo/crs/local.hpp"

#include <proj.h>

#include <gtest/gtest.h>

#include <string>

using geo::core::Box;
using geo::core::XY;
using namespace geo::crs;

TEST(LocalMetricCrs, TianjinBinhaiUsesGaussKruger117E_Epsg4548) {
    // Binhai New Area spans about 117.2..118.1E, 38.6..39.4N (centre ~117.7E).
    const Crs crs = local_metric_crs(Box{117.2, 38.6, 118.1, 39.4});
    EXPECT_EQ(crs.epsg(), 4548);
    EXPECT_EQ(crs.name(), "CGCS2000 / 3-degree Gauss-Kruger CM 117E");
    EXPECT_FALSE(crs.is_geographic());
}

TEST(LocalMetricCrs, ShenzhenUsesGaussKruger114E_Epsg4547) {
    const Crs crs = local_metric_crs(Box{113.75, 22.45, 114.65, 22.85}); // centre 114.2E
    EXPECT_EQ(crs.epsg(), 4547);
    EXPECT_EQ(crs.name(), "CGCS2000 / 3-degree Gauss-Kruger CM 114E");
}

TEST(LocalMetricCrs, MonacoUsesUtm32North_Epsg32632) {
    const Crs crs = local_metric_crs(Box{7.40, 43.72, 7.44, 43.75});
    EXPECT_EQ(crs.epsg(), 32632);
    EXPECT_EQ(crs.name(), "WGS 84 / UTM zone 32N");
}

TEST(LocalMetricCrs, SouthernHemisphereUsesUtmSouth) {
    EXPECT_EQ(local_metric_crs(Box{151.1, -34.0, 151.3, -33.8}).epsg(), 32756); // Sydney
    EXPECT_EQ(local_metric_crs(Box{-43.3, -23.0, -43.1, -22.8}).epsg(), 32723); // Rio de Janeiro
}

TEST(LocalMetricCrs, PolarCapsUseUps) {
    EXPECT_EQ(utm_epsg(XY{15.0, 85.0}), 5041);
    EXPECT_EQ(utm_epsg(XY{15.0, -85.0}), 5042);
}

TEST(LocalMetricCrs, GaussKrugerZoneIsTheNearestCentralMeridian) {
    struct Case {
        double lon;
        int epsg;
    };
    for (const Case c :
         {Case{75.0, 4534}, Case{73.7, 4534}, Case{114.2, 4547}, Case{115.49, 4547}, Case{115.5, 4548},
          Case{117.7, 4548}, Case{118.49, 4548}, Case{118.5, 4549}, Case{134.7, 4554}, Case{135.0, 4554}}) {
        EXPECT_EQ(gauss_kruger_3deg_epsg(c.lon), c.epsg) << c.lon;
    }
}

TEST(LocalMetricCrs, Codes4534To4554AreTheGaussKrugerZonesCm75To135InProj) {
    // Checks the code arithmetic against the EPSG database PROJ ships.
    for (int cm = 75; cm <= 135; cm += 3) {
        const Crs crs = Crs::from_epsg(gauss_kruger_3deg_epsg(cm));
        EXPECT_EQ(crs.name(), "CGCS2000 / 3-degree Gauss-Kruger CM " + std::to_string(cm) + "E");
    }
}

TEST(LocalMetricCrs, ChinaTestIsTheAreaOfUseOfCgcs2000InProj) {
    PJ_CONTEXT* ctx = proj_context_create();
    PJ* cgcs2000 = proj_create(ctx, "EPSG:4490");
    ASSERT_NE(cgcs2000, nullptr);
    double west = 0, south = 0, east = 0, north = 0;
    ASSERT_TRUE(proj_get_area_of_use(ctx, cgcs2000, &west, &south, &east, &north, nullptr));
    proj_destroy(cgcs2000);
    proj_context_destroy(ctx);
    EXPECT_TRUE(in_china_cgcs2000_area(XY{west + 0.01, south + 0.01}));
    EXPECT_TRUE(in_china_cgcs2000_area(XY{east - 0.01, north - 0.01}));
    EXPECT_FALSE(in_china_cgcs2000_area(XY{west - 0.01, (south + north) / 2}));
    EXPECT_FALSE(in_china_cgcs2000_area(XY{east + 0.01, (south + north) / 2}));
    EXPECT_FALSE(in_china_cgcs2000_area(XY{(west + east) / 2, south - 0.01}));
    EXPECT_FALSE(in_china_cgcs2000_area(XY{(west + east) / 2, north + 0.01}));
}

TEST(LocalMetricCrs, EmptyOrNonDegreeBoundsAreRejected) {
    EXPECT_THROW((void)local_metric_crs(Box{}), geo::CrsError);
    EXPECT_THROW((void)local_metric_crs(Box{500000, 4300000, 560000, 4330000}), geo::CrsError);
}
