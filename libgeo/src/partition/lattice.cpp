// The weight-adaptive lattice: a quadtree over square roots, refined where the
// weight is dense. Why: with a uniform lattice, an atom in a dense core can
// weigh a quarter of a narrow band, and balancing grids then takes many
// shape-destroying moves (docs/benchmarks.md); small squares where people live
// and large ones where nobody does keep every atom light at about the same
// atom count.
#include "lattice.hpp"

#include "geo/core/detail/geos.hpp"
#include "geo/core/strtree.hpp"
#include "point_in_polygon.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>

namespace geo::partition::detail {
namespace {

using core::Box;
using core::Geometry;
using core::XY;

// Levels of the quadtree below the root: root side / 2^depth ≥ min side.
int depth_for(const LatticeRule& rule) {
    int depth = 0;
    double side = rule.root_side;
    while (depth < 30 && side / 2 >= rule.min_side * (1 - 1e-9)) {
        side /= 2;
        ++depth;
    }
    return depth;
}

// Polygon weights in the split decision: weight × the share of the polygon's
// bounding box that the cell covers. Cheap, and exact enough to decide where
// to refine; atoms get their exact areal shares afterwards.
class PolygonEstimate {
  public:
    explicit PolygonEstimate(const std::vector<WeightPolygon>& polygons) : m_polygons(polygons) {
        for (const WeightPolygon& wp : polygons) {
            m_tree.insert(wp.geometry.is_null() ? Box{} : wp.geometry.bounds());
        }
        m_tree.build();
    }

    double in(const Box& cell) {
        if (m_polygons.empty()) {
            return 0.0;
        }
        double sum = 0.0;
        m_tree.query(cell, [&](std::size_t id) {
            const Box& b = m_tree.box(id);
            const double area = b.width() * b.height();
            if (area <= 0.0) {
                return;
            }
            const double w = std::min(b.max_x, cell.max_x) - std::max(b.min_x, cell.min_x);
            const double h = std::min(b.max_y, cell.max_y) - std::max(b.min_y, cell.min_y);
            if (w > 0 && h > 0) {
                sum += m_polygons[id].weight * w * h / area;
            }
        });
        return sum;
    }

  private:
    const std::vector<WeightPolygon>& m_polygons;
    core::StrTree m_tree;
};

// Builds a LatticePlan: points bucketed by root, then each root split into
// quadrants while it is heavier than the rule allows.
class Planner {
  public:
    Planner(const Box& bounds, const LatticeRule& rule, const Weights& weights)
        : m_rule(rule), m_weights(weights), m_polygons(weights.polygons) {
        m_plan.depth = depth_for(rule);
        m_plan.unit = rule.root_side / static_cast<double>(std::int64_t{1} << m_plan.depth);
        m_plan.x0 = std::floor(bounds.min_x / rule.root_side) * rule.root_side;
        m_plan.y0 = std::floor(bounds.min_y / rule.root_side) * rule.root_side;
        m_plan.nx = static_cast<std::int64_t>(std::max(1.0, std::ceil((bounds.max_x - m_plan.x0) / rule.root_side)));
        m_plan.ny = static_cast<std::int64_t>(std::max(1.0, std::ceil((bounds.max_y - m_plan.y0) / rule.root_side)));
        m_bounds = bounds;
    }

    LatticePlan run() {
        const std::vector<std::uint32_t> root_start = bucket_roots();
        const std::int64_t root = std::int64_t{1} << m_plan.depth;
        for (std::int64_t ry = 0; ry < m_plan.ny; ++ry) {
            for (std::int64_t rx = 0; rx < m_plan.nx; ++rx) {
                const auto r = static_cast<std::size_t>(ry * m_plan.nx + rx);
                visit({rx * root, ry * root, root, root_start[r], root_start[r + 1]}, m_plan.depth);
            }
        }
        return std::move(m_plan);
    }

  private:
    // Unit column of x, clamped to the frame (points on the far edge go to the last cell).
    std::int64_t unit_index(double v, double origin, std::int64_t roots) const {
        const double cells = static_cast<double>(roots << m_plan.depth);
        return static_cast<std::int64_t>(std::clamp(std::floor((v - origin) / m_plan.unit), 0.0, cells - 1));
    }

