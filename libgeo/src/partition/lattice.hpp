#pragma once
// Internal to geo::partition: the weight-adaptive lattice (a quadtree over
// square roots) that gives atoms where there are no barriers, and cuts barrier
// faces heavier than the band maximum. The rule is lattice_rule (atoms.hpp).

#include "geo/core/geometry.hpp"
#include "geo/core/prepared.hpp"
#include "geo/partition/atoms.hpp"

#include <cstdint>
#include <vector>

namespace geo::partition::detail {

/// One square of the lattice in integer units of the finest side: it spans
/// [x0 + ix·unit, x0 + (ix + size)·unit] × [y0 + iy·unit, y0 + (iy + size)·unit].
/// Integer corners give every lattice line one exact key, so cells of any two
/// sizes meet on the same line without tolerance questions.
struct LatticeCell {
    std::int64_t ix = 0;
    std::int64_t iy = 0;
    std::int64_t size = 0;
    std::uint32_t first = 0; ///< its weight points are LatticePlan::order[first .. last)
    std::uint32_t last = 0;
};

/// The leaves of the quadtree over a bounding box, and the weight points
/// (indices into Weights::points) grouped by leaf.
struct LatticePlan {
    double x0 = 0.0;
    double y0 = 0.0;
    double unit = 1.0;              ///< finest side
    int depth = 0;                  ///< root side = 2^depth units
    std::int64_t nx = 1;            ///< roots across
    std::int64_t ny = 1;            ///< roots up
    std::vector<LatticeCell> cells; ///< roots row by row from the south-west; quadrants SW, SE, NW, NE
    std::vector<std::uint32_t> order;

    [[nodiscard]] core::Box box(const LatticeCell& cell) const;
};

/// Lay out the lattice over `bounds` by `rule`. Only the points of `weights`
/// inside `bounds` are grouped; polygon weights count in the split decision by
/// the share of their bounding box the cell covers (the exact shares are
/// computed later for the atoms).
LatticePlan plan_lattice(const core::Box& bounds, const LatticeRule& rule, const Weights& weights);

/// Atoms of `region` from the lattice of `rule`: cells inside are whole
/// squares, cells the boundary crosses are clipped (each polygonal piece one
/// atom), cells outside are dropped. `weights` must lie inside the region.
AtomSet lattice_atoms(const core::Geometry& region, const core::PreparedGeometry& prepared, const Weights& weights,
                      const LatticeRule& rule);

/// The west and south side of every cell as a two-point line: together they
/// draw every line of the lattice inside its bounding box (the shared side of
/// two cells is the west or south side of the one east or north of it).
std::vector<core::Geometry> lattice_side_lines(const LatticePlan& plan);

} // namespace geo::partition::detail
