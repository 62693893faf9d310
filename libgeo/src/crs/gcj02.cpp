#include "geo/crs/gcj02.hpp"

#include <cmath>
#include <numbers>

namespace geo::crs {

namespace {

using core::XY;

// The published GCJ-02 constants: the Krasovsky 1940 ellipsoid.
constexpr double krasovsky_a = 6378245.0;
constexpr double krasovsky_ee = 0.00669342162296594323;
constexpr double pi = std::numbers::pi;
// BD-09 works with angles scaled by 3000/180.
constexpr double x_pi = pi * 3000.0 / 180.0;

// The fixed-point inverses stop when the forward image matches the target
// this closely (degrees; 1e-10° is about 0.01 mm); the offsets' Jacobians
// are ~1e-3, so each step gains about three digits and 30 is a safe cap.
constexpr double inverse_tolerance = 1e-12;
constexpr int inverse_max_steps = 30;

// The published offset polynomials, in metres on the Krasovsky ellipsoid,
// of x = lon − 105°, y = lat − 35°.
double offset_lat(double x, double y) {
    double r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * std::sqrt(std::abs(x));
    r += (20.0 * std::sin(6.0 * x * pi) + 20.0 * std::sin(2.0 * x * pi)) * 2.0 / 3.0;
    r += (20.0 * std::sin(y * pi) + 40.0 * std::sin(y / 3.0 * pi)) * 2.0 / 3.0;
    r += (160.0 * std::sin(y / 12.0 * pi) + 320.0 * std::sin(y * pi / 30.0)) * 2.0 / 3.0;
    return r;
}

double offset_lon(double x, double y) {
    double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * std::sqrt(std::abs(x));
    r += (20.0 * std::sin(6.0 * x * pi) + 20.0 * std::sin(2.0 * x * pi)) * 2.0 / 3.0;
    r += (20.0 * std::sin(x * pi) + 40.0 * std::sin(x / 3.0 * pi)) * 2.0 / 3.0;
    r += (150.0 * std::sin(x / 12.0 * pi) + 300.0 * std::sin(x / 30.0 * pi)) * 2.0 / 3.0;
    return r;
}

// Invert `forward` near `start` by fixed-point iteration: the offsets are
// small and smooth, so p ← p − (forward(p) − target) converges fast.
template <typename Forward> XY invert(Forward forward, XY target, XY start) {
    XY p = start;
    for (int step = 0; step < inverse_max_steps; ++step) {
        const XY image = forward(p);
        const double dx = image.x - target.x;
        const double dy = image.y - target.y;
        p.x -= dx;
        p.y -= dy;
        if (std::abs(dx) < inverse_tolerance && std::abs(dy) < inverse_tolerance) {
            break;
        }
    }
    return p;
}

} // namespace

bool in_gcj02_area(XY p) noexcept {
    return p.x >= 72.004 && p.x <= 137.8347 && p.y >= 0.8293 && p.y <= 55.8271;
}

XY wgs84_to_gcj02(XY p) noexcept {
    if (!in_gcj02_area(p)) {
        return p;
    }
    const double dlat_m = offset_lat(p.x - 105.0, p.y - 35.0);
    const double dlon_m = offset_lon(p.x - 105.0, p.y - 35.0);
    // Metres to degrees with the Krasovsky meridian and parallel radii.
    const double lat_rad = p.y / 180.0 * pi;
    const double sin_lat = std::sin(lat_rad);
    const double w2 = 1.0 - krasovsky_ee * sin_lat * sin_lat;
    const double w = std::sqrt(w2);
    const double meridian_radius = krasovsky_a * (1.0 - krasovsky_ee) / (w2 * w);
    const double normal_radius = krasovsky_a / w;
    return {p.x + dlon_m * 180.0 / (normal_radius * std::cos(lat_rad) * pi),
            p.y + dlat_m * 180.0 / (meridian_radius * pi)};
}

XY gcj02_to_wgs84(XY p) noexcept {
    if (!in_gcj02_area(p)) {
        return p;
    }
    return invert([](XY q) { return wgs84_to_gcj02(q); }, p, p);
}

XY gcj02_to_bd09(XY p) noexcept {
    const double z = std::sqrt(p.x * p.x + p.y * p.y) + 0.00002 * std::sin(p.y * x_pi);
    const double theta = std::atan2(p.y, p.x) + 0.000003 * std::cos(p.x * x_pi);
    return {z * std::cos(theta) + 0.0065, z * std::sin(theta) + 0.006};
}

XY bd09_to_gcj02(XY p) noexcept {
    // The published closed form is only approximately the inverse (to about
    // 1e-6°); it is the starting point of the exact iteration.
    const double x = p.x - 0.0065;
    const double y = p.y - 0.006;
    const double z = std::sqrt(x * x + y * y) - 0.00002 * std::sin(y * x_pi);
    const double theta = std::atan2(y, x) - 0.000003 * std::cos(x * x_pi);
    const XY approximate{z * std::cos(theta), z * std::sin(theta)};
    return invert([](XY q) { return gcj02_to_bd09(q); }, p, approximate);
}

XY wgs84_to_bd09(XY p) noexcept {
    return gcj02_to_bd09(wgs84_to_gcj02(p));
}

XY bd09_to_wgs84(XY p) noexcept {
    return gcj02_to_wgs84(bd09_to_gcj02(p));
}

} // namespace geo::crs
