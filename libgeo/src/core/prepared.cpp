#include "geo/core/prepared.hpp"

#include "geo/core/detail/geos.hpp"
#include "geo/core/error.hpp"

namespace geo::core {

using detail::geos_context;

namespace {
const GEOSPreparedGeometry* prep(const void* p) { return static_cast<const GEOSPreparedGeometry*>(p); }

bool check(char result, const char* operation) {
    if (result == 2) {
        detail::throw_geos_error(operation);
    }
    return result == 1;
}
} // namespace

PreparedGeometry::PreparedGeometry(Geometry geometry) : m_geometry(std::move(geometry)) {
    if (m_geometry.is_null()) {
        throw GeometryError("preparing a null geometry");
    }
    m_prepared = GEOSPrepare_r(geos_context(), detail::geos_ptr(m_geometry));
    if (m_prepared == nullptr) {
        detail::throw_geos_error("preparing a geometry");
    }
}

PreparedGeometry::~PreparedGeometry() {
    if (m_prepared != nullptr) {
        GEOSPreparedGeom_destroy_r(geos_context(), prep(m_prepared));
    }
}

PreparedGeometry::PreparedGeometry(PreparedGeometry&& other) noexcept
    : m_geometry(std::move(other.m_geometry)), m_prepared(other.m_prepared) {
    other.m_prepared = nullptr;
}

PreparedGeometry& PreparedGeometry::operator=(PreparedGeometry&& other) noexcept {
    if (this != &other) {
        if (m_prepared != nullptr) {
            GEOSPreparedGeom_destroy_r(geos_context(), prep(m_prepared));
        }
        m_geometry = std::move(other.m_geometry);
        m_prepared = other.m_prepared;
        other.m_prepared = nullptr;
    }
    return *this;
}

bool PreparedGeometry::contains(const Geometry& other) const {
    return check(GEOSPreparedContains_r(geos_context(), prep(m_prepared), detail::geos_ptr(other)), "contains");
}

bool PreparedGeometry::covers(const Geometry& other) const {
    return check(GEOSPreparedCovers_r(geos_context(), prep(m_prepared), detail::geos_ptr(other)), "covers");
}

bool PreparedGeometry::intersects(const Geometry& other) const {
    return check(GEOSPreparedIntersects_r(geos_context(), prep(m_prepared), detail::geos_ptr(other)), "intersects");
}

bool PreparedGeometry::covers(XY point) const {
    // GEOSPreparedIntersectsXY exists only from GEOS 3.12; Debian 12 ships
    // 3.11, so a point geometry is built. For a point, intersects == covers.
    Geometry p = Geometry::point(point);
    return check(GEOSPreparedIntersects_r(geos_context(), prep(m_prepared), detail::geos_ptr(p)), "covers");
}

bool PreparedGeometry::contains_properly(XY point) const {
    Geometry p = Geometry::point(point);
    return check(GEOSPreparedContainsProperly_r(geos_context(), prep(m_prepared), detail::geos_ptr(p)),
                 "contains_properly");
}

} // namespace geo::core
