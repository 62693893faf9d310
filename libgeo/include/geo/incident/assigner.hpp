#pragma once
// geo::incident::GridAssigner: which grid (and jurisdiction) a point falls in.
//
// Built once from the grid polygons; an STRtree over the grid boxes finds the
// candidates and each grid's prepared geometry answers "covers" (boundary
// included). Rule for points on a shared edge or corner: among the grids
// that cover the point, the one with the smallest code (byte-wise string
// order) wins, so each point gets exactly one grid whatever the input order.
// Points covered by no grid get no code and are flagged `outside`; the caller
// keeps them.

#include "geo/core/coords.hpp"
#include "geo/core/geometry.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace geo::incident {

struct Grid {
    std::string code;
    std::string parent_code; ///< jurisdiction (community) code; may be empty
    core::Geometry geometry; ///< polygonal, in the CRS the points will be given in
};

struct Assignment {
    std::optional<std::size_t> grid; ///< index into grids() (sorted by code)
    [[nodiscard]] bool outside() const noexcept { return !grid.has_value(); }
};

class GridAssigner {
  public:
    /// Throws InputError for an empty or duplicate code or a non-polygonal
    /// geometry. Invalid polygons are repaired (make_valid) first.
    explicit GridAssigner(std::vector<Grid> grids);
    ~GridAssigner();
    GridAssigner(const GridAssigner&) = delete;
    GridAssigner& operator=(const GridAssigner&) = delete;
    GridAssigner(GridAssigner&&) noexcept;
    GridAssigner& operator=(GridAssigner&&) noexcept;

    /// Grid for one point (same CRS as the grids). Not thread-safe, although
    /// const: it reuses a scratch buffer for the tree's candidates, and GEOS
    /// prepared geometries build their indexes lazily on first use. Call it
    /// from one thread at a time; for parallel assignment build one assigner
    /// per thread.
    [[nodiscard]] Assignment assign(core::XY point) const;
    /// assign() for each point, in order, on the calling thread. Not
    /// thread-safe either (the same rule as assign()).
    [[nodiscard]] std::vector<Assignment> assign_all(const std::vector<core::XY>& points) const;

    /// The grids, sorted by code.
    [[nodiscard]] const std::vector<Grid>& grids() const noexcept;
    [[nodiscard]] std::size_t size() const noexcept;

    struct Impl;

  private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace geo::incident
