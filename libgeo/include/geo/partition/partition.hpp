#pragma once
// geo::partition: divide jurisdictions ("parents": streets or communities)
// into coded, balanced, contiguous red grids whose cuts follow barriers
// (roads, rivers, railways). Everything here works on geometry in a local
// metric CRS (metres); reading files and reprojecting is the caller's job.
//
// Pipeline per parent (docs/partition.md has the rules):
//   atoms (polygonize barriers + boundary, or a lattice) → weights per atom →
//   atom adjacency graph → METIS k-way (contiguous) → contiguity/band repair →
//   compactness local search → union per grid → codes by the row rule.

#include "geo/core/geometry.hpp"
#include "geo/core/progress.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace geo::partition {

/// A weighted point: a household, resident, address or incident.
struct WeightPoint {
    core::XY position;
    double weight = 1.0;
};

/// A polygon with a count (e.g. a building with its residents); its count is
/// shared out among the atoms it overlaps in proportion to the overlap area.
struct WeightPolygon {
    core::Geometry geometry;
    double weight = 0.0;
};

struct Weights {
    std::vector<WeightPoint> points;
    std::vector<WeightPolygon> polygons;
};

/// One jurisdiction to divide. `geometry` must be polygonal (metric CRS).
struct Parent {
    std::string code;
    std::string name;
    core::Geometry geometry;
};

/// A grid of an earlier partition (for stable re-partition).
struct PreviousGrid {
    std::string code;
    std::string parent_code;
    int seq = 0;
    core::Geometry geometry;
};

struct Options {
    double target = 300.0; ///< wanted weight per grid
    double min = 0.0;      ///< band; 0 → 0.5 × target
    double max = 0.0;      ///< band; 0 → 1.5 × target
    int seq_width = 3;     ///< digits of the grid sequence appended to the parent code
    std::uint64_t seed = 1;
    /// Atoms wanted per grid when no barrier cuts exist (lattice fallback) or
    /// when a barrier face is too heavy and must be subdivided.
    double atoms_per_grid = 30.0;
    /// Upper bound on local-search passes (each pass visits every atom once).
    int max_passes = 30;
    /// Skip the compactness local search (used by the "METIS alone" baseline).
    bool improve = true;
    /// Skip the band repair after METIS (used by the "METIS alone" baseline).
    bool repair_band = true;
    /// Ask METIS for contiguous parts (METIS_OPTION_CONTIG). Off, METIS
    /// balances better and the contiguity repair makes the parts contiguous.
    bool metis_contiguous = true;
    /// METIS's load imbalance in thousandths (METIS_OPTION_UFACTOR); 0 → from the
    /// band: 1000 × (band max / target − 1), at least METIS's default 30. It
    /// bounds only the heaviest part, and the band repair follows METIS, so
    /// letting METIS use the band's headroom buys compact shapes for free
    /// (docs/benchmarks.md); the "METIS alone" baseline sets 30.
    int metis_ufactor = 0;
    /// Use lattice atoms even when barriers are given (baseline comparisons).
    bool force_lattice = false;
    /// Lattice cell size in metres; 0 → chosen from the weights (atoms_per_grid).
    double lattice_cell = 0.0;

    [[nodiscard]] double band_min() const { return min > 0 ? min : 0.5 * target; }
    [[nodiscard]] double band_max() const { return max > 0 ? max : 1.5 * target; }
};

/// One output grid (geometry in the metric CRS of the inputs).
struct Grid {
    std::string code;
    std::string parent_code;
    int seq = 0;
    double weight = 0.0;
    double area_m2 = 0.0;
    double compactness = 0.0;          ///< Polsby–Popper 4πA/P²
    double boundary_on_barriers = 0.0; ///< share of the interior boundary along barriers
    bool kept = false;                 ///< carried over unchanged from --previous
    core::Geometry geometry;
};

