#include "geo/core/geometry.hpp"

#include "geo/core/detail/geos.hpp"
#include "geo/core/error.hpp"

#include <cstdarg>
#include <cstdio>
#include <memory>

namespace geo::core {

namespace detail {

namespace {

struct ThreadContext {
    GEOSContextHandle_t handle = nullptr;
    std::string last_error;

    ThreadContext() {
        handle = GEOS_init_r();
        GEOSContext_setErrorMessageHandler_r(handle, &ThreadContext::on_error, this);
        GEOSContext_setNoticeMessageHandler_r(handle, &ThreadContext::on_notice, this);
    }
    ~ThreadContext() { GEOS_finish_r(handle); }
    ThreadContext(const ThreadContext&) = delete;
    ThreadContext& operator=(const ThreadContext&) = delete;

    static void on_error(const char* message, void* userdata) {
        static_cast<ThreadContext*>(userdata)->last_error = message ? message : "unknown GEOS error";
    }
    // Notices (e.g. "Self-intersection at ...") are informational: GEOS also
    // returns them through GEOSisValidReason, so they are not kept here.
    static void on_notice(const char*, void*) {}
};

ThreadContext& thread_context() {
    thread_local ThreadContext context;
    return context;
}

} // namespace

GEOSContextHandle_t geos_context() { return thread_context().handle; }

const std::string& geos_last_error() { return thread_context().last_error; }

void throw_geos_error(const char* operation) {
    std::string message = geos_last_error();
    thread_context().last_error.clear();
    throw GeometryError(std::string(operation) + " failed" + (message.empty() ? "" : ": " + message));
}

Geometry GeosGeometryAccess::adopt(GEOSGeometry* g, const char* operation) {
    if (g == nullptr) {
        throw_geos_error(operation);
    }
    return Geometry(static_cast<void*>(g));
}

} // namespace detail

using detail::adopt;
using detail::geos_context;
using detail::geos_ptr;

namespace {

const GEOSGeometry* checked(const Geometry& g, const char* operation) {
    if (g.is_null()) {
        throw GeometryError(std::string(operation) + " on a null geometry");
    }
    return geos_ptr(g);
}

bool predicate(char result, const char* operation) {
    if (result == 2) {
        detail::throw_geos_error(operation);
    }
    return result == 1;
}

struct WktWriterDeleter {
    void operator()(GEOSWKTWriter* w) const { GEOSWKTWriter_destroy_r(geos_context(), w); }
};
struct WkbWriterDeleter {
    void operator()(GEOSWKBWriter* w) const { GEOSWKBWriter_destroy_r(geos_context(), w); }
};
struct CoordSeqDeleter {
    void operator()(GEOSCoordSequence* s) const { GEOSCoordSeq_destroy_r(geos_context(), s); }
};

GEOSCoordSequence* make_sequence(const Path& path, bool close) {
    const bool needs_closing = close && !path.empty() && !(path.front() == path.back());
    const auto size = static_cast<unsigned>(path.size() + (needs_closing ? 1 : 0));
    GEOSCoordSequence* seq = GEOSCoordSeq_create_r(geos_context(), size, 2);
    if (seq == nullptr) {
        detail::throw_geos_error("creating a coordinate sequence");
    }
    for (unsigned i = 0; i < path.size(); ++i) {
        GEOSCoordSeq_setXY_r(geos_context(), seq, i, path[i].x, path[i].y);
    }
    if (needs_closing) {
        GEOSCoordSeq_setXY_r(geos_context(), seq, size - 1, path.front().x, path.front().y);
    }
    return seq;
}

Path read_sequence(const GEOSCoordSequence* seq) {
    unsigned size = 0;
    GEOSCoordSeq_getSize_r(geos_context(), seq, &size);
    Path path(size);
    for (unsigned i = 0; i < size; ++i) {
        GEOSCoordSeq_getXY_r(geos_context(), seq, i, &path[i].x, &path[i].y);
    }
    return path;
}

void collect_plain(const GEOSGeometry* g, std::vector<PolygonRings>* polygons, std::vector<Path>* paths,
                   std::vector<XY>* points) {
    GEOSContextHandle_t ctx = geos_context();
    const int type = GEOSGeomTypeId_r(ctx, g);
    switch (type) {
    case GEOS_POINT:
        if (points != nullptr && GEOSisEmpty_r(ctx, g) == 0) {
            XY p;
            GEOSGeomGetX_r(ctx, g, &p.x);
            GEOSGeomGetY_r(ctx, g, &p.y);
            points->push_back(p);
        }
        break;
    case GEOS_LINESTRING:
    case GEOS_LINEARRING:
        if (paths != nullptr && GEOSisEmpty_r(ctx, g) == 0) {
            paths->push_back(read_sequence(GEOSGeom_getCoordSeq_r(ctx, g)));
        }
        break;
    case GEOS_POLYGON:
        if (polygons != nullptr && GEOSisEmpty_r(ctx, g) == 0) {
            PolygonRings rings;
            rings.rings.push_back(read_sequence(GEOSGeom_getCoordSeq_r(ctx, GEOSGetExteriorRing_r(ctx, g))));
            const int holes = GEOSGetNumInteriorRings_r(ctx, g);
            for (int i = 0; i < holes; ++i) {
                rings.rings.push_back(read_sequence(GEOSGeom_getCoordSeq_r(ctx, GEOSGetInteriorRingN_r(ctx, g, i))));
            }
            polygons->push_back(std::move(rings));
        }
        break;
    default: {
        const int n = GEOSGetNumGeometries_r(ctx, g);
        for (int i = 0; i < n; ++i) {
            collect_plain(GEOSGetGeometryN_r(ctx, g, i), polygons, paths, points);
        }
    }
    }
}

} // namespace

const char* to_string(GeometryType type) noexcept {
    switch (type) {
    case GeometryType::point: return "Point";
    case GeometryType::line_string: return "LineString";
    case GeometryType::linear_ring: return "LinearRing";
    case GeometryType::polygon: return "Polygon";
    case GeometryType::multi_point: return "MultiPoint";
    case GeometryType::multi_line_string: return "MultiLineString";
    case GeometryType::multi_polygon: return "MultiPolygon";
    case GeometryType::collection: return "GeometryCollection";
    }
    return "Unknown";
}

Geometry::~Geometry() {
    if (m_ptr != nullptr) {
        GEOSGeom_destroy_r(geos_context(), static_cast<GEOSGeometry*>(m_ptr));
    }
}

Geometry::Geometry(const Geometry& other) {
    if (other.m_ptr != nullptr) {
        m_ptr = GEOSGeom_clone_r(geos_context(), static_cast<GEOSGeometry*>(other.m_ptr));
        if (m_ptr == nullptr) {
            detail::throw_geos_error("copying a geometry");
        }
    }
}

Geometry& Geometry::operator=(const Geometry& other) {
    if (this != &other) {
        Geometry copy(other);
        *this = std::move(copy);
    }
    return *this;
}

Geometry::Geometry(Geometry&& other) noexcept : m_ptr(other.m_ptr) { other.m_ptr = nullptr; }

Geometry& Geometry::operator=(Geometry&& other) noexcept {
    if (this != &other) {
        if (m_ptr != nullptr) {
            GEOSGeom_destroy_r(geos_context(), static_cast<GEOSGeometry*>(m_ptr));
        }
        m_ptr = other.m_ptr;
        other.m_ptr = nullptr;
    }
    return *this;
}

// --- construction -------------------------------------------------------------

Geometry Geometry::from_wkt(std::string_view wkt) {
    GEOSContextHandle_t ctx = geos_context();
    GEOSWKTReader* reader = GEOSWKTReader_create_r(ctx);
    const std::string text(wkt);
    GEOSGeometry* g = GEOSWKTReader_read_r(ctx, reader, text.c_str());
    GEOSWKTReader_destroy_r(ctx, reader);
    return adopt(g, "reading WKT");
}

Geometry Geometry::from_wkb(std::span<const std::uint8_t> wkb) {
    GEOSContextHandle_t ctx = geos_context();
    GEOSWKBReader* reader = GEOSWKBReader_create_r(ctx);
    GEOSGeometry* g = GEOSWKBReader_read_r(ctx, reader, wkb.data(), wkb.size());
    GEOSWKBReader_destroy_r(ctx, reader);
    return adopt(g, "reading WKB");
}

Geometry Geometry::from_wkb(std::string_view wkb) {
    return from_wkb(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(wkb.data()), wkb.size()));
}

