#pragma once
// Atoms: the small faces grids are built from, their weights and their
// adjacency graph. Exposed so that benchmarks and baselines can run other
// split methods on exactly the same atoms and weights.

#include "geo/core/geometry.hpp"
#include "geo/partition/partition.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace geo::partition {

/// Faces of a region plus a compressed (CSR) adjacency graph. Two atoms are
/// adjacent when they share boundary of positive length; the shared length
/// and the part of it lying on barriers are stored per edge. Memory is linear
/// in the number of atoms (no n×n matrix anywhere).
struct AtomSet {
    std::vector<core::Geometry> geometry;
    std::vector<double> weight;
    std::vector<double> area;
    std::vector<double> perimeter;
    std::vector<double> outer_length; ///< boundary on the region's edge (shared with no atom)
    std::vector<core::XY> centroid;
    /// Side of the lattice square each atom comes from (whole or clipped);
    /// empty for barrier faces.
    std::vector<double> cell_side;

    // CSR adjacency: neighbours of atom i are adjacency[offsets[i] .. offsets[i+1]).
    std::vector<std::size_t> offsets;
    std::vector<std::uint32_t> adjacency;
    std::vector<double> shared_length;
    std::vector<double> barrier_length; ///< of shared_length, the part along barriers

    double region_area = 0.0;
    double coverage_error = 0.0; ///< |Σ atom area − region area| / region area
    bool lattice = false;        ///< atoms come from a lattice (no barrier faces)

    [[nodiscard]] std::size_t size() const noexcept { return geometry.size(); }
    [[nodiscard]] double total_weight() const noexcept;
};

/// How lattice atoms are laid out (docs/partition.md, rule 1): root squares of
/// `root_side`, each split into four while it holds more than `split_weight`
/// and its side is above `min_side`. Dense places get small squares (so one
/// atom is a small part of the band), empty places keep the root squares (so
/// the atom count stays about total / (target / atoms_per_grid)). A uniform
/// lattice has min_side == root_side.
struct LatticeRule {
    double root_side = 0.0;
    double min_side = 0.0;
    double split_weight = 0.0;
};

/// The rule build_atoms uses for a region (or a heavy face) of `area` m² with
/// bounding box `bounds` holding `total` weight. With s = √(area / (total ·
/// atoms_per_grid / target)), the side of a uniform lattice with the wanted
/// atom count: roots of 4s, min side s/16, split while the weight is above
/// max(t/2, min(2t, (band max − band min)/4)) with t = target / atoms_per_grid.
/// options.lattice_cell > 0 gives a uniform lattice of that side.
LatticeRule lattice_rule(double area, const core::Box& bounds, double total, const Options& options);

/// Build the atoms of `region` (polygonal, metric CRS):
///  - with barriers: node the barrier lines clipped to the region together with
///    its boundary, polygonize, keep the faces inside; faces heavier than
///    options.band_max() are subdivided by the adaptive lattice (lattice_rule)
///    clipped to the face;
///  - without barriers (or options.force_lattice): the adaptive lattice of
///    lattice_rule clipped to the region.
/// Weights are attached to the atoms (points by point-in-polygon, polygons by
/// areal share). Only weights inside the region count.
AtomSet build_atoms(const core::Geometry& region, const Weights& weights, const std::vector<core::Geometry>& barriers,
                    const Options& options);

/// Sum of weights inside each polygon (points by point-in-polygon, polygons by
/// areal share): used for the weight of kept grids and for baselines.
std::vector<double> weigh_polygons(const std::vector<core::Geometry>& polygons, const Weights& weights);

/// A part of a split that stays outside the band, and the measured reason.
struct BandProblem {
    int part = 0;
    double weight = 0.0;
    BandCause cause = BandCause::atom_granularity;
    std::vector<std::uint32_t> heavy_atoms; ///< BandCause::heavy_atom: the atoms heavier than max in the part
    std::string detail;                     ///< the facts behind the cause (weights, counts, what was tried)
};

/// A split of the atoms into parts: part id per atom, 0..parts-1.
struct Split {
    std::vector<int> part;
    int parts = 0;
    std::vector<BandProblem> problems; ///< every part outside the band, with its cause
};

/// The number of grids for a connected piece of `light` weight (its atoms of at most max) and
/// `heavy` atoms heavier than max (each ends up in a grid over max whatever k is):
/// k = heavy + k', where k' is round(light/target) clamped to the feasible range
/// [lo, hi] = [⌈light/max⌉, ⌊light/min⌋] (every grid of the light weight can then be in the
/// band). When lo > hi no k' can: the one with the smaller total shortfall (lo·min − light
/// against light − hi·max) is used. Light weight below min next to heavy atoms gets no grid
/// of its own (k' = 0: it joins their grids instead of being a grid under the band).
struct GridCount {
    int k = 1;
    int lo = 1;
    int hi = 1;
    bool feasible = true; ///< lo ≤ hi
};
[[nodiscard]] GridCount grid_count(double light, int heavy, const Options& options);

/// Balanced contiguous split (see docs/partition.md, rule 4): per connected
/// component of the atom graph k from grid_count, METIS k-way with contiguity
/// on vertex weights = atom weights and edge weights = shared length (barrier
/// edges discounted so cuts prefer them), then contiguity repair, band repair
/// by boundary moves; where a part is still outside the band: merge an
/// under-min part into a neighbour (or spread it over its neighbours) within
/// max, cut an over-max part in two, and else try the other feasible k for
/// that component; then a compactness local search that keeps band and
/// contiguity. Parts still outside the band are listed in Split::problems
/// with the cause found (heavy atom, piece below min, no feasible k, atom
/// granularity). Deterministic for a seed.
Split split_atoms(const AtomSet& atoms, const Options& options, std::uint64_t seed);

/// Union of atoms (a grid's polygon): GEOS coverage union, verified (area
/// and validity), else a full overlay union.
core::Geometry union_atoms(std::vector<core::Geometry> atoms);

/// Connected components of the atom graph: component id per atom.
std::vector<int> atom_components(const AtomSet& atoms, int& count);

} // namespace geo::partition
