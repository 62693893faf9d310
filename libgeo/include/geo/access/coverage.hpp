#pragma once
// Coverage of residents by facilities: the share of resident weight whose
// network distance to the nearest facility of a category is within each
// level, per zone (grids, jurisdictions) and for the whole study area, and
// the gap areas where residents live outside a level. Planar metric CRS.
//
// Rules (docs/access.md):
//  * a resident's distance is the network distance between its snapped
//    position and the nearest facility's snapped position; residents that
//    could not be snapped, or whose nearest facility is beyond the largest
//    level, are "not covered" (distance unreachable), never dropped;
//  * a resident belongs to the first zone of a kind that covers its point
//    (boundaries included); residents outside every zone of a kind are only
//    counted in the study-area row (kind "all", code "all");
//  * gaps for a level = union of the square lattice cells of `gap_cell_m`
//    (default 100 m, lattice anchored at the CRS origin) that hold a
//    resident with weight > 0 outside the level, intersected with the study
//    area (the union of the grids when given).

#include "geo/core/coords.hpp"
#include "geo/core/geometry.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace geo::access {

struct Resident {
    std::int64_t id = -1;
    core::XY position;   ///< planar metres
    double weight = 1.0; ///< persons (or households) the point stands for
};

struct Zone {
    std::string kind; ///< "grid", "jurisdiction", …
    std::string code;
    core::Geometry polygon; ///< planar metres
};

struct CoverageRow {
    std::string kind;
    std::string code;
    std::string category;
    double minutes = 0.0;
    double distance_m = 0.0;
    std::size_t residents = 0;
    std::size_t covered_residents = 0;
    double weight = 0.0;
    double covered_weight = 0.0;
    /// covered_weight / weight; 0 when the zone has no weight.
    [[nodiscard]] double share() const noexcept { return weight > 0.0 ? covered_weight / weight : 0.0; }
};

/// For each zone, which residents it holds (indices into residents).
[[nodiscard]] std::vector<std::vector<std::size_t>> residents_per_zone(const std::vector<Resident>& residents,
                                                                       const std::vector<Zone>& zones);

/// Coverage rows for one category: `distance[i]` is resident i's network
/// distance (network::unreachable when none); one row per zone and level
/// plus the study-area row ("all") per level.
[[nodiscard]] std::vector<CoverageRow>
coverage_rows(const std::string& category, const std::vector<Resident>& residents, const std::vector<double>& distance,
              const std::vector<Zone>& zones, const std::vector<std::vector<std::size_t>>& members,
              const std::vector<double>& minutes, const std::vector<double>& level_distances);

/// Gap polygons for one level (see the rules above). `study_area` may be a
/// null Geometry: then the discs are not clipped.
[[nodiscard]] core::Geometry gap_area(const std::vector<Resident>& residents, const std::vector<double>& distance,
                                      double level_distance, double gap_cell_m, const core::Geometry& study_area);

} // namespace geo::access