Geometry Geometry::point(XY p) { return adopt(GEOSGeom_createPointFromXY_r(geos_context(), p.x, p.y), "creating a point"); }

Geometry Geometry::line_string(const Path& path) {
    return adopt(GEOSGeom_createLineString_r(geos_context(), make_sequence(path, false)), "creating a line");
}

Geometry Geometry::polygon(const std::vector<Path>& rings) {
    GEOSContextHandle_t ctx = geos_context();
    if (rings.empty()) {
        return empty_polygon();
    }
    std::vector<GEOSGeometry*> made;
    made.reserve(rings.size());
    for (const Path& ring : rings) {
        if (ring.size() < 3) {
            for (GEOSGeometry* m : made) {
                GEOSGeom_destroy_r(ctx, m);
            }
            throw GeometryError("a polygon ring needs at least 3 distinct points, got " + std::to_string(ring.size()));
        }
        GEOSGeometry* r = GEOSGeom_createLinearRing_r(ctx, make_sequence(ring, true));
        if (r == nullptr) {
            for (GEOSGeometry* m : made) {
                GEOSGeom_destroy_r(ctx, m);
            }
            detail::throw_geos_error("creating a ring");
        }
        made.push_back(r);
    }
    GEOSGeometry* shell = made.front();
    return adopt(GEOSGeom_createPolygon_r(ctx, shell, made.data() + 1, static_cast<unsigned>(made.size() - 1)),
                 "creating a polygon");
}

