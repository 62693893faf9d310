#pragma once
// geo::core::Geometry: an owning, RAII handle over one GEOS geometry.
//
// All GEOS work goes through the reentrant C API (geos_c.h, *_r functions)
// with one context handle per thread (see detail/context.hpp). No GEOS
// pointer is visible to users of this header: geometry enters as WKT, WKB or
// plain coordinates and leaves the same way.

#include "geo/core/coords.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace geo::core {

enum class GeometryType {
    point,
    line_string,
    linear_ring,
    polygon,
    multi_point,
    multi_line_string,
    multi_polygon,
    collection,
};

[[nodiscard]] const char* to_string(GeometryType type) noexcept;

namespace detail {
struct GeosGeometryAccess; // lets other libgeo modules reach the GEOS pointer
}

class Geometry {
public:
    /// A null geometry: holds nothing; most operations throw on it.
    Geometry() noexcept = default;
    ~Geometry();
    Geometry(const Geometry& other);            ///< deep copy
    Geometry& operator=(const Geometry& other); ///< deep copy
    Geometry(Geometry&& other) noexcept;
    Geometry& operator=(Geometry&& other) noexcept;

    // --- construction -----------------------------------------------------
    static Geometry from_wkt(std::string_view wkt);
    static Geometry from_wkb(std::span<const std::uint8_t> wkb);
    static Geometry from_wkb(std::string_view wkb);
    static Geometry point(XY p);
    static Geometry line_string(const Path& path);
    /// rings[0] is the shell; rings are closed automatically when open.
    static Geometry polygon(const std::vector<Path>& rings);
    static Geometry box(const Box& box);
    static Geometry empty_polygon();
    /// A multi-geometry when all parts share a type, else a collection.
    static Geometry collect(std::vector<Geometry> parts);
    /// Union of many geometries at once (cascaded).
    static Geometry union_all(std::vector<Geometry> parts);
    /// Polygons formed by a set of noded lines (GEOSPolygonize).
    static Geometry polygonize(const std::vector<Geometry>& lines);

    // --- output -------------------------------------------------------------
    [[nodiscard]] std::string to_wkt(int decimals = -1) const;
    [[nodiscard]] std::string to_wkb() const;

    // --- inspection ---------------------------------------------------------
    [[nodiscard]] bool is_null() const noexcept { return m_ptr == nullptr; }
    explicit operator bool() const noexcept { return m_ptr != nullptr; }
    [[nodiscard]] GeometryType type() const;
    [[nodiscard]] bool is_empty() const;
    [[nodiscard]] bool is_valid() const;
    /// Why GEOS considers the geometry invalid ("Valid Geometry" when valid).
    [[nodiscard]] std::string invalid_reason() const;
    [[nodiscard]] double area() const;
    [[nodiscard]] double length() const;
    [[nodiscard]] Box bounds() const;
    [[nodiscard]] XY centroid() const;
    [[nodiscard]] XY point_on_surface() const;
    [[nodiscard]] std::size_t num_geometries() const;
    [[nodiscard]] std::size_t num_points() const;
    /// Copy of the i-th part of a multi-geometry (the geometry itself for i=0 of a single).
    [[nodiscard]] Geometry part(std::size_t i) const;
    /// Every single-part component (a polygon yields itself, a multi yields its parts).
    [[nodiscard]] std::vector<Geometry> parts() const;

    // --- plain coordinates ---------------------------------------------------
    [[nodiscard]] std::vector<PolygonRings> polygons() const; ///< polygonal parts
    [[nodiscard]] std::vector<Path> paths() const;            ///< lineal parts
    [[nodiscard]] std::vector<XY> points() const;             ///< puntal parts

    // --- predicates -----------------------------------------------------------
    [[nodiscard]] bool intersects(const Geometry& other) const;
    [[nodiscard]] bool contains(const Geometry& other) const;
    [[nodiscard]] bool covers(const Geometry& other) const;
    [[nodiscard]] bool within(const Geometry& other) const;
    [[nodiscard]] bool touches(const Geometry& other) const;
    [[nodiscard]] bool equals(const Geometry& other) const; ///< topological equality
    [[nodiscard]] double distance(const Geometry& other) const;

    // --- constructive operations (each returns a new geometry) ---------------
    [[nodiscard]] Geometry intersection(const Geometry& other) const;
    [[nodiscard]] Geometry union_with(const Geometry& other) const;
    [[nodiscard]] Geometry difference(const Geometry& other) const;
    [[nodiscard]] Geometry unary_union() const;
    [[nodiscard]] Geometry buffer(double distance, int quadrant_segments = 8) const;
    [[nodiscard]] Geometry make_valid() const;
    [[nodiscard]] Geometry simplify(double tolerance) const;          ///< Douglas-Peucker
    [[nodiscard]] Geometry simplify_preserve_topology(double tolerance) const;
    [[nodiscard]] Geometry boundary() const;
    [[nodiscard]] Geometry envelope() const;
    [[nodiscard]] Geometry node() const; ///< node a set of lines at every crossing
    [[nodiscard]] Geometry line_merge() const;
    [[nodiscard]] Geometry normalized() const;
    /// Keep only the polygonal parts (drops points/lines a repair or overlay may leave).
    [[nodiscard]] Geometry polygonal_parts() const;
    /// Apply f to every coordinate (used for CRS transforms).
    [[nodiscard]] Geometry transformed(const std::function<void(double& x, double& y)>& f) const;

private:
    friend struct detail::GeosGeometryAccess;
    explicit Geometry(void* ptr) noexcept : m_ptr(ptr) {}
    void* m_ptr = nullptr; // GEOSGeometry*, owned
};

} // namespace geo::core
