#include "geo/crs/local.hpp"

#include "geo/core/error.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace geo::crs {

namespace {

// Area of use of CGCS2000 (EPSG:4490) in the EPSG database: "China -
// onshore and offshore". A test checks these numbers against PROJ's.
constexpr double china_west = 73.62;
constexpr double china_east = 134.77;
constexpr double china_south = 16.7;
constexpr double china_north = 53.56;

// EPSG:4534 "CGCS2000 / 3-degree Gauss-Kruger CM 75E" … EPSG:4554 "CM 135E":
// 21 consecutive codes, one per 3° central meridian.
constexpr int gk_first_code = 4534;
constexpr int gk_first_cm = 75;
constexpr int gk_last_cm = 135;

} // namespace

bool in_china_cgcs2000_area(core::XY p) noexcept {
    return p.x >= china_west && p.x <= china_east && p.y >= china_south && p.y <= china_north;
}

int gauss_kruger_3deg_epsg(double lon) noexcept {
    const int cm = std::clamp(3 * static_cast<int>(std::lround(lon / 3.0)), gk_first_cm, gk_last_cm);
    return gk_first_code + (cm - gk_first_cm) / 3;
}

int utm_epsg(core::XY p) noexcept {
    if (p.y > 84.0) {
        return 5041; // WGS 84 / UPS North (E,N)
    }
    if (p.y < -80.0) {
        return 5042; // WGS 84 / UPS South (E,N)
    }
    const int zone = std::clamp(static_cast<int>(std::floor((p.x + 180.0) / 6.0)) + 1, 1, 60);
    return (p.y >= 0.0 ? 32600 : 32700) + zone;
}

Crs local_metric_crs(const core::Box& b) {
    if (b.empty() || !std::isfinite(b.min_x) || !std::isfinite(b.max_x) || !std::isfinite(b.min_y) ||
        !std::isfinite(b.max_y)) {
        throw CrsError("cannot choose a local metric CRS for empty bounds", {},
                       "the data has no coordinates; give the analysis CRS explicitly");
    }
    if (b.min_x < -180.0 || b.max_x > 180.0 || b.min_y < -90.0 || b.max_y > 90.0) {
        std::ostringstream box;
        box << b.min_x << ' ' << b.min_y << ", " << b.max_x << ' ' << b.max_y;
        throw CrsError("bounds (" + box.str() + ") are not longitude/latitude degrees", {},
                       "transform the data to WGS 84 first, or check its source CRS (--crs)");
    }
    const core::XY centre = b.center();
    return Crs::from_epsg(in_china_cgcs2000_area(centre) ? gauss_kruger_3deg_epsg(centre.x) : utm_epsg(centre));
}

} // namespace geo::crs
