#include "geo/crs/transformer.hpp"

#include "crs/proj.hpp"
#include "geo/core/error.hpp"
#include "geo/crs/gcj02.hpp"

#include <proj.h>

#include <cmath>
#include <map>
#include <mutex>
#include <sstream>
#include <utility>

namespace geo::crs {

namespace {

using core::Box;
using core::XY;

// Points per box edge. GDAL's default is 21; with 101 the extremes a curved
// edge reaches between samples are missed by centimetres, not decimetres,
// for city-sized boxes, at a cost of 404 point transforms.
constexpr int densify_points = 101;

// One step between WGS 84 lon/lat (Pseudo::none) and a pseudo-CRS, taking
// the direct formula between gcj02 and bd09 rather than a detour.
XY convert_pseudo(Pseudo from, Pseudo to, XY p) {
    switch (from) {
    case Pseudo::none:
        switch (to) {
        case Pseudo::none: return p;
        case Pseudo::gcj02: return wgs84_to_gcj02(p);
        case Pseudo::bd09: return wgs84_to_bd09(p);
        }
        break;
    case Pseudo::gcj02:
        switch (to) {
        case Pseudo::none: return gcj02_to_wgs84(p);
        case Pseudo::gcj02: return p;
        case Pseudo::bd09: return gcj02_to_bd09(p);
        }
        break;
    case Pseudo::bd09:
        switch (to) {
        case Pseudo::none: return bd09_to_wgs84(p);
        case Pseudo::gcj02: return bd09_to_gcj02(p);
        case Pseudo::bd09: return p;
        }
        break;
    }
    return p;
}

// The box around f(edge points): good for smooth maps (the pseudo-CRS
// offsets, and the PROJ fallback).
template <typename F> Box densified_bounds(const Box& b, F f) {
    Box out;
    for (int i = 0; i < densify_points; ++i) {
        const double t = static_cast<double>(i) / (densify_points - 1);
        const double x = b.min_x + t * (b.max_x - b.min_x);
        const double y = b.min_y + t * (b.max_y - b.min_y);
        out.expand(f(XY{x, b.min_y}));
        out.expand(f(XY{x, b.max_y}));
        out.expand(f(XY{b.min_x, y}));
        out.expand(f(XY{b.max_x, y}));
    }
    return out;
}

std::string format_point(XY p) {
    std::ostringstream s;
    s.precision(12);
    s << '(' << p.x << ' ' << p.y << ')';
    return s.str();
}

// Finding the operation between two CRS can take PROJ a third of a second
// (WGS 84 → CGCS2000 searches every pivot datum), so each pair is resolved
// once per process and every Transformer gets a clone (proj_clone, ~0.2 ms)
// bound to its own context. The cache's context is used only under m_mutex.
class OperationCache {
  public:
    static OperationCache& instance() {
        static OperationCache cache;
        return cache;
    }

    /// The normalised operation from → to, cloned into `ctx`.
    detail::PjPtr clone_into(detail::ProjContext& ctx, const Crs& from, const Crs& to) {
        const std::lock_guard lock(m_mutex);
        auto key = std::make_pair(from.definition(), to.definition());
        auto it = m_operations.find(key);
        if (it == m_operations.end()) {
            it = m_operations.emplace(std::move(key), create_operation(m_ctx, from, to)).first;
        }
        detail::PjPtr clone(proj_clone(ctx.get(), it->second.get()));
        if (!clone) {
            // proj_clone does not handle every kind of operation: build it
            // again in the caller's context (slower, same result).
            return create_operation(ctx, from, to);
        }
        return clone;
    }

    /// proj_create_crs_to_crs, normalised to lon/lat, easting/northing order.
    static detail::PjPtr create_operation(detail::ProjContext& ctx, const Crs& from, const Crs& to) {
        const std::string route = "from " + from.label() + " to " + to.label();
        const detail::PjPtr source = detail::create(ctx, from.definition(), from.label());
        const detail::PjPtr target = detail::create(ctx, to.definition(), to.label());
        ctx.clear_error();
        const detail::PjPtr op(proj_create_crs_to_crs_from_pj(ctx.get(), source.get(), target.get(), nullptr, nullptr));
        if (!op) {
            throw CrsError("no transformation " + route + ": " + ctx.last_error(), {},
                           "check both CRS; a datum shift grid may be missing (PROJ_NETWORK=ON downloads grids)");
        }
        // EPSG:4326 and many projected CRS are lat/lon or northing/easting
        // in the registry; libgeo always works in lon/lat, easting/northing.
        detail::PjPtr normalized(proj_normalize_for_visualization(ctx.get(), op.get()));
        if (!normalized) {
            throw CrsError("cannot normalise the axis order of the transformation " + route + ": " + ctx.last_error());
        }
        return normalized;
    }

  private:
    OperationCache() = default;