/// An atom heavier than the band maximum that could not be split further
/// (e.g. one point carrying more weight than max).
struct HeavyAtom {
    core::XY centroid; ///< metric CRS of the inputs
    double weight = 0.0;
    double area_m2 = 0.0;
    std::string grid_code; ///< the grid holding it
    /// The centroid in WGS 84 longitude/latitude and in the parents' CRS: filled by callers
    /// that know the CRS (the CLI), printed by the report next to the metric coordinates.
    std::optional<core::XY> lonlat;
    std::optional<core::XY> parents_xy;
};

/// Why a grid is outside the band (docs/partition.md, "When the band cannot be met").
enum class BandCause {
    heavy_atom,       ///< it holds an atom heavier than max (one weight feature, or weights on one spot)
    piece_below_min,  ///< its connected piece of the parent weighs less than min: one grid
    no_grid_count,    ///< no whole number of grids puts its piece's weight inside the band
    atom_granularity, ///< merge, split, atom moves and the other feasible k all failed here
};

[[nodiscard]] const char* to_string(BandCause cause) noexcept;

/// A grid outside the band and the reason the run found for it.
struct BandShortfall {
    std::string code;
    double weight = 0.0;
    BandCause cause = BandCause::atom_granularity;
    std::string detail; ///< the facts (weights, atoms, what was tried)
};

/// Result for one parent: its grids plus what the report needs.
struct ParentResult {
    std::string code;
    std::string name;
    double total_weight = 0.0;
    double parent_area = 0.0;
    std::size_t atom_count = 0;
    int k = 0;                          ///< grids created by this run (excluding kept ones)
    std::vector<Grid> grids;            ///< numbered, in seq order
    std::vector<HeavyAtom> heavy_atoms; ///< atoms heavier than max
    double cut_length = 0.0;            ///< interior boundary length between grids (each edge once)
    double cut_on_barriers = 0.0;       ///< part of cut_length along barriers
    double coverage_error = 0.0;        ///< |Σ grid area − parent area| / parent area
    std::vector<std::string> kept_codes;
    std::vector<std::string> changed_codes; ///< previous codes not kept (re-partitioned)
    std::vector<std::string> new_codes;
    std::vector<BandShortfall> out_of_band; ///< every grid outside [min, max], with its cause
    std::vector<std::string> notes;         ///< other honest notes (a grid that is not one polygon, ...)
    double seconds = 0.0;
};

/// Split one parent. `barriers` are lines in the same metric CRS (may be
/// empty); `previous` are the earlier grids of this parent (may be empty).
/// Deterministic for a given options.seed.
ParentResult partition_parent(const Parent& parent, const Weights& weights, const std::vector<core::Geometry>& barriers,
                              const Options& options, const std::vector<PreviousGrid>& previous = {});

/// Split many parents, `threads` at a time (each thread its own GEOS
/// context). Results are in the order of `parents` and independent of the
/// thread count. Weights and barriers are shared read-only.
std::vector<ParentResult> partition_all(const std::vector<Parent>& parents, const Weights& weights,
                                        const std::vector<core::Geometry>& barriers, const Options& options,
                                        const std::vector<PreviousGrid>& previous = {}, int threads = 1,
                                        const core::Progress& progress = {});

/// Grids of `previous` whose parent is not among `parents` (it vanished, or lost its code):
/// nothing keeps them, so they are retired; the report lists them.
[[nodiscard]] std::vector<PreviousGrid> retired_grids(const std::vector<Parent>& parents,
                                                      const std::vector<PreviousGrid>& previous);

/// Polsby–Popper compactness 4πA/P² (1 for a circle, ~0.785 for a square).
[[nodiscard]] double polsby_popper(double area, double perimeter) noexcept;

/// The grid code: parent code + seq zero-padded to `width` digits.
[[nodiscard]] std::string grid_code(const std::string& parent_code, int seq, int width);

/// Row rule for numbering (west→east, then north→south): grids are put into
/// rows of height h = median height of the grids' bounding boxes, counted
/// from the parent's northern edge by centroid y: row = floor((north − cy)/h).
/// Within a row, grids are ordered by centroid x (then by y, north first).
/// Returns the indices of `grids` in numbering order.
[[nodiscard]] std::vector<std::size_t> row_order(const std::vector<core::Geometry>& grids, double north);

} // namespace geo::partition
