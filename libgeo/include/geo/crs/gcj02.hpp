#pragma once
// GCJ-02 and BD-09: the offsets Chinese web maps apply to WGS 84.
//
// All functions take and return x = longitude, y = latitude in degrees.
// GCJ-02 is the public, widely re-implemented algorithm (Krasovsky ellipsoid
// a = 6378245 m, e² = 0.00669342162296594323, the published trigonometric
// offset polynomials). BD-09 adds Baidu's rotation/scaling on top of GCJ-02.
//
// "In China": GCJ-02 is only applied inside the rectangle
// 72.004 ≤ lon ≤ 137.8347, 0.8293 ≤ lat ≤ 55.8271 (the rectangle the
// public implementations use). Outside it both GCJ-02 directions are the
// identity. The BD-09 step is a plain formula and applies everywhere.

#include "geo/core/coords.hpp"

namespace geo::crs {

/// True when the GCJ-02 offset applies to p (see the rectangle above).
[[nodiscard]] bool in_gcj02_area(core::XY lonlat) noexcept;

/// WGS 84 → GCJ-02 (closed form).
[[nodiscard]] core::XY wgs84_to_gcj02(core::XY lonlat) noexcept;
/// GCJ-02 → WGS 84: the exact inverse, by fixed-point iteration until
/// wgs84_to_gcj02(result) matches the input to 1e-10 degrees (|error| far
/// below 1e-7 degrees, about 1 cm). The forward offset jumps at the
/// rectangle's edges, so a thin strip (~0.005°) just inside its west and
/// south edges has no exact preimage; there the result is an estimate within
/// the offset's size (< 0.01°). No part of China lies in those strips.
[[nodiscard]] core::XY gcj02_to_wgs84(core::XY lonlat) noexcept;

/// GCJ-02 → BD-09 (closed form).
[[nodiscard]] core::XY gcj02_to_bd09(core::XY lonlat) noexcept;
/// BD-09 → GCJ-02: the published closed form refined by fixed-point
/// iteration, so gcj02_to_bd09(bd09_to_gcj02(p)) == p to 1e-10 degrees.
[[nodiscard]] core::XY bd09_to_gcj02(core::XY lonlat) noexcept;

/// Compositions through GCJ-02.
[[nodiscard]] core::XY wgs84_to_bd09(core::XY lonlat) noexcept;
[[nodiscard]] core::XY bd09_to_wgs84(core::XY lonlat) noexcept;

} // namespace geo::crs
