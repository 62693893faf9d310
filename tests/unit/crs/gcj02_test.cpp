// GCJ-02 / BD-09: the inverse directions are exact (iterative), and the
// offsets apply only where the rule says. Published pairs are checked by
// reference_pairs_test.cpp from tests/data/crs/gcj02_pairs.txt.

#include "geo/crs/gcj02.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

using geo::core::XY;
using namespace geo::crs;

namespace {

double max_abs_diff(XY a, XY b) {
    return std::max(std::abs(a.x - b.x), std::abs(a.y - b.y));
}

// Calls f on a 0.25° grid over mainland China's extent (73.5..135E, 18..53.5N).
template <typename F> void for_china_grid(F f) {
    for (double lon = 73.5; lon <= 135.0; lon += 0.25) {
        for (double lat = 18.0; lat <= 53.5; lat += 0.25) {
            f(XY{lon, lat});
        }
    }
}

} // namespace

TEST(Gcj02, InverseRecoversWgs84ToBetterThan1e7DegreesAcrossChina) {
    double worst = 0.0;
    int points = 0;
    for_china_grid([&](XY wgs) {
        worst = std::max(worst, max_abs_diff(gcj02_to_wgs84(wgs84_to_gcj02(wgs)), wgs));
        ++points;
    });
    EXPECT_GT(points, 30000);
    EXPECT_LT(worst, 1e-7);
    EXPECT_LT(worst, 1e-10) << "the iteration is meant to converge fully";
}

TEST(Gcj02, ForwardOfInverseReturnsTheGcj02Input) {
    double worst = 0.0;
    for_china_grid([&](XY gcj) { worst = std::max(worst, max_abs_diff(wgs84_to_gcj02(gcj02_to_wgs84(gcj)), gcj)); });
    EXPECT_LT(worst, 1e-10);
}

TEST(Gcj02, Bd09InverseRecoversGcj02AcrossChina) {
    double worst = 0.0;
    for_china_grid([&](XY gcj) {
        worst = std::max(worst, max_abs_diff(bd09_to_gcj02(gcj02_to_bd09(gcj)), gcj));
        worst = std::max(worst, max_abs_diff(bd09_to_wgs84(wgs84_to_bd09(gcj)), gcj));
    });
    EXPECT_LT(worst, 1e-10);
}

TEST(Gcj02, OffsetIsHundredsOfMetresInsideChina) {
    // Sanity of magnitude: the GCJ-02 shift is known to be ~100-700 m.
    for_china_grid([](XY wgs) {
        const XY gcj = wgs84_to_gcj02(wgs);
        const double dx_m = (gcj.x - wgs.x) * 111320.0 * std::cos(wgs.y * M_PI / 180.0);
        const double dy_m = (gcj.y - wgs.y) * 110570.0;
        const double shift = std::hypot(dx_m, dy_m);
        ASSERT_GT(shift, 20.0) << wgs.x << " " << wgs.y;
        ASSERT_LT(shift, 1000.0) << wgs.x << " " << wgs.y;
    });
}

TEST(Gcj02, OutsideTheChinaRectangleBothDirectionsAreIdentity) {
    for (const XY p : {XY{7.4246, 43.7384} /* Monaco */, XY{139.6917, 35.6895} /* Tokyo, east of 137.8347 */,
                       XY{-74.006, 40.7128} /* New York */, XY{100.5, 0.5} /* south of 0.8293 */,
                       XY{100.0, 56.0} /* north of 55.8271 */}) {
        EXPECT_EQ(wgs84_to_gcj02(p), p);
        EXPECT_EQ(gcj02_to_wgs84(p), p);
        EXPECT_FALSE(in_gcj02_area(p));
    }
    // The rectangle is coarse on purpose (it is what every implementation
    // uses): Seoul lies inside it and is shifted too.
    EXPECT_TRUE(in_gcj02_area(XY{126.978, 37.5665}));
    EXPECT_TRUE(in_gcj02_area(XY{117.7, 39.0}));
}

TEST(Gcj02, Bd09StepAppliesEverywhere) {
    const XY monaco{7.4246, 43.7384};
    const XY bd = gcj02_to_bd09(monaco);
    EXPECT_GT(max_abs_diff(bd, monaco), 1e-3);
    EXPECT_LT(max_abs_diff(bd09_to_gcj02(bd), monaco), 1e-10);
}

TEST(Gcj02, InverseNearTheRectangleEdgesStaysWithinTheOffset) {
    // The offset is discontinuous at the edges; the iteration must still
    // end (bounded steps) close to its input, never diverge.
    for (double lon : {72.0, 72.004, 72.006, 72.01, 137.83, 137.8347, 137.84}) {
        for (double lat : {0.8, 0.83, 30.0, 55.82, 55.8271, 55.9}) {
            const XY gcj{lon, lat};
            const XY wgs = gcj02_to_wgs84(gcj);
            EXPECT_LT(max_abs_diff(wgs, gcj), 0.01) << lon << " " << lat;
        }
    }
}