    std::mutex m_mutex;
    detail::ProjContext m_ctx;
    // Declared after m_ctx: the operations are destroyed before their context.
    std::map<std::pair<std::string, std::string>, detail::PjPtr> m_operations;
};

} // namespace

struct Transformer::Impl {
    Crs from;
    Crs to;
    Pseudo pre = Pseudo::none;  // applied before PROJ: from's pseudo-CRS → WGS 84
    Pseudo post = Pseudo::none; // applied after PROJ: WGS 84 → to's pseudo-CRS
    bool identity = false;
    // Declared before `op`: the PJ must be destroyed before its context.
    std::unique_ptr<detail::ProjContext> ctx;
    detail::PjPtr op; // null when the PROJ part is the identity

    Impl(const Crs& f, const Crs& t) : from(f), to(t), pre(f.pseudo()), post(t.pseudo()) {}

    XY run_proj(XY p, PJ_DIRECTION direction) const {
        PJ_COORD c = proj_coord(p.x, p.y, 0.0, HUGE_VAL);
        proj_errno_reset(op.get());
        c = proj_trans(op.get(), direction, c);
        if (!std::isfinite(c.xy.x) || !std::isfinite(c.xy.y) || c.xy.x == HUGE_VAL || c.xy.y == HUGE_VAL) {
            const int err = proj_errno(op.get());
            const char* reason = err != 0 ? proj_context_errno_string(ctx->get(), err) : nullptr;
            const Crs& a = direction == PJ_FWD ? from : to;
            const Crs& b = direction == PJ_FWD ? to : from;
            throw CrsError("cannot transform point " + format_point(p) + " from " + a.label() + " to " + b.label() +
                               (reason != nullptr ? std::string(": ") + reason : std::string()),
                           {}, "the point lies outside the area the CRS can represent; check the source CRS (--crs)");
        }
        return {c.xy.x, c.xy.y};
    }

    XY forward(XY p) const {
        if (identity) {
            return p;
        }
        if (!op) {
            return convert_pseudo(pre, post, p);
        }
        return convert_pseudo(Pseudo::none, post, run_proj(convert_pseudo(pre, Pseudo::none, p), PJ_FWD));
    }

    XY backward(XY p) const {
        if (identity) {
            return p;
        }
        if (!op) {
            return convert_pseudo(post, pre, p);
        }
        return convert_pseudo(Pseudo::none, pre, run_proj(convert_pseudo(post, Pseudo::none, p), PJ_INV));
    }

    Box proj_bounds(const Box& b) const {
        Box out;
        ctx->clear_error();
        if (proj_trans_bounds(ctx->get(), op.get(), PJ_FWD, b.min_x, b.min_y, b.max_x, b.max_y, &out.min_x, &out.min_y,
                              &out.max_x, &out.max_y, densify_points) == 0) {
            // PROJ refuses some boxes (partly outside the projection's domain);
            // the edge points can still tell, or name the failing point.
            return densified_bounds(b, [this](XY p) { return run_proj(p, PJ_FWD); });
        }
        return out;
    }
};

Transformer::Transformer(const Crs& from, const Crs& to) : m_impl(std::make_unique<Impl>(from, to)) {
    Impl& im = *m_impl;
    if (from == to) {
        im.identity = true;
        return;
    }
    // The PROJ part runs between the real CRS behind each side: WGS 84 for
    // a pseudo-CRS. When those are the same, only the offsets remain.
    const Crs proj_from = im.pre != Pseudo::none ? Crs::wgs84() : from;
    const Crs proj_to = im.post != Pseudo::none ? Crs::wgs84() : to;
    if (proj_from == proj_to) {
        return;
    }
    im.ctx = std::make_unique<detail::ProjContext>();
    im.op = OperationCache::instance().clone_into(*im.ctx, proj_from, proj_to);
}

Transformer::~Transformer() = default;
Transformer::Transformer(Transformer&& other) noexcept = default;
Transformer& Transformer::operator=(Transformer&& other) noexcept = default;

core::XY Transformer::transform(core::XY p) const {
    return m_impl->forward(p);
}

core::XY Transformer::inverse(core::XY p) const {
    return m_impl->backward(p);
}

core::Geometry Transformer::transform(const core::Geometry& g) const {
    if (g.is_null() || m_impl->identity) {
        return g;
    }
    return g.transformed([this](double& x, double& y) {
        const XY out = m_impl->forward({x, y});
        x = out.x;
        y = out.y;
    });
}

core::Box Transformer::transform_bounds(const core::Box& b) const {
    const Impl& im = *m_impl;
    if (b.empty() || im.identity) {
        return b;
    }
    if (!im.op) {
        return densified_bounds(b, [&im](XY p) { return convert_pseudo(im.pre, im.post, p); });
    }
    Box box = b;
    if (im.pre != Pseudo::none) {
        box = densified_bounds(box, [&im](XY p) { return convert_pseudo(im.pre, Pseudo::none, p); });
    }
    box = im.proj_bounds(box);
    if (im.post != Pseudo::none) {
        box = densified_bounds(box, [&im](XY p) { return convert_pseudo(Pseudo::none, im.post, p); });
    }
    return box;
}

bool Transformer::is_identity() const {
    return m_impl->identity;
}

const Crs& Transformer::source() const {
    return m_impl->from;
}

const Crs& Transformer::target() const {
    return m_impl->to;
}

} // namespace geo::crs
