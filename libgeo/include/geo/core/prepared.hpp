#pragma once
// geo::core::PreparedGeometry: a geometry with GEOS's prepared index built
// once, for many fast predicate tests against it (point-in-grid, clipping).

#include "geo/core/geometry.hpp"

namespace geo::core {

class PreparedGeometry {
public:
    /// Takes the geometry by value: the prepared index points into it, so
    /// the PreparedGeometry must own it.
    explicit PreparedGeometry(Geometry geometry);
    ~PreparedGeometry();
    PreparedGeometry(const PreparedGeometry&) = delete;
    PreparedGeometry& operator=(const PreparedGeometry&) = delete;
    PreparedGeometry(PreparedGeometry&& other) noexcept;
    PreparedGeometry& operator=(PreparedGeometry&& other) noexcept;

    [[nodiscard]] const Geometry& geometry() const noexcept { return m_geometry; }

    [[nodiscard]] bool contains(const Geometry& other) const;
    [[nodiscard]] bool covers(const Geometry& other) const;
    [[nodiscard]] bool intersects(const Geometry& other) const;
    /// Point in polygon including the boundary (covers), without building a
    /// GEOS point for the caller.
    [[nodiscard]] bool covers(XY point) const;
    /// Point strictly inside (not on the boundary).
    [[nodiscard]] bool contains_properly(XY point) const;

private:
    Geometry m_geometry;
    const void* m_prepared = nullptr; // const GEOSPreparedGeometry*, owned
};

} // namespace geo::core