    // Unit coordinates of every point inside the bounds, and the points
    // ordered by root (counting sort, stable). Returns where each root starts.
    std::vector<std::uint32_t> bucket_roots() {
        const std::size_t roots = static_cast<std::size_t>(m_plan.nx * m_plan.ny);
        std::vector<std::uint32_t> start(roots + 1, 0);
        const auto& points = m_weights.points;
        m_ux.assign(points.size(), -1);
        m_uy.assign(points.size(), -1);
        std::vector<std::size_t> root_of(points.size(), roots);
        for (std::size_t p = 0; p < points.size(); ++p) {
            if (!m_bounds.contains(points[p].position)) {
                continue;
            }
            m_ux[p] = unit_index(points[p].position.x, m_plan.x0, m_plan.nx);
            m_uy[p] = unit_index(points[p].position.y, m_plan.y0, m_plan.ny);
            root_of[p] = static_cast<std::size_t>((m_uy[p] >> m_plan.depth) * m_plan.nx + (m_ux[p] >> m_plan.depth));
            start[root_of[p] + 1] += 1;
        }
        for (std::size_t r = 0; r < roots; ++r) {
            start[r + 1] += start[r];
        }
        m_plan.order.resize(start[roots]);
        std::vector<std::uint32_t> fill(start.begin(), start.end() - 1);
        for (std::size_t p = 0; p < points.size(); ++p) {
            if (root_of[p] < roots) {
                m_plan.order[fill[root_of[p]]++] = static_cast<std::uint32_t>(p);
            }
        }
        return start;
    }

    double weight_of(const LatticeCell& cell) {
        double sum = 0.0;
        for (std::uint32_t i = cell.first; i < cell.last; ++i) {
            sum += m_weights.points[m_plan.order[i]].weight;
        }
        return sum + m_polygons.in(m_plan.box(cell));
    }

    // Keep the cell, or split it into its four quadrants (SW, SE, NW, NE).
    void visit(const LatticeCell& cell, int levels_left) {
        if (levels_left == 0 || weight_of(cell) <= m_rule.split_weight) {
            m_plan.cells.push_back(cell);
            return;
        }
        const std::int64_t half = cell.size / 2;
        auto* const begin = m_plan.order.data() + cell.first;
        auto* const end = m_plan.order.data() + cell.last;
        auto* const north = std::partition(begin, end, [&](std::uint32_t p) { return m_uy[p] < cell.iy + half; });
        auto* const south_east =
            std::partition(begin, north, [&](std::uint32_t p) { return m_ux[p] < cell.ix + half; });
        auto* const north_east = std::partition(north, end, [&](std::uint32_t p) { return m_ux[p] < cell.ix + half; });
        auto at = [&](std::uint32_t* it) { return static_cast<std::uint32_t>(it - m_plan.order.data()); };
        visit({cell.ix, cell.iy, half, cell.first, at(south_east)}, levels_left - 1);
        visit({cell.ix + half, cell.iy, half, at(south_east), at(north)}, levels_left - 1);
        visit({cell.ix, cell.iy + half, half, at(north), at(north_east)}, levels_left - 1);
        visit({cell.ix + half, cell.iy + half, half, at(north_east), cell.last}, levels_left - 1);
    }