Geometry Geometry::box(const Box& b) {
    if (b.empty()) {
        return empty_polygon();
    }
    return adopt(GEOSGeom_createRectangle_r(geos_context(), b.min_x, b.min_y, b.max_x, b.max_y), "creating a box");
}

Geometry Geometry::empty_polygon() { return adopt(GEOSGeom_createEmptyPolygon_r(geos_context()), "creating a polygon"); }

Geometry Geometry::collect(std::vector<Geometry> parts) {
    GEOSContextHandle_t ctx = geos_context();
    int type = GEOS_GEOMETRYCOLLECTION;
    if (!parts.empty()) {
        const int first = GEOSGeomTypeId_r(ctx, checked(parts.front(), "collect"));
        bool same = true;
        for (const Geometry& p : parts) {
            same = same && GEOSGeomTypeId_r(ctx, checked(p, "collect")) == first;
        }
        if (same && first == GEOS_POINT) {
            type = GEOS_MULTIPOINT;
        } else if (same && first == GEOS_LINESTRING) {
            type = GEOS_MULTILINESTRING;
        } else if (same && first == GEOS_POLYGON) {
            type = GEOS_MULTIPOLYGON;
        }
    }
    std::vector<GEOSGeometry*> raw;
    raw.reserve(parts.size());
    for (Geometry& p : parts) {
        raw.push_back(detail::GeosGeometryAccess::release(p));
    }
    return adopt(GEOSGeom_createCollection_r(ctx, type, raw.data(), static_cast<unsigned>(raw.size())), "collect");
}

Geometry Geometry::union_all(std::vector<Geometry> parts) {
    if (parts.empty()) {
        return empty_polygon();
    }
    Geometry collection = collect(std::move(parts));
    return collection.unary_union();
}

Geometry Geometry::polygonize(const std::vector<Geometry>& lines) {
    std::vector<const GEOSGeometry*> raw;
    raw.reserve(lines.size());
    for (const Geometry& l : lines) {
        raw.push_back(checked(l, "polygonize"));
    }
    return adopt(GEOSPolygonize_r(geos_context(), raw.data(), static_cast<unsigned>(raw.size())), "polygonize");
}

// --- output -------------------------------------------------------------------

std::string Geometry::to_wkt(int decimals) const {
    GEOSContextHandle_t ctx = geos_context();
    std::unique_ptr<GEOSWKTWriter, WktWriterDeleter> writer(GEOSWKTWriter_create_r(ctx));
    GEOSWKTWriter_setTrim_r(ctx, writer.get(), 1);
    if (decimals >= 0) {
        GEOSWKTWriter_setRoundingPrecision_r(ctx, writer.get(), decimals);
    }
    char* text = GEOSWKTWriter_write_r(ctx, writer.get(), checked(*this, "writing WKT"));
    if (text == nullptr) {
        detail::throw_geos_error("writing WKT");
    }
    std::string out(text);
    GEOSFree_r(ctx, text);
    return out;
}

