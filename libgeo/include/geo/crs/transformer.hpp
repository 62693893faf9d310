#pragma once
// geo::crs::Transformer: moves coordinates and geometries from one Crs to
// another through PROJ, with GCJ-02/BD-09 handled by libgeo on the way.
//
// Axis order: whatever the CRS definitions say (EPSG:4326 is lat/lon in the
// registry), every coordinate in and out of a Transformer is x = longitude or
// easting, y = latitude or northing (PROJ's normalize_for_visualization).
//
// Threads: a Transformer owns its own PROJ context and is thread-compatible:
// const calls on one object must not run concurrently. Give each thread its
// own Transformer (construction costs about a millisecond), or guard it.

#include "geo/core/coords.hpp"
#include "geo/core/geometry.hpp"
#include "geo/crs/crs.hpp"

#include <memory>

namespace geo::crs {

class Transformer {
  public:
    /// Prepare the operation from `from` to `to`. gcj02/bd09 are chained
    /// through WGS 84 (bd09 → gcj02 → WGS 84 → target, and back). Throws
    /// geo::CrsError when PROJ finds no operation between them.
    Transformer(const Crs& from, const Crs& to);
    ~Transformer();
    Transformer(const Transformer&) = delete; ///< owns a PROJ context; make a new one instead
    Transformer& operator=(const Transformer&) = delete;
    Transformer(Transformer&& other) noexcept;
    Transformer& operator=(Transformer&& other) noexcept;

    /// One point. Throws geo::CrsError naming the point and both CRS when it
    /// cannot be transformed (outside the projection's domain).
    [[nodiscard]] core::XY transform(core::XY p) const;
    /// The inverse direction (to → from) of transform().
    [[nodiscard]] core::XY inverse(core::XY p) const;
    /// Every coordinate of a geometry (a null geometry stays null).
    [[nodiscard]] core::Geometry transform(const core::Geometry& g) const;
    /// The box containing the transformed box, its edges densified (21
    /// points per edge) so curved edges are covered. Empty stays empty.
    [[nodiscard]] core::Box transform_bounds(const core::Box& b) const;
    /// True when from and to are the same CRS: transform() returns its input.
    [[nodiscard]] bool is_identity() const;

    [[nodiscard]] const Crs& source() const;
    [[nodiscard]] const Crs& target() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace geo::crs