    LatticeRule m_rule;
    const Weights& m_weights;
    PolygonEstimate m_polygons;
    Box m_bounds;
    LatticePlan m_plan;
    std::vector<std::int64_t> m_ux;
    std::vector<std::int64_t> m_uy;
};

// Share of each weight polygon that falls in each atom (areal share).
void add_polygon_weights(const std::vector<Geometry>& atoms, const Weights& weights, std::vector<double>& result) {
    if (weights.polygons.empty()) {
        return;
    }
    core::StrTree tree;
    for (const Geometry& atom : atoms) {
        tree.insert(atom.bounds());
    }
    tree.build();
    for (const WeightPolygon& wp : weights.polygons) {
        if (wp.geometry.is_null() || wp.geometry.is_empty() || wp.weight == 0.0) {
            continue;
        }
        const double total_area = wp.geometry.area();
        if (total_area <= 0.0) {
            continue;
        }
        for (std::size_t id : tree.query(wp.geometry.bounds())) {
            const double a = atoms[id].intersection(wp.geometry).area();
            if (a > 0.0) {
                result[id] += wp.weight * a / total_area;
            }
        }
    }
}

// A part of an atom's boundary on a lattice line: `line` is the line's unit
// index, [lo, hi] the interval along it in metres.
struct SideSpan {
    std::int64_t line;
    double lo;
    double hi;
    std::uint32_t atom;
};

bool span_less(const SideSpan& l, const SideSpan& r) {
    return std::tie(l.line, l.lo, l.atom) < std::tie(r.line, r.lo, r.atom);
}

// Boundary spans of atoms on lattice lines, by orientation (vertical lines,
// horizontal lines) and by the side of the line the atom lies on.
struct Spans {
    std::vector<SideSpan> vertical_west; ///< the atom lies west of the line (line = its east side)
    std::vector<SideSpan> vertical_east; ///< the atom lies east of the line (line = its west side)
    std::vector<SideSpan> horizontal_south;
    std::vector<SideSpan> horizontal_north;
};

struct Link {
    std::uint32_t from;
    std::uint32_t to;
    double length;
};

// A vertex a neighbour's corner puts on an atom's side: `side` 0 = west,
// 1 = east, 2 = south, 3 = north; `at` is the position along the side.
struct Break {
    std::uint32_t atom;
    int side;
    double at;
};

bool break_less(const Break& l, const Break& r) {
    return std::tie(l.atom, l.side, l.at) < std::tie(r.atom, r.side, r.at);
}

// Neighbours along one orientation: the atoms on either side of a line share
// the overlap of their spans. Spans on one side of a line never overlap each
// other (the atoms tile the plane), so a merge of the two sorted lists finds
// every overlapping pair. A span end strictly inside the other span is a
// T-junction (cells of different sizes): it is recorded as a vertex to add,
// because GEOS's coverage union needs neighbours to share exact vertices.
// `low_side`/`high_side`: which side of its atom the line is, on either list.
void link_across(std::vector<SideSpan>& low, std::vector<SideSpan>& high, int low_side, int high_side, double eps,
                 std::vector<Link>& links, std::vector<Break>& breaks) {
    std::sort(low.begin(), low.end(), span_less);
    std::sort(high.begin(), high.end(), span_less);
    auto note_inside = [&](const SideSpan& span, int side, double at) {
        if (at > span.lo + eps && at < span.hi - eps) {
            breaks.push_back({span.atom, side, at});
        }
    };
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < low.size() && j < high.size()) {
        const SideSpan& a = low[i];
        const SideSpan& b = high[j];
        if (a.line != b.line) {
            (a.line < b.line ? i : j) += 1;
            continue;
        }
        const double overlap = std::min(a.hi, b.hi) - std::max(a.lo, b.lo);
        if (overlap > eps && a.atom != b.atom) {
            links.push_back({a.atom, b.atom, overlap});
            links.push_back({b.atom, a.atom, overlap});
            note_inside(a, low_side, b.lo);
            note_inside(a, low_side, b.hi);
            note_inside(b, high_side, a.lo);
            note_inside(b, high_side, a.hi);
        }
        (a.hi <= b.hi ? i : j) += 1;
    }
}

// Turns the plan into atoms: whole squares, clipped pieces, weights, adjacency.
class AtomBuilder {
  public:
    AtomBuilder(const Geometry& region, const core::PreparedGeometry& prepared, const Weights& weights,
                const LatticePlan& plan, bool exact_clip)
        : m_region(region), m_prepared(prepared), m_weights(weights), m_plan(plan), m_exact(exact_clip) {}

