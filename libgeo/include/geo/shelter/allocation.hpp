#pragma once
// Allocating residents to shelters (docs/shelter.md).
//
// Optimised rule (allocate_optimal): an exact min-cost maximum flow on
//   source → unit (capacity = population) → site (one arc per Link, cost =
//   walking metres) → sink (capacity = site capacity).
// It first serves as many people as the capacities and walking limits allow
// and, among all allocations that serve that many, minimises the total
// person-metres walked. Demand may split across shelters.
//
// Nearest rule (allocate_nearest): what people do without guidance — every
// unit's whole population walks to its nearest reachable shelter whatever
// its capacity. Loads may exceed capacity; the excess is the overload.

#include "geo/shelter/reach.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace geo::shelter {

struct Assignment {
    std::uint32_t unit = 0;
    std::uint32_t site = 0;
    double people = 0.0;
    double distance = 0.0; ///< walking metres
};

struct Allocation {
    std::vector<Assignment> assignments; ///< sorted by unit, then distance
    std::vector<double> unit_served;     ///< people of each unit with a place
    std::vector<double> site_load;       ///< people sent to each site (may exceed capacity: nearest rule)
    double demand = 0.0;                 ///< total population
    double reachable = 0.0;              ///< population of units with at least one site in reach
    double served = 0.0;                 ///< people with a place (≤ capacity at every site)
    double person_metres = 0.0;          ///< Σ people × distance over assignments
    std::size_t augmentations = 0;       ///< optimised rule: shortest paths used
};

/// Exact capacity-respecting allocation. populations[u] ≥ 0, capacities[s]
/// ≥ 0 (InputError otherwise); links from reachable_pairs.
[[nodiscard]] Allocation allocate_optimal(const std::vector<double>& populations, const std::vector<double>& capacities,
                                          const std::vector<Link>& links);

/// Nearest-shelter rule. `served` counts, per site, min(load, capacity).
[[nodiscard]] Allocation allocate_nearest(const std::vector<double>& populations, const std::vector<double>& capacities,
                                          const std::vector<Link>& links);

/// Sites whose load exceeds their capacity (by more than 1e-6 people).
[[nodiscard]] std::vector<std::uint32_t> overloaded_sites(const Allocation& allocation,
                                                          const std::vector<double>& capacities);

} // namespace geo::shelter