std::string Geometry::to_wkb() const {
    GEOSContextHandle_t ctx = geos_context();
    std::unique_ptr<GEOSWKBWriter, WkbWriterDeleter> writer(GEOSWKBWriter_create_r(ctx));
    std::size_t size = 0;
    unsigned char* bytes = GEOSWKBWriter_write_r(ctx, writer.get(), checked(*this, "writing WKB"), &size);
    if (bytes == nullptr) {
        detail::throw_geos_error("writing WKB");
    }
    std::string out(reinterpret_cast<const char*>(bytes), size);
    GEOSFree_r(ctx, bytes);
    return out;
}

// --- inspection -------------------------------------------------------------------

GeometryType Geometry::type() const {
    switch (GEOSGeomTypeId_r(geos_context(), checked(*this, "type"))) {
    case GEOS_POINT: return GeometryType::point;
    case GEOS_LINESTRING: return GeometryType::line_string;
    case GEOS_LINEARRING: return GeometryType::linear_ring;
    case GEOS_POLYGON: return GeometryType::polygon;
    case GEOS_MULTIPOINT: return GeometryType::multi_point;
    case GEOS_MULTILINESTRING: return GeometryType::multi_line_string;
    case GEOS_MULTIPOLYGON: return GeometryType::multi_polygon;
    default: return GeometryType::collection;
    }
}

bool Geometry::is_empty() const { return predicate(GEOSisEmpty_r(geos_context(), checked(*this, "is_empty")), "is_empty"); }

bool Geometry::is_valid() const { return predicate(GEOSisValid_r(geos_context(), checked(*this, "is_valid")), "is_valid"); }

std::string Geometry::invalid_reason() const {
    GEOSContextHandle_t ctx = geos_context();
    char* reason = GEOSisValidReason_r(ctx, checked(*this, "invalid_reason"));
    if (reason == nullptr) {
        detail::throw_geos_error("checking validity");
    }
    std::string out(reason);
    GEOSFree_r(ctx, reason);
    return out;
}

double Geometry::area() const {
    double a = 0;
    if (GEOSArea_r(geos_context(), checked(*this, "area"), &a) == 0) {
        detail::throw_geos_error("area");
    }
    return a;
}

double Geometry::length() const {
    double l = 0;
    if (GEOSLength_r(geos_context(), checked(*this, "length"), &l) == 0) {
        detail::throw_geos_error("length");
    }
    return l;
}

Box Geometry::bounds() const {
    const GEOSGeometry* g = checked(*this, "bounds");
    Box b;
    if (GEOSisEmpty_r(geos_context(), g) == 1) {
        return b;
    }
    if (GEOSGeom_getExtent_r(geos_context(), g, &b.min_x, &b.min_y, &b.max_x, &b.max_y) == 0) {
        detail::throw_geos_error("bounds");
    }
    return b;
}

XY Geometry::centroid() const {
    Geometry c = adopt(GEOSGetCentroid_r(geos_context(), checked(*this, "centroid")), "centroid");
    if (c.is_empty()) {
        throw GeometryError("centroid of an empty geometry");
    }
    return c.points().front();
}

XY Geometry::point_on_surface() const {
    Geometry c = adopt(GEOSPointOnSurface_r(geos_context(), checked(*this, "point_on_surface")), "point_on_surface");
    if (c.is_empty()) {
        throw GeometryError("point on surface of an empty geometry");
    }
    return c.points().front();
}

std::size_t Geometry::num_geometries() const {
    const int n = GEOSGetNumGeometries_r(geos_context(), checked(*this, "num_geometries"));
    if (n < 0) {
        detail::throw_geos_error("num_geometries");
    }
    return static_cast<std::size_t>(n);
}

std::size_t Geometry::num_points() const {
    const int n = GEOSGetNumCoordinates_r(geos_context(), checked(*this, "num_points"));
    if (n < 0) {
        detail::throw_geos_error("num_points");
    }
    return static_cast<std::size_t>(n);
}