    AtomSet build() {
        m_atoms.lattice = true;
        m_atoms.region_area = m_region.area();
        mark_crossings();
        m_cell_start.reserve(m_plan.cells.size() + 1);
        for (std::size_t c = 0; c < m_plan.cells.size(); ++c) {
            m_cell_start.push_back(m_atoms.size());
            add_cell(c);
        }
        m_cell_start.push_back(m_atoms.size());
        double area_sum = 0.0;
        for (double a : m_atoms.area) {
            area_sum += a;
        }
        const double region_area = m_atoms.region_area;
        m_atoms.coverage_error = region_area > 0 ? std::abs(area_sum - region_area) / region_area : 0.0;
        if (!m_exact && m_atoms.coverage_error > 1e-9) {
            // GEOS 3.11's rectangle clipper sometimes returns the wrong side of a hole that touches
            // the cell (only the hole's sliver instead of the cell minus the hole; found by
            // tests/fuzz/targets/partition.cpp). The atoms then miss area, which this sum shows:
            // redo the clipped cells with full overlay intersections, slower but exact.
            return AtomBuilder(m_region, m_prepared, m_weights, m_plan, true).build();
        }
        weigh_points();
        add_polygon_weights(m_atoms.geometry, m_weights, m_atoms.weight);
        link_neighbours();
        return std::move(m_atoms);
    }

  private:
    static constexpr std::uint32_t whole = UINT32_MAX;

    std::size_t root_of(const LatticeCell& cell) const {
        return static_cast<std::size_t>((cell.iy >> m_plan.depth) * m_plan.nx + (cell.ix >> m_plan.depth));
    }

    // Boundary segments of the region listed under every root their box
    // touches: a cell no listed segment box touches lies wholly inside or
    // wholly outside.
    void mark_crossings() {
        const double root = m_plan.unit * static_cast<double>(std::int64_t{1} << m_plan.depth);
        auto column = [&](double v, double origin, std::int64_t count) {
            return static_cast<std::int64_t>(
                std::clamp(std::floor((v - origin) / root), 0.0, static_cast<double>(count - 1)));
        };
        m_root_segments.assign(static_cast<std::size_t>(m_plan.nx * m_plan.ny), {});
        for (const core::PolygonRings& poly : m_region.polygons()) {
            for (const core::Path& ring : poly.rings) {
                for (std::size_t k = 1; k < ring.size(); ++k) {
                    Box box;
                    box.expand(ring[k - 1]);
                    box.expand(ring[k]);
                    const auto id = static_cast<std::uint32_t>(m_segment_boxes.size());
                    m_segment_boxes.push_back(box);
                    for (std::int64_t j = column(box.min_y, m_plan.y0, m_plan.ny);
                         j <= column(box.max_y, m_plan.y0, m_plan.ny); ++j) {
                        for (std::int64_t i = column(box.min_x, m_plan.x0, m_plan.nx);
                             i <= column(box.max_x, m_plan.x0, m_plan.nx); ++i) {
                            m_root_segments[static_cast<std::size_t>(j * m_plan.nx + i)].push_back(id);
                        }
                    }
                }
            }
        }
    }

    bool crossed(const LatticeCell& cell, const Box& box) const {
        const auto& segments = m_root_segments[root_of(cell)];
        return std::any_of(segments.begin(), segments.end(),
                           [&](std::uint32_t s) { return m_segment_boxes[s].intersects(box); });
    }

    void push_atom(Geometry geometry, double area, double perimeter, XY centroid, double side, std::uint32_t piece) {
        m_atoms.geometry.push_back(std::move(geometry));
        m_atoms.area.push_back(area);
        m_atoms.perimeter.push_back(perimeter);
        m_atoms.centroid.push_back(centroid);
        m_atoms.cell_side.push_back(side);
        m_piece.push_back(piece);
        m_atom_cell.push_back(static_cast<std::uint32_t>(m_cell_start.size() - 1));
    }

    void add_cell(std::size_t c) {
        const LatticeCell& cell = m_plan.cells[c];
        const Box box = m_plan.box(cell);
        const double side = static_cast<double>(cell.size) * m_plan.unit;
        if (!crossed(cell, box)) {
            if (m_prepared.covers(box.center())) {
                push_atom(Geometry::box(box), side * side, 4 * side, box.center(), side, whole);
            }
            return;
        }
        for (Geometry& part : clip(box)) {
            if (part.is_empty() || part.area() <= 0.0) {
                continue;
            }
            const double area = part.area();
            const double length = part.length();
            const XY centroid = part.centroid();
            m_rings.push_back(part.polygons());
            push_atom(std::move(part), area, length, centroid, side, static_cast<std::uint32_t>(m_rings.size() - 1));
        }
    }

