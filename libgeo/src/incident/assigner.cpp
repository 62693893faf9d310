#include "geo/incident/assigner.hpp"

#include "geo/core/detail/geos.hpp"
#include "geo/core/error.hpp"

#include <algorithm>
#include <cstdint>

namespace geo::incident {

// Raw GEOS (through geo/core/detail) rather than core::StrTree and
// core::PreparedGeometry: one point geometry per query serves both the tree
// and the prepared test, and the tree callback is a plain function (see the
// assignment numbers in docs/benchmarks.md).
struct GridAssigner::Impl {
    std::vector<Grid> grids;                           // sorted by code
    std::vector<core::Box> boxes;                      // same order
    std::vector<const GEOSPreparedGeometry*> prepared; // same order, owned
    std::vector<GEOSGeometry*> envelopes;              // referenced by the tree, owned
    GEOSSTRtree* tree = nullptr;                       // item = index into grids
    mutable std::vector<std::size_t> candidates;

    Impl() = default;
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;
    Impl(Impl&&) = delete;
    Impl& operator=(Impl&&) = delete;
    ~Impl() {
        const auto ctx = core::detail::geos_context();
        if (tree != nullptr) {
            GEOSSTRtree_destroy_r(ctx, tree);
        }
        for (const auto* p : prepared) {
            GEOSPreparedGeom_destroy_r(ctx, p);
        }
        for (auto* e : envelopes) {
            GEOSGeom_destroy_r(ctx, e);
        }
    }
};

namespace {
void collect(void* item, void* userdata) {
    static_cast<std::vector<std::size_t>*>(userdata)->push_back(
        static_cast<std::size_t>(reinterpret_cast<std::uintptr_t>(item)));
}
} // namespace

GridAssigner::GridAssigner(std::vector<Grid> grids) : m_impl(std::make_unique<Impl>()) {
    std::sort(grids.begin(), grids.end(), [](const Grid& a, const Grid& b) { return a.code < b.code; });
    for (std::size_t i = 0; i < grids.size(); ++i) {
        const ErrorContext ctx{{}, "grids", static_cast<std::int64_t>(i)};
        if (grids[i].code.empty()) {
            throw InputError("a grid has an empty code", ctx, "every grid needs its code");
        }
        if (i > 0 && grids[i].code == grids[i - 1].code) {
            throw InputError("grid code '" + grids[i].code + "' appears twice", ctx, "grid codes must be unique");
        }
        auto& g = grids[i].geometry;
        if (g.is_null() || g.is_empty()) {
            throw InputError("grid '" + grids[i].code + "' has no geometry", ctx);
        }
        const auto type = g.type();
        if (type != core::GeometryType::polygon && type != core::GeometryType::multi_polygon) {
            g = g.polygonal_parts();
            if (g.is_empty()) {
                throw InputError("grid '" + grids[i].code + "' is not a polygon (" + core::to_string(type) + ")", ctx);
            }
        }
        if (!g.is_valid()) {
            g = g.make_valid().polygonal_parts();
        }
    }
    auto& im = *m_impl;
    const auto ctx = core::detail::geos_context();
    im.grids = std::move(grids);
    im.tree = GEOSSTRtree_create_r(ctx, 10);
    if (im.tree == nullptr) {
        core::detail::throw_geos_error("creating the grid STRtree");
    }
    for (std::size_t i = 0; i < im.grids.size(); ++i) {
        const GEOSGeometry* g = core::detail::geos_ptr(im.grids[i].geometry);
        im.boxes.push_back(im.grids[i].geometry.bounds());
        GEOSGeometry* env = GEOSEnvelope_r(ctx, g);
        if (env == nullptr) {
            core::detail::throw_geos_error("grid envelope");
        }
        im.envelopes.push_back(env);
        GEOSSTRtree_insert_r(ctx, im.tree, env, reinterpret_cast<void*>(static_cast<std::uintptr_t>(i)));
        const GEOSPreparedGeometry* p = GEOSPrepare_r(ctx, g);
        if (p == nullptr) {
            core::detail::throw_geos_error("preparing a grid");
        }
        im.prepared.push_back(p);
    }
    // Pack the tree now (GEOS 3.11 builds it on the first query).
    if (!im.grids.empty()) {
        im.candidates.clear();
        const core::XY c = im.boxes.front().center();
        (void)assign(c);
    }
}

GridAssigner::~GridAssigner() = default;
GridAssigner::GridAssigner(GridAssigner&&) noexcept = default;
GridAssigner& GridAssigner::operator=(GridAssigner&&) noexcept = default;

Assignment GridAssigner::assign(core::XY point) const {
    auto& im = *m_impl;
    const auto ctx = core::detail::geos_context();
    GEOSGeometry* pt = GEOSGeom_createPointFromXY_r(ctx, point.x, point.y);
    if (pt == nullptr) {
        core::detail::throw_geos_error("creating a point");
    }
    im.candidates.clear();
    GEOSSTRtree_query_r(ctx, im.tree, pt, &collect, &im.candidates);
    // Smallest code wins on shared edges: candidates in index (= code) order.
    std::sort(im.candidates.begin(), im.candidates.end());
    Assignment result;
    for (const std::size_t id : im.candidates) {
        if (!im.boxes[id].contains(point)) {
            continue;
        }
        // For a point, intersects == covers (boundary included).
        const char r = GEOSPreparedIntersects_r(ctx, im.prepared[id], pt);
        if (r == 2) {
            GEOSGeom_destroy_r(ctx, pt);
            core::detail::throw_geos_error("point in grid");
        }
        if (r == 1) {
            result.grid = id;
            break;
        }
    }
    GEOSGeom_destroy_r(ctx, pt);
    return result;
}

std::vector<Assignment> GridAssigner::assign_all(const std::vector<core::XY>& points) const {
    std::vector<Assignment> out;
    out.reserve(points.size());
    for (const auto& p : points) {
        out.push_back(assign(p));
    }
    return out;
}

const std::vector<Grid>& GridAssigner::grids() const noexcept {
    return m_impl->grids;
}
std::size_t GridAssigner::size() const noexcept {
    return m_impl->grids.size();
}

} // namespace geo::incident