Geometry Geometry::part(std::size_t i) const {
    const GEOSGeometry* g = GEOSGetGeometryN_r(geos_context(), checked(*this, "part"), static_cast<int>(i));
    if (g == nullptr) {
        detail::throw_geos_error("part");
    }
    return adopt(GEOSGeom_clone_r(geos_context(), g), "part");
}

std::vector<Geometry> Geometry::parts() const {
    std::vector<Geometry> out;
    const std::size_t n = num_geometries();
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        Geometry p = part(i);
        const GeometryType t = p.type();
        if (t == GeometryType::multi_point || t == GeometryType::multi_line_string ||
            t == GeometryType::multi_polygon || t == GeometryType::collection) {
            for (Geometry& q : p.parts()) {
                out.push_back(std::move(q));
            }
        } else if (!p.is_empty()) {
            out.push_back(std::move(p));
        }
    }
    return out;
}

std::vector<PolygonRings> Geometry::polygons() const {
    std::vector<PolygonRings> out;
    collect_plain(checked(*this, "polygons"), &out, nullptr, nullptr);
    return out;
}

std::vector<Path> Geometry::paths() const {
    std::vector<Path> out;
    collect_plain(checked(*this, "paths"), nullptr, &out, nullptr);
    return out;
}

std::vector<XY> Geometry::points() const {
    std::vector<XY> out;
    collect_plain(checked(*this, "points"), nullptr, nullptr, &out);
    return out;
}

// --- predicates -------------------------------------------------------------------

bool Geometry::intersects(const Geometry& o) const {
    return predicate(GEOSIntersects_r(geos_context(), checked(*this, "intersects"), checked(o, "intersects")), "intersects");
}
bool Geometry::contains(const Geometry& o) const {
    return predicate(GEOSContains_r(geos_context(), checked(*this, "contains"), checked(o, "contains")), "contains");
}
bool Geometry::covers(const Geometry& o) const {
    return predicate(GEOSCovers_r(geos_context(), checked(*this, "covers"), checked(o, "covers")), "covers");
}
bool Geometry::within(const Geometry& o) const {
    return predicate(GEOSWithin_r(geos_context(), checked(*this, "within"), checked(o, "within")), "within");
}
bool Geometry::touches(const Geometry& o) const {
    return predicate(GEOSTouches_r(geos_context(), checked(*this, "touches"), checked(o, "touches")), "touches");
}
bool Geometry::equals(const Geometry& o) const {
    return predicate(GEOSEquals_r(geos_context(), checked(*this, "equals"), checked(o, "equals")), "equals");
}
double Geometry::distance(const Geometry& o) const {
    double d = 0;
    if (GEOSDistance_r(geos_context(), checked(*this, "distance"), checked(o, "distance"), &d) == 0) {
        detail::throw_geos_error("distance");
    }
    return d;
}

// --- constructive -------------------------------------------------------------------