    // The region inside a cell, one valid polygon per piece.
    std::vector<Geometry> clip(const Box& box) const {
        namespace gd = core::detail;
        // GEOSClipByRect is fast but fails on some degenerate rings ("Invalid number of points in
        // LinearRing", found by tests/fuzz/targets/partition.cpp): fall back to a full intersection.
        GEOSGeometry* fast = m_exact ? nullptr
                                     : GEOSClipByRect_r(gd::geos_context(), gd::geos_ptr(m_region), box.min_x,
                                                        box.min_y, box.max_x, box.max_y);
        Geometry clipped = fast != nullptr ? gd::adopt(fast, "clipping the lattice")
                                           : m_region.intersection(Geometry::box(box)).polygonal_parts();
        // GEOSClipByRect may return invalid pieces: where a hole touches the shell at one point
        // inside the cell, the clipped ring touches itself and encloses two lobes joined only at
        // that point. Such a piece must become two atoms, or the grid holding it is two polygons
        // (found by tests/fuzz/targets/partition.cpp; kept as corpus/partition/regression-*).
        std::vector<Geometry> pieces;
        if (clipped.is_empty()) {
            return pieces;
        }
        for (Geometry& part : clipped.polygonal_parts().parts()) {
            if (part.is_valid()) {
                pieces.push_back(std::move(part));
            } else {
                for (Geometry& lobe : part.make_valid().polygonal_parts().parts()) {
                    pieces.push_back(std::move(lobe));
                }
            }
        }
        return pieces;
    }

    // Each point goes to its cell's atom: the whole square, or the clipped
    // piece containing it (on an edge: the first piece covering it, else the
    // cell's first piece, so no weight is lost to rounding).
    void weigh_points() {
        m_atoms.weight.assign(m_atoms.size(), 0.0);
        for (std::size_t c = 0; c < m_plan.cells.size(); ++c) {
            const std::size_t first = m_cell_start[c];
            const std::size_t last = m_cell_start[c + 1];
            if (first == last) {
                continue;
            }
            for (std::uint32_t i = m_plan.cells[c].first; i < m_plan.cells[c].last; ++i) {
                const WeightPoint& p = m_weights.points[m_plan.order[i]];
                m_atoms.weight[atom_holding(first, last, p.position)] += p.weight;
            }
        }
    }

    std::size_t atom_holding(std::size_t first, std::size_t last, XY position) const {
        for (std::size_t a = first; a < last; ++a) {
            if (m_piece[a] == whole || polygon_contains(m_rings[m_piece[a]], position)) {
                return a;
            }
        }
        const Geometry point = Geometry::point(position);
        for (std::size_t a = first; a < last; ++a) {
            if (m_atoms.geometry[a].covers(point)) {
                return a;
            }
        }
        return first;
    }

    // Spans of atom a on the four lines around its cell.
    void add_spans(std::size_t a, double eps, Spans& spans) const {
        const LatticeCell& cell = m_plan.cells[m_atom_cell[a]];
        const Box box = m_plan.box(cell);
        const auto atom = static_cast<std::uint32_t>(a);
        const std::int64_t west = cell.ix;
        const std::int64_t east = cell.ix + cell.size;
        const std::int64_t south = cell.iy;
        const std::int64_t north = cell.iy + cell.size;
        if (m_piece[a] == whole) {
            spans.vertical_east.push_back({west, box.min_y, box.max_y, atom});
            spans.vertical_west.push_back({east, box.min_y, box.max_y, atom});
            spans.horizontal_north.push_back({south, box.min_x, box.max_x, atom});
            spans.horizontal_south.push_back({north, box.min_x, box.max_x, atom});
            return;
        }
        auto on = [eps](double v, double line) { return std::abs(v - line) <= eps; };
        for (const core::PolygonRings& poly : m_rings[m_piece[a]]) {
            for (const core::Path& ring : poly.rings) {
                for (std::size_t k = 1; k < ring.size(); ++k) {
                    const XY& p = ring[k - 1];
                    const XY& q = ring[k];
                    const double ylo = std::min(p.y, q.y);
                    const double yhi = std::max(p.y, q.y);
                    const double xlo = std::min(p.x, q.x);
                    const double xhi = std::max(p.x, q.x);
                    if (on(p.x, box.min_x) && on(q.x, box.min_x)) {
                        spans.vertical_east.push_back({west, ylo, yhi, atom});
                    } else if (on(p.x, box.max_x) && on(q.x, box.max_x)) {
                        spans.vertical_west.push_back({east, ylo, yhi, atom});
                    } else if (on(p.y, box.min_y) && on(q.y, box.min_y)) {
                        spans.horizontal_north.push_back({south, xlo, xhi, atom});
                    } else if (on(p.y, box.max_y) && on(q.y, box.max_y)) {
                        spans.horizontal_south.push_back({north, xlo, xhi, atom});
                    }
                }
            }
        }
    }

