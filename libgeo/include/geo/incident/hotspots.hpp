#pragma once
// Hotspots of incident counts per grid: local Getis–Ord Gi* (Getis & Ord 1992,
// "The Analysis of Spatial Association by Use of Distance Statistics",
// Geographical Analysis 24(3); standardised form of Ord & Getis 1995, "Local
// Spatial Autocorrelation Statistics: Distributional Issues and an
// Application", Geographical Analysis 27(4), eq. for G*_i as a z-score).
//
// Weights: binary queen contiguity INCLUDING the grid itself: w_ij = 1 when
// j == i or grids i and j share at least one boundary point (an edge or a
// corner), else 0. Not row-standardised. With x̄ and s the mean and the
// (population) standard deviation of all n counts,
//
//   z_i = ( Σ_j w_ij x_j − x̄ W_i ) / ( s · sqrt( (n S_i − W_i²) / (n − 1) ) ),
//   W_i = Σ_j w_ij,  S_i = Σ_j w_ij²  (= W_i for binary weights),
//   s   = sqrt( Σ x_j² / n − x̄² ),
//
// and the two-sided p-value from the normal approximation,
// p_i = erfc(|z_i| / √2).

#include "geo/core/geometry.hpp"
#include "geo/incident/assigner.hpp"
#include "geo/incident/store.hpp"
#include "geo/io/feature.hpp"

#include <cstddef>
#include <span>
#include <vector>

namespace geo::incident {

/// neighbours[i]: indices j != i that touch polygon i (edge or corner),
/// ascending. Uses an STRtree and prepared geometries; polygons closer than
/// `tolerance` (in their units) also count as touching, for data with
/// slivers.
[[nodiscard]] std::vector<std::vector<std::size_t>> queen_contiguity(const std::vector<core::Geometry>& polygons,
                                                                     double tolerance = 0.0);

struct GiStar {
    double z = 0.0;
    double p = 1.0;
    /// −3…3 like the usual "Gi_Bin": ±3 at p < 0.01, ±2 at p < 0.05, ±1 at
    /// p < 0.10 (sign of z), 0 otherwise.
    int bin = 0;
};

/// Gi* for every unit. Throws InputError when values and neighbours differ in
/// size or n < 2. When all values are equal (s = 0) every z is 0 and p is 1.
[[nodiscard]] std::vector<GiStar> getis_ord_gi_star(std::span<const double> values,
                                                    const std::vector<std::vector<std::size_t>>& neighbours);

struct GridHotspot {
    std::size_t count = 0; ///< incidents in the grid
    GiStar gi;
};

/// Gi* of incident counts per grid (grids as given, e.g. from load_grids;
/// result[i] belongs to grids[i]). Incidents are matched by grid_code;
/// those outside every grid are not counted.
[[nodiscard]] std::vector<GridHotspot> grid_hotspots(const std::vector<Grid>& grids, IncidentStore& store,
                                                     const IncidentFilter& filter = {}, double tolerance = 0.0);

/// The grids with their counts and Gi* as a layer "hotspots" (fields code,
/// parent_code, incidents, gi_z, gi_p, gi_bin, class) in WGS 84, for
/// io::write_layer. `class` is "hot spot 99%", ..., "not significant".
[[nodiscard]] io::Layer hotspot_layer(const std::vector<Grid>& grids, const std::vector<GridHotspot>& hotspots);

} // namespace geo::incident
