#pragma once
// Internal: the bridge between libgeo modules and the GEOS C API.
// Users of the library never include this; other libgeo capabilities may,
// when they need a GEOS call that Geometry does not wrap.

#include "geo/core/geometry.hpp"

#include <geos_c.h>

namespace geo::core::detail {

/// The GEOS context of the calling thread, created on first use and
/// destroyed when the thread ends. Its error handler records the last
/// message so that failures become GeometryError exceptions.
GEOSContextHandle_t geos_context();

/// The last GEOS error message of this thread (empty when none).
const std::string& geos_last_error();

/// Throw GeometryError with the last GEOS message, prefixed by `operation`.
[[noreturn]] void throw_geos_error(const char* operation);

struct GeosGeometryAccess {
    static const GEOSGeometry* get(const Geometry& g) { return static_cast<const GEOSGeometry*>(g.m_ptr); }
    /// Take ownership of a GEOS result; throws GeometryError when it is null.
    static Geometry adopt(GEOSGeometry* g, const char* operation);
    /// Give up ownership (the caller must destroy it).
    static GEOSGeometry* release(Geometry& g) {
        auto* p = static_cast<GEOSGeometry*>(g.m_ptr);
        g.m_ptr = nullptr;
        return p;
    }
};

inline const GEOSGeometry* geos_ptr(const Geometry& g) { return GeosGeometryAccess::get(g); }
inline Geometry adopt(GEOSGeometry* g, const char* operation) { return GeosGeometryAccess::adopt(g, operation); }

} // namespace geo::core::detail