    // The side of the cell box a segment lies on (-1: none), as in Break::side.
    static int side_of(const XY& p, const XY& q, const Box& box, double eps) {
        auto on = [eps](double u, double v, double line) {
            return std::abs(u - line) <= eps && std::abs(v - line) <= eps;
        };
        return on(p.x, q.x, box.min_x)   ? 0
               : on(p.x, q.x, box.max_x) ? 1
               : on(p.y, q.y, box.min_y) ? 2
               : on(p.y, q.y, box.max_y) ? 3
                                         : -1;
    }

    // `ring` with the breaks of its cell sides inserted, in order along each segment.
    static core::Path with_breaks(const core::Path& ring, const Box& box, const Break* first, const Break* last,
                                  double eps) {
        core::Path out;
        out.reserve(ring.size() + static_cast<std::size_t>(last - first));
        for (std::size_t k = 0; k + 1 < ring.size(); ++k) {
            const XY& p = ring[k];
            const XY& q = ring[k + 1];
            out.push_back(p);
            const int side = side_of(p, q, box, eps);
            if (side < 0) {
                continue;
            }
            const bool vertical = side < 2;
            const double from = vertical ? p.y : p.x;
            const double to = vertical ? q.y : q.x;
            const std::size_t mark = out.size();
            for (const Break* b = first; b != last; ++b) {
                if (b->side == side && b->at > std::min(from, to) + eps && b->at < std::max(from, to) - eps) {
                    out.push_back(vertical ? XY{p.x, b->at} : XY{b->at, p.y});
                }
            }
            if (from > to) { // the breaks are sorted ascending; this segment runs the other way
                std::reverse(out.begin() + static_cast<std::ptrdiff_t>(mark), out.end());
            }
        }
        out.push_back(ring.back());
        return out;
    }

    // Adds the T-junction vertices to the atoms' geometry (same shape, area
    // and length; only the vertices change), so that neighbouring atoms share
    // exact vertices and the grids' coverage union stays the fast path.
    void add_junction_vertices(std::vector<Break>& breaks, double eps) {
        std::sort(breaks.begin(), breaks.end(), break_less);
        // Two neighbours meeting end to end on a side report the same point twice.
        breaks.erase(std::unique(breaks.begin(), breaks.end(),
                                 [eps](const Break& l, const Break& r) {
                                     return l.atom == r.atom && l.side == r.side && std::abs(l.at - r.at) <= eps;
                                 }),
                     breaks.end());
        for (std::size_t i = 0; i < breaks.size();) {
            std::size_t j = i;
            while (j < breaks.size() && breaks[j].atom == breaks[i].atom) {
                ++j;
            }
            const std::uint32_t a = breaks[i].atom;
            const Box box = m_plan.box(m_plan.cells[m_atom_cell[a]]);
            std::vector<core::Path> rings;
            if (m_piece[a] == whole) {
                rings.push_back(with_breaks({{box.min_x, box.min_y},
                                             {box.max_x, box.min_y},
                                             {box.max_x, box.max_y},
                                             {box.min_x, box.max_y},
                                             {box.min_x, box.min_y}},
                                            box, &breaks[i], breaks.data() + j, eps));
            } else {
                for (const core::PolygonRings& poly : m_rings[m_piece[a]]) {
                    for (const core::Path& ring : poly.rings) {
                        rings.push_back(with_breaks(ring, box, &breaks[i], breaks.data() + j, eps));
                    }
                }
            }
            if (m_piece[a] == whole || m_rings[m_piece[a]].size() == 1) {
                m_atoms.geometry[a] = Geometry::polygon(rings);
            }
            i = j;
        }
    }

