#include "geo/tile/clip.hpp"

#include "geo/core/error.hpp"

#include <algorithm>
#include <cmath>

namespace geo::tile {

namespace {

struct DPoint {
    double x;
    double y;
};

// One Sutherland-Hodgman pass against an axis-aligned half plane.
// axis 0 = x, 1 = y; keep values >= bound when keep_above, else <= bound.
void clip_ring_pass(const std::vector<DPoint>& in, std::vector<DPoint>& out, int axis, double bound, bool keep_above) {
    out.clear();
    if (in.empty()) {
        return;
    }
    out.reserve(in.size() + 4);
    auto coord = [axis](const DPoint& p) { return axis == 0 ? p.x : p.y; };
    auto inside = [&](const DPoint& p) { return keep_above ? coord(p) >= bound : coord(p) <= bound; };
    auto cut = [&](const DPoint& a, const DPoint& b) {
        const double t = (bound - coord(a)) / (coord(b) - coord(a));
        return axis == 0 ? DPoint{bound, a.y + (b.y - a.y) * t} : DPoint{a.x + (b.x - a.x) * t, bound};
    };
    DPoint prev = in.back();
    bool prev_in = inside(prev);
    for (const DPoint& cur : in) {
        const bool cur_in = inside(cur);
        if (cur_in) {
            if (!prev_in) {
                out.push_back(cut(prev, cur));
            }
            out.push_back(cur);
        } else if (prev_in) {
            out.push_back(cut(prev, cur));
        }
        prev = cur;
        prev_in = cur_in;
    }
}

std::int32_t round_to_int(double v) {
    return static_cast<std::int32_t>(std::lround(v));
}

struct IBox {
    std::int64_t min_x, min_y, max_x, max_y;
};

IBox bbox(const TilePath& path) {
    IBox b{INT64_MAX, INT64_MAX, INT64_MIN, INT64_MIN};
    for (const auto& p : path) {
        b.min_x = std::min<std::int64_t>(b.min_x, p.x);
        b.min_y = std::min<std::int64_t>(b.min_y, p.y);
        b.max_x = std::max<std::int64_t>(b.max_x, p.x);
        b.max_y = std::max<std::int64_t>(b.max_y, p.y);
    }
    return b;
}

// Clip a ring; returns an empty path when nothing is left.
TilePath clip_ring(const TilePath& ring, std::int32_t lo, std::int32_t hi) {
    if (ring.empty()) {
        return {};
    }
    const IBox b = bbox(ring);
    if (b.min_x >= lo && b.max_x <= hi && b.min_y >= lo && b.max_y <= hi) {
        return ring;
    }
    if (b.max_x < lo || b.min_x > hi || b.max_y < lo || b.min_y > hi) {
        return {};
    }
    // Two scratch buffers per thread, reused by every ring clipped.
    thread_local std::vector<DPoint> pts;
    thread_local std::vector<DPoint> tmp;
    pts.clear();
    for (const auto& p : ring) {
        pts.push_back({static_cast<double>(p.x), static_cast<double>(p.y)});
    }
    clip_ring_pass(pts, tmp, 0, lo, true);
    clip_ring_pass(tmp, pts, 0, hi, false);
    clip_ring_pass(pts, tmp, 1, lo, true);
    clip_ring_pass(tmp, pts, 1, hi, false);
    TilePath out;
    out.reserve(pts.size());
    for (const DPoint& p : pts) {
        const TilePoint q{round_to_int(p.x), round_to_int(p.y)};
        if (out.empty() || out.back() != q) {
            out.push_back(q);
        }
    }
    while (out.size() > 1 && out.back() == out.front()) {
        out.pop_back();
    }
    if (out.size() < 3 || ring_area2(out) == 0) {
        return {};
    }
    return out;
}

// Liang-Barsky on one segment: the part of a->b inside the box, if any.
bool clip_segment(DPoint& a, DPoint& b, double lo, double hi) {
    double t0 = 0.0;
    double t1 = 1.0;
    const double dx = b.x - a.x;
    const double dy = b.y - a.y;
    const double p[4] = {-dx, dx, -dy, dy};
    const double q[4] = {a.x - lo, hi - a.x, a.y - lo, hi - a.y};
    for (int i = 0; i < 4; ++i) {
        if (p[i] == 0) {
            if (q[i] < 0) {
                return false;
            }
            continue;
        }
        const double t = q[i] / p[i];
        if (p[i] < 0) {
            t0 = std::max(t0, t);
        } else {
            t1 = std::min(t1, t);
        }
        if (t0 > t1) {
            return false;
        }
    }
    const DPoint na{a.x + t0 * dx, a.y + t0 * dy};
    const DPoint nb{a.x + t1 * dx, a.y + t1 * dy};
    a = na;
    b = nb;
    return true;
}

void clip_line(const TilePath& line, std::int32_t lo, std::int32_t hi, std::vector<TilePath>& out) {
    if (line.size() < 2) {
        return;
    }
    const IBox b = bbox(line);
    if (b.min_x >= lo && b.max_x <= hi && b.min_y >= lo && b.max_y <= hi) {
        out.push_back(line);
        return;
    }
    if (b.max_x < lo || b.min_x > hi || b.max_y < lo || b.min_y > hi) {
        return;
    }
    TilePath current;
    auto flush = [&] {
        if (current.size() >= 2) {
            out.push_back(std::move(current));
        }
        current.clear();
    };
    for (std::size_t i = 0; i + 1 < line.size(); ++i) {
        DPoint a{static_cast<double>(line[i].x), static_cast<double>(line[i].y)};
        DPoint c{static_cast<double>(line[i + 1].x), static_cast<double>(line[i + 1].y)};
        if (!clip_segment(a, c, lo, hi)) {
            flush();
            continue;
        }
        const TilePoint pa{round_to_int(a.x), round_to_int(a.y)};
        const TilePoint pc{round_to_int(c.x), round_to_int(c.y)};
        if (!current.empty() && current.back() != pa) {
            flush(); // the line left the box and came back
        }
        if (current.empty() || current.back() != pa) {
            current.push_back(pa);
        }
        if (current.back() != pc) {
            current.push_back(pc);
        }
        if (line[i + 1] != pc) {
            flush(); // the segment was cut at its end: the line leaves here
        }
    }
    flush();
}

} // namespace

TileGeometry clip_geometry(const TileGeometry& g, std::int32_t lo, std::int32_t hi) {
    TileGeometry out;
    out.type = g.type;
    for (const TilePoint& p : g.points) {
        // Half-open, so that with no buffer every point lands in exactly one tile.
        if (p.x >= lo && p.x < hi && p.y >= lo && p.y < hi) {
            out.points.push_back(p);
        }
    }
    for (const TilePath& line : g.lines) {
        clip_line(line, lo, hi, out.lines);
    }
    for (const TilePolygon& polygon : g.polygons) {
        if (polygon.rings.empty()) {
            continue;
        }
        TilePath exterior = clip_ring(polygon.rings.front(), lo, hi);
        if (exterior.empty()) {
            continue;
        }
        TilePolygon clipped;
        clipped.rings.push_back(std::move(exterior));
        for (std::size_t i = 1; i < polygon.rings.size(); ++i) {
            TilePath hole = clip_ring(polygon.rings[i], lo, hi);
            if (!hole.empty()) {
                clipped.rings.push_back(std::move(hole));
            }
        }
        out.polygons.push_back(std::move(clipped));
    }
    return out;
}

TileGeometry to_tile_geometry(const core::Geometry& metres, const TileId& tile, const ClipOptions& options) {
    if (!tile.valid()) {
        throw InputError("tile " + tile.to_string() + " is outside the pyramid");
    }
    TileGeometry g;
    if (metres.is_null() || metres.is_empty()) {
        return g;
    }
    const double ox = static_cast<double>(tile.x) * options.extent;
    const double oy = static_cast<double>(tile.y) * options.extent;
    auto to_tile = [&](const core::XY& m) {
        const core::XY w = mercator_to_world(m, tile.z, options.extent);
        // Clamp before converting: far-away coordinates cannot overflow int32.
        const double lim = 1 << 30;
        return TilePoint{round_to_int(std::clamp(w.x - ox, -lim, lim)), round_to_int(std::clamp(w.y - oy, -lim, lim))};
    };
    auto to_path = [&](const core::Path& path) {
        TilePath out;
        out.reserve(path.size());
        for (const auto& p : path) {
            out.push_back(to_tile(p));
        }
        return out;
    };
    const auto polygons = metres.polygons();
    if (!polygons.empty()) {
        g.type = GeomType::polygon;
        for (const auto& poly : polygons) {
            TilePolygon tp;
            for (const auto& ring : poly.rings) {
                tp.rings.push_back(to_path(ring));
            }
            g.polygons.push_back(std::move(tp));
        }
    } else if (auto paths = metres.paths(); !paths.empty()) {
        g.type = GeomType::linestring;
        for (const auto& p : paths) {
            g.lines.push_back(to_path(p));
        }
    } else {
        g.type = GeomType::point;
        for (const auto& p : metres.points()) {
            g.points.push_back(to_tile(p));
        }
    }
    const auto buffer = static_cast<std::int32_t>(options.buffer);
    TileGeometry clipped = clip_geometry(g, -buffer, static_cast<std::int32_t>(options.extent) + buffer);
    if (clipped.empty()) {
        clipped.type = g.type;
    }
    return clipped;
}

} // namespace geo::tile
