#pragma once
// Choosing a local metric CRS for analyses (areas, distances, buffers).
//
// The rule (docs/crs.md): take the centre of the data's lon/lat bounds.
//  - Centre inside China (the area of use of CGCS2000, EPSG:4490:
//    73.62..134.77 E, 16.70..53.56 N): the CGCS2000 3-degree Gauss-Krüger
//    zone whose central meridian is nearest, CM = 3·round(lon/3) clamped to
//    75..135 E, EPSG = 4534 + (CM − 75)/3 (EPSG:4548 is CM 117E, Tianjin;
//    EPSG:4547 is CM 114E, Shenzhen).
//  - Elsewhere: the WGS 84 UTM zone of the centre, EPSG:326zz (north) or
//    327zz (south); above 84°N / below 80°S, UPS North/South (EPSG:5041/5042).

#include "geo/core/coords.hpp"
#include "geo/crs/crs.hpp"

namespace geo::crs {

/// The China test used by local_metric_crs (CGCS2000 area of use).
[[nodiscard]] bool in_china_cgcs2000_area(core::XY lonlat) noexcept;

/// EPSG code of the CGCS2000 3-degree Gauss-Krüger zone (CM in the code's
/// name, false easting 500 km, no zone prefix) nearest to `lon`.
[[nodiscard]] int gauss_kruger_3deg_epsg(double lon) noexcept;

/// EPSG code of the WGS 84 UTM zone (or UPS cap) containing lon/lat.
[[nodiscard]] int utm_epsg(core::XY lonlat) noexcept;

/// The metric CRS for data with these lon/lat (WGS 84 or CGCS2000; the
/// metres of difference between them do not change the choice) bounds.
/// Throws geo::CrsError for an empty box or one outside ±180/±90.
[[nodiscard]] Crs local_metric_crs(const core::Box& lonlat_bounds);

} // namespace geo::crs