    // CSR adjacency from the overlaps of spans on common lattice lines;
    // linear in the atom count (plus the sorts), whatever the cell sizes.
    void link_neighbours() {
        const std::size_t n = m_atoms.size();
        const double eps = 1e-7 * m_plan.unit;
        Spans spans;
        for (std::size_t a = 0; a < n; ++a) {
            add_spans(a, eps, spans);
        }
        std::vector<Link> links;
        links.reserve(4 * n);
        std::vector<Break> breaks;
        link_across(spans.vertical_west, spans.vertical_east, 1, 0, eps, links, breaks);
        link_across(spans.horizontal_south, spans.horizontal_north, 3, 2, eps, links, breaks);
        add_junction_vertices(breaks, eps);
        std::sort(links.begin(), links.end(),
                  [](const Link& l, const Link& r) { return std::tie(l.from, l.to) < std::tie(r.from, r.to); });
        m_atoms.offsets.assign(n + 1, 0);
        m_atoms.outer_length = m_atoms.perimeter;
        for (std::size_t i = 0; i < links.size();) {
            double length = 0.0;
            std::size_t j = i;
            for (; j < links.size() && links[j].from == links[i].from && links[j].to == links[i].to; ++j) {
                length += links[j].length;
            }
            m_atoms.adjacency.push_back(links[i].to);
            m_atoms.shared_length.push_back(length);
            m_atoms.barrier_length.push_back(0.0);
            m_atoms.offsets[links[i].from + 1] += 1;
            m_atoms.outer_length[links[i].from] = std::max(0.0, m_atoms.outer_length[links[i].from] - length);
            i = j;
        }
        for (std::size_t a = 0; a < n; ++a) {
            m_atoms.offsets[a + 1] += m_atoms.offsets[a];
        }
    }

    const Geometry& m_region;
    const core::PreparedGeometry& m_prepared;
    const Weights& m_weights;
    const LatticePlan& m_plan;
    bool m_exact;
    AtomSet m_atoms;
    std::vector<std::size_t> m_cell_start;                   // per cell: its first atom
    std::vector<std::uint32_t> m_atom_cell;                  // per atom: its cell
    std::vector<std::uint32_t> m_piece;                      // per atom: index into m_rings, or whole
    std::vector<std::vector<core::PolygonRings>> m_rings;    // rings of the clipped pieces
    std::vector<Box> m_segment_boxes;                        // region boundary segments
    std::vector<std::vector<std::uint32_t>> m_root_segments; // per root: segments touching it
};

} // namespace

Box LatticePlan::box(const LatticeCell& cell) const {
    return {x0 + static_cast<double>(cell.ix) * unit, y0 + static_cast<double>(cell.iy) * unit,
            x0 + static_cast<double>(cell.ix + cell.size) * unit, y0 + static_cast<double>(cell.iy + cell.size) * unit};
}

LatticePlan plan_lattice(const Box& bounds, const LatticeRule& rule, const Weights& weights) {
    return Planner(bounds, rule, weights).run();
}

AtomSet lattice_atoms(const Geometry& region, const core::PreparedGeometry& prepared, const Weights& weights,
                      const LatticeRule& rule) {
    const LatticePlan plan = plan_lattice(region.bounds(), rule, weights);
    return AtomBuilder(region, prepared, weights, plan, false).build();
}

std::vector<Geometry> lattice_side_lines(const LatticePlan& plan) {
    std::vector<Geometry> lines;
    lines.reserve(2 * plan.cells.size());
    for (const LatticeCell& cell : plan.cells) {
        const Box b = plan.box(cell);
        lines.push_back(Geometry::line_string({{b.min_x, b.min_y}, {b.min_x, b.max_y}}));
        lines.push_back(Geometry::line_string({{b.min_x, b.min_y}, {b.max_x, b.min_y}}));
    }
    return lines;
}

} // namespace geo::partition::detail