Geometry Geometry::intersection(const Geometry& o) const {
    return adopt(GEOSIntersection_r(geos_context(), checked(*this, "intersection"), checked(o, "intersection")),
                 "intersection");
}
Geometry Geometry::union_with(const Geometry& o) const {
    return adopt(GEOSUnion_r(geos_context(), checked(*this, "union"), checked(o, "union")), "union");
}
Geometry Geometry::difference(const Geometry& o) const {
    return adopt(GEOSDifference_r(geos_context(), checked(*this, "difference"), checked(o, "difference")), "difference");
}
Geometry Geometry::unary_union() const {
    return adopt(GEOSUnaryUnion_r(geos_context(), checked(*this, "unary_union")), "unary_union");
}
Geometry Geometry::buffer(double distance, int quadrant_segments) const {
    return adopt(GEOSBuffer_r(geos_context(), checked(*this, "buffer"), distance, quadrant_segments), "buffer");
}
Geometry Geometry::make_valid() const {
    GEOSContextHandle_t ctx = geos_context();
    const GEOSGeometry* g = checked(*this, "make_valid");
    const int type = GEOSGeomTypeId_r(ctx, g);
    if (type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON) {
        return adopt(GEOSMakeValid_r(ctx, g), "make_valid");
    }
    // Polygons are repaired with the "structure" method without keeping
    // collapsed parts: the default "linework" method turns the tiny
    // self-intersections of rounded boundaries (echarts outlines, Shapefiles)
    // into a polygon plus stray lines, a GeometryCollection that is no longer
    // polygonal. A polygon in must give a polygon out.
    GEOSMakeValidParams* params = GEOSMakeValidParams_create_r(ctx);
    GEOSMakeValidParams_setMethod_r(ctx, params, GEOS_MAKE_VALID_STRUCTURE);
    GEOSMakeValidParams_setKeepCollapsed_r(ctx, params, 0);
    GEOSGeometry* fixed = GEOSMakeValidWithParams_r(ctx, g, params);
    GEOSMakeValidParams_destroy_r(ctx, params);
    Geometry result = adopt(fixed, "make_valid");
    if (result.is_valid()) {
        return result;
    }
    // GEOS 3.11's structure method can return an invalid polygon for rings that run back over
    // their own edges (e.g. POLYGON((0 0,10 10,10 10,10 0,0 10,0 0,10 0,0 10,0 0)), found by
    // tests/fuzz/targets/geometry_input.cpp). The linework method re-nodes the rings; its
    // polygonal parts, unioned, are the repaired polygon. A zero buffer is the last resort only:
    // GEOS's old overlay behind buffer() leaks memory when it throws (found by the same fuzzer).
    Geometry rebuilt = adopt(GEOSMakeValid_r(ctx, g), "make_valid").polygonal_parts().unary_union();
    if (rebuilt.is_valid()) {
        return rebuilt;
    }
    return result.buffer(0.0).polygonal_parts();
}
Geometry Geometry::simplify(double tolerance) const {
    return adopt(GEOSSimplify_r(geos_context(), checked(*this, "simplify"), tolerance), "simplify");
}
Geometry Geometry::simplify_preserve_topology(double tolerance) const {
    return adopt(GEOSTopologyPreserveSimplify_r(geos_context(), checked(*this, "simplify"), tolerance), "simplify");
}
Geometry Geometry::boundary() const {
    return adopt(GEOSBoundary_r(geos_context(), checked(*this, "boundary")), "boundary");
}
Geometry Geometry::envelope() const {
    return adopt(GEOSEnvelope_r(geos_context(), checked(*this, "envelope")), "envelope");
}
Geometry Geometry::node() const { return adopt(GEOSNode_r(geos_context(), checked(*this, "node")), "node"); }
Geometry Geometry::line_merge() const {
    return adopt(GEOSLineMerge_r(geos_context(), checked(*this, "line_merge")), "line_merge");
}
Geometry Geometry::normalized() const {
    Geometry copy(*this);
    if (GEOSNormalize_r(geos_context(), static_cast<GEOSGeometry*>(copy.m_ptr)) == -1) {
        detail::throw_geos_error("normalize");
    }
    return copy;
}

Geometry Geometry::polygonal_parts() const {
    std::vector<Geometry> polys;
    for (Geometry& p : parts()) {
        if (p.type() == GeometryType::polygon) {
            polys.push_back(std::move(p));
        }
    }
    if (polys.empty()) {
        return empty_polygon();
    }
    if (polys.size() == 1) {
        return std::move(polys.front());
    }
    return collect(std::move(polys));
}

namespace {
int transform_callback(double* x, double* y, void* userdata) {
    const auto& f = *static_cast<const std::function<void(double&, double&)>*>(userdata);
    f(*x, *y);
    return 1;
}
} // namespace

Geometry Geometry::transformed(const std::function<void(double& x, double& y)>& f) const {
    // The callback may throw (a failed CRS transform): GEOS is C and must not
    // see the exception, so it is caught here and rethrown after GEOS returns.
    std::exception_ptr failure;
    std::function<void(double&, double&)> guarded = [&](double& x, double& y) {
        if (failure) {
            return;
        }
        try {
            f(x, y);
        } catch (...) {
            failure = std::current_exception();
        }
    };
    GEOSGeometry* g = GEOSGeom_transformXY_r(geos_context(), checked(*this, "transform"), &transform_callback, &guarded);
    if (failure) {
        if (g != nullptr) {
            GEOSGeom_destroy_r(geos_context(), g);
        }
        std::rethrow_exception(failure);
    }
    return adopt(g, "transform");
}

} // namespace geo::core
