#include "geo/partition/atoms.hpp"

#include "geo/core/detail/geos.hpp"
#include "geo/core/error.hpp"
#include "geo/core/prepared.hpp"
#include "geo/core/strtree.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <tuple>

namespace geo::partition {
namespace {

using core::Box;
using core::Geometry;
using core::XY;

// Even-odd point-in-polygon over all rings (shell and holes). Points exactly
// on an edge may fall either way; callers fall back to a deterministic choice.
bool ring_contains(const core::Path& ring, XY p) {
    bool inside = false;
    const std::size_t n = ring.size();
    for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
        const XY& a = ring[i];
        const XY& b = ring[j];
        if ((a.y > p.y) != (b.y > p.y)) {
            const double x = (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x;
            if (p.x < x) {
                inside = !inside;
            }
        }
    }
    return inside;
}

bool polygon_contains(const std::vector<core::PolygonRings>& polygons, XY p) {
    for (const core::PolygonRings& poly : polygons) {
        bool inside = false;
        for (const core::Path& ring : poly.rings) {
            if (ring_contains(ring, p)) {
                inside = !inside;
            }
        }
        if (inside) {
            return true;
        }
    }
    return false;
}

// Segments of barrier lines with a box index: "does this point lie on a
// barrier?" for the midpoints of noded edges.
class SegmentIndex {
  public:
    explicit SegmentIndex(const std::vector<core::Path>& paths) {
        for (const core::Path& path : paths) {
            for (std::size_t i = 1; i < path.size(); ++i) {
                Box box;
                box.expand(path[i - 1]);
                box.expand(path[i]);
                m_tree.insert(box);
                m_segments.emplace_back(path[i - 1], path[i]);
            }
        }
        m_tree.build();
    }
    [[nodiscard]] bool empty() const noexcept { return m_segments.empty(); }

    [[nodiscard]] bool near(XY p, double tolerance) {
        bool found = false;
        Box probe{p.x - tolerance, p.y - tolerance, p.x + tolerance, p.y + tolerance};
        m_tree.query(probe, [&](std::size_t id) {
            if (!found && distance_to_segment(p, m_segments[id].first, m_segments[id].second) <= tolerance) {
                found = true;
            }
        });
        return found;
    }

  private:
    static double distance_to_segment(XY p, XY a, XY b) {
        const double dx = b.x - a.x;
        const double dy = b.y - a.y;
        const double len2 = dx * dx + dy * dy;
        double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0.0;
        t = std::clamp(t, 0.0, 1.0);
        return std::hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
    }

    core::StrTree m_tree;
    std::vector<std::pair<XY, XY>> m_segments;
};

// Horizontal and vertical lines every `cell` metres across `box`.
Geometry lattice_lines(const Box& box, double cell) {
    std::vector<Geometry> lines;
    const double x0 = std::floor(box.min_x / cell) * cell;
    const double y0 = std::floor(box.min_y / cell) * cell;
    const double pad = cell;
    for (double x = x0 + cell; x < box.max_x; x += cell) {
        lines.push_back(Geometry::line_string({{x, box.min_y - pad}, {x, box.max_y + pad}}));
    }
    for (double y = y0 + cell; y < box.max_y; y += cell) {
        lines.push_back(Geometry::line_string({{box.min_x - pad, y}, {box.max_x + pad, y}}));
    }
    if (lines.empty()) {
        return {};
    }
    return Geometry::collect(std::move(lines));
}

// The lines of `geometry` that are lineal (intersection results may carry points).
void append_lineal(const Geometry& geometry, std::vector<Geometry>& out) {
    if (geometry.is_null() || geometry.is_empty()) {
        return;
    }
    for (const core::Path& path : geometry.paths()) {
        if (path.size() >= 2) {
            out.push_back(Geometry::line_string(path));
        }
    }
}

// Node all lines, polygonize and keep the faces inside the region.
std::vector<Geometry> polygonize_inside(const core::PreparedGeometry& region, std::vector<Geometry> lines) {
    Geometry noded = Geometry::collect(std::move(lines)).unary_union();
    Geometry polygons = Geometry::polygonize({noded});
    std::vector<Geometry> inside;
    for (Geometry& face : polygons.parts()) {
        if (face.is_empty() || face.area() <= 0.0) {
            continue;
        }
        if (region.covers(face.point_on_surface())) {
            inside.push_back(std::move(face));
        }
    }
    return inside;
}

// Weight per face: points by point-in-polygon, polygons by areal share.
std::vector<double> weigh(const std::vector<Geometry>& faces, const Weights& weights) {
    std::vector<double> result(faces.size(), 0.0);
    if (faces.empty()) {
        return result;
    }
    core::StrTree tree;
    std::vector<std::vector<core::PolygonRings>> rings;
    rings.reserve(faces.size());
    Box all;
    for (const Geometry& face : faces) {
        Box b = face.bounds();
        all.expand(b);
        tree.insert(b);
        rings.push_back(face.polygons());
    }
    tree.build();
    std::vector<std::size_t> candidates;
    for (const WeightPoint& p : weights.points) {
        if (!all.contains(p.position)) {
            continue;
        }
        candidates.clear();
        tree.query(Box{p.position.x, p.position.y, p.position.x, p.position.y},
                   [&](std::size_t id) { candidates.push_back(id); });
        if (candidates.empty()) {
            continue;
        }
        std::sort(candidates.begin(), candidates.end());
        bool placed = false;
        for (std::size_t id : candidates) {
            if (polygon_contains(rings[id], p.position)) {
                result[id] += p.weight;
                placed = true;
                break;
            }
        }
        if (!placed) {
            // On an edge shared by faces (or exactly on the boundary): give it
            // to the first face whose closure covers it, lowest id first.
            const Geometry point = Geometry::point(p.position);
            for (std::size_t id : candidates) {
                if (faces[id].covers(point)) {
                    result[id] += p.weight;
                    break;
                }
            }
        }
    }
    for (const WeightPolygon& wp : weights.polygons) {
        if (wp.geometry.is_null() || wp.geometry.is_empty() || wp.weight == 0.0) {
            continue;
        }
        const double total_area = wp.geometry.area();
        if (total_area <= 0.0) {
            continue;
        }
        Box b = wp.geometry.bounds();
        if (!b.intersects(all)) {
            continue;
        }
        for (std::size_t id : tree.query(b)) {
            const double a = faces[id].intersection(wp.geometry).area();
            if (a > 0.0) {
                result[id] += wp.weight * a / total_area;
            }
        }
    }
    return result;
}

struct EdgeRecord {
    XY a;
    XY b;
    std::uint32_t atom;
    double length;
};

bool key_less(const EdgeRecord& l, const EdgeRecord& r) {
    return std::tie(l.a.x, l.a.y, l.b.x, l.b.y, l.atom) < std::tie(r.a.x, r.a.y, r.b.x, r.b.y, r.atom);
}
bool same_key(const EdgeRecord& l, const EdgeRecord& r) {
    return l.a == r.a && l.b == r.b;
}

// Share of each weight polygon that falls in each atom (areal share).
void add_polygon_weights(const std::vector<Geometry>& atoms, const std::vector<Box>& boxes, const Weights& weights,
                         std::vector<double>& result) {
    if (weights.polygons.empty()) {
        return;
    }
    core::StrTree tree;
    for (const Box& b : boxes) {
        tree.insert(b);
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

// The lattice fallback, built directly: cells away from the boundary are
// whole squares, cells the boundary crosses are clipped with GEOS's
// rectangle clipper (each polygonal piece one atom). Adjacency comes from the
// lattice: atoms of neighbouring cells share the overlap of their boundary
// intervals on the common cell side. Everything is linear in the cell count.
AtomSet lattice_atoms(const Geometry& region, const core::PreparedGeometry& prepared, const Weights& local,
                      double cell, bool exact_clip = false) {
    namespace gd = core::detail;
    const Box bounds = region.bounds();
    const double x0 = std::floor(bounds.min_x / cell) * cell;
    const double y0 = std::floor(bounds.min_y / cell) * cell;
    const auto nx = static_cast<std::size_t>(std::max(1.0, std::ceil((bounds.max_x - x0) / cell)));
    const auto ny = static_cast<std::size_t>(std::max(1.0, std::ceil((bounds.max_y - y0) / cell)));
    auto cx = [&](double x) {
        return static_cast<std::size_t>(std::clamp(std::floor((x - x0) / cell), 0.0, static_cast<double>(nx - 1)));
    };
    auto cy = [&](double y) {
        return static_cast<std::size_t>(std::clamp(std::floor((y - y0) / cell), 0.0, static_cast<double>(ny - 1)));
    };
    // Cells the boundary may cross (segment boxes, generously).
    std::vector<char> crossed(nx * ny, 0);
    for (const core::PolygonRings& poly : region.polygons()) {
        for (const core::Path& ring : poly.rings) {
            for (std::size_t k = 1; k < ring.size(); ++k) {
                const std::size_t i0 = cx(std::min(ring[k - 1].x, ring[k].x));
                const std::size_t i1 = cx(std::max(ring[k - 1].x, ring[k].x));
                const std::size_t j0 = cy(std::min(ring[k - 1].y, ring[k].y));
                const std::size_t j1 = cy(std::max(ring[k - 1].y, ring[k].y));
                for (std::size_t j = j0; j <= j1; ++j) {
                    for (std::size_t i = i0; i <= i1; ++i) {
                        crossed[j * nx + i] = 1;
                    }
                }
            }
        }
    }
    AtomSet atoms;
    atoms.lattice = true;
    atoms.region_area = region.area();
    std::vector<std::size_t> cell_start(nx * ny + 1, 0);
    std::vector<std::uint32_t> clipped_index; // per atom: index into `pieces` or UINT32_MAX for a whole cell
    std::vector<std::vector<core::PolygonRings>> pieces;
    std::vector<std::pair<std::size_t, std::size_t>> cell_of;
    std::vector<Box> boxes;
    const std::uint32_t whole = UINT32_MAX;
    for (std::size_t j = 0; j < ny; ++j) {
        for (std::size_t i = 0; i < nx; ++i) {
            const std::size_t c = j * nx + i;
            cell_start[c] = atoms.geometry.size();
            const Box box{x0 + static_cast<double>(i) * cell, y0 + static_cast<double>(j) * cell,
                          x0 + static_cast<double>(i + 1) * cell, y0 + static_cast<double>(j + 1) * cell};
            if (!crossed[c]) {
                if (prepared.covers(box.center())) {
                    atoms.geometry.push_back(Geometry::box(box));
                    atoms.area.push_back(cell * cell);
                    atoms.perimeter.push_back(4 * cell);
                    atoms.centroid.push_back(box.center());
                    clipped_index.push_back(whole);
                    cell_of.emplace_back(i, j);
                    boxes.push_back(box);
                }
                continue;
            }
            // GEOSClipByRect is fast but fails on some degenerate rings ("Invalid number of points in
            // LinearRing", found by tests/fuzz/targets/partition.cpp): fall back to a full intersection.
            GEOSGeometry* fast =
                exact_clip ? nullptr
                           : GEOSClipByRect_r(gd::geos_context(), gd::geos_ptr(region), box.min_x, box.min_y,
                                              box.max_x, box.max_y);
            Geometry clip = fast != nullptr ? gd::adopt(fast, "clipping the lattice")
                                            : region.intersection(Geometry::box(box)).polygonal_parts();
            if (clip.is_empty()) {
                continue;
            }
            // GEOSClipByRect may return invalid pieces: where a hole touches the shell at one point
            // inside the cell, the clipped ring touches itself and encloses two lobes joined only at
            // that point. Such a piece must become two atoms, or the grid holding it is two polygons
            // (found by tests/fuzz/targets/partition.cpp; kept as corpus/partition/regression-*).
            std::vector<Geometry> cell_pieces;
            for (Geometry& part : clip.polygonal_parts().parts()) {
                if (part.is_valid()) {
                    cell_pieces.push_back(std::move(part));
                } else {
                    for (Geometry& lobe : part.make_valid().polygonal_parts().parts()) {
                        cell_pieces.push_back(std::move(lobe));
                    }
                }
            }
            for (Geometry& part : cell_pieces) {
                if (part.is_empty() || part.area() <= 0.0) {
                    continue;
                }
                atoms.area.push_back(part.area());
                atoms.perimeter.push_back(part.length());
                atoms.centroid.push_back(part.centroid());
                clipped_index.push_back(static_cast<std::uint32_t>(pieces.size()));
                pieces.push_back(part.polygons());
                cell_of.emplace_back(i, j);
                boxes.push_back(part.bounds());
                atoms.geometry.push_back(std::move(part));
            }
        }
    }
    cell_start[nx * ny] = atoms.geometry.size();
    const std::size_t n = atoms.geometry.size();
    double area_sum = 0.0;
    for (double a : atoms.area) {
        area_sum += a;
    }
    atoms.coverage_error = atoms.region_area > 0 ? std::abs(area_sum - atoms.region_area) / atoms.region_area : 0.0;
    if (!exact_clip && atoms.coverage_error > 1e-9) {
        // GEOS 3.11's rectangle clipper sometimes returns the wrong side of a hole that touches
        // the cell (only the hole's sliver instead of the cell minus the hole; found by
        // tests/fuzz/targets/partition.cpp). The atoms then miss area, which this sum shows:
        // redo the clipped cells with full overlay intersections, slower but exact.
        return lattice_atoms(region, prepared, local, cell, true);
    }

    // Weights: the point's cell, then point-in-polygon among that cell's pieces.
    atoms.weight.assign(n, 0.0);
    for (const WeightPoint& p : local.points) {
        const std::size_t c = cy(p.position.y) * nx + cx(p.position.x);
        const std::size_t first = cell_start[c];
        const std::size_t last = cell_start[c + 1];
        if (first == last) {
            continue;
        }
        std::size_t hit = last;
        for (std::size_t a = first; a < last && hit == last; ++a) {
            if (clipped_index[a] == whole || polygon_contains(pieces[clipped_index[a]], p.position)) {
                hit = a;
            }
        }
        if (hit == last) {
            const Geometry point = Geometry::point(p.position);
            for (std::size_t a = first; a < last && hit == last; ++a) {
                if (atoms.geometry[a].covers(point)) {
                    hit = a;
                }
            }
        }
        if (hit == last) {
            hit = first; // on the cell's edge, outside every piece by rounding: nearest piece of its cell
        }
        atoms.weight[hit] += p.weight;
    }
    add_polygon_weights(atoms.geometry, boxes, local, atoms.weight);

    // Boundary intervals on a cell side: side 0 = west (x = left), 1 = east,
    // 2 = south (y = bottom), 3 = north.
    const double eps = 1e-7 * cell;
    auto side_intervals = [&](std::size_t a, int side, std::vector<std::pair<double, double>>& out) {
        out.clear();
        const auto [i, j] = cell_of[a];
        const double left = x0 + static_cast<double>(i) * cell;
        const double bottom = y0 + static_cast<double>(j) * cell;
        const double line = side == 0 ? left : side == 1 ? left + cell : side == 2 ? bottom : bottom + cell;
        const bool vertical = side < 2;
        if (clipped_index[a] == whole) {
            out.emplace_back(vertical ? bottom : left, (vertical ? bottom : left) + cell);
            return;
        }
        for (const core::PolygonRings& poly : pieces[clipped_index[a]]) {
            for (const core::Path& ring : poly.rings) {
                for (std::size_t k = 1; k < ring.size(); ++k) {
                    const XY& p = ring[k - 1];
                    const XY& q = ring[k];
                    if (vertical && std::abs(p.x - line) <= eps && std::abs(q.x - line) <= eps) {
                        out.emplace_back(std::min(p.y, q.y), std::max(p.y, q.y));
                    } else if (!vertical && std::abs(p.y - line) <= eps && std::abs(q.y - line) <= eps) {
                        out.emplace_back(std::min(p.x, q.x), std::max(p.x, q.x));
                    }
                }
            }
        }
    };
    struct Link {
        std::uint32_t from;
        std::uint32_t to;
        double length;
    };
    std::vector<Link> links;
    links.reserve(4 * n);
    std::vector<std::pair<double, double>> mine;
    std::vector<std::pair<double, double>> theirs;
    for (std::size_t a = 0; a < n; ++a) {
        const auto [i, j] = cell_of[a];
        for (int dir = 0; dir < 2; ++dir) { // east neighbour cell, north neighbour cell
            const std::size_t ni = i + (dir == 0 ? 1 : 0);
            const std::size_t nj = j + (dir == 1 ? 1 : 0);
            if (ni >= nx || nj >= ny) {
                continue;
            }
            const std::size_t c = nj * nx + ni;
            if (cell_start[c] == cell_start[c + 1]) {
                continue;
            }
            side_intervals(a, dir == 0 ? 1 : 3, mine);
            if (mine.empty()) {
                continue;
            }
            for (std::size_t b = cell_start[c]; b < cell_start[c + 1]; ++b) {
                side_intervals(b, dir == 0 ? 0 : 2, theirs);
                double overlap = 0.0;
                for (const auto& m : mine) {
                    for (const auto& t : theirs) {
                        overlap += std::max(0.0, std::min(m.second, t.second) - std::max(m.first, t.first));
                    }
                }
                if (overlap > eps) {
                    links.push_back({static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(b), overlap});
                    links.push_back({static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(a), overlap});
                }
            }
        }
    }
    std::sort(links.begin(), links.end(),
              [](const Link& l, const Link& r) { return std::tie(l.from, l.to) < std::tie(r.from, r.to); });
    atoms.offsets.assign(n + 1, 0);
    atoms.outer_length = atoms.perimeter;
    for (const Link& l : links) {
        atoms.adjacency.push_back(l.to);
        atoms.shared_length.push_back(l.length);
        atoms.barrier_length.push_back(0.0);
        atoms.offsets[l.from + 1] += 1;
        atoms.outer_length[l.from] = std::max(0.0, atoms.outer_length[l.from] - l.length);
    }
    for (std::size_t a = 0; a < n; ++a) {
        atoms.offsets[a + 1] += atoms.offsets[a];
    }
    return atoms;
}

} // namespace

double AtomSet::total_weight() const noexcept {
    return std::accumulate(weight.begin(), weight.end(), 0.0);
}

std::vector<double> weigh_polygons(const std::vector<Geometry>& polygons, const Weights& weights) {
    return weigh(polygons, weights);
}

AtomSet build_atoms(const Geometry& region, const Weights& weights, const std::vector<Geometry>& barriers,
                    const Options& options) {
    if (region.is_null() || region.is_empty()) {
        throw InputError("cannot build atoms of an empty region");
    }
    const core::PreparedGeometry prepared(region);
    const Box bounds = region.bounds();
    const double region_area = region.area();

    // Barrier lines clipped to the region.
    std::vector<Geometry> clipped;
    if (!options.force_lattice) {
        std::vector<Geometry> candidates;
        for (const Geometry& b : barriers) {
            if (!b.is_null() && !b.is_empty() && b.bounds().intersects(bounds)) {
                candidates.push_back(b);
            }
        }
        if (!candidates.empty()) {
            append_lineal(Geometry::collect(std::move(candidates)).intersection(region), clipped);
        }
    }
    std::vector<core::Path> barrier_paths;
    for (const Geometry& c : clipped) {
        for (core::Path& p : c.paths()) {
            barrier_paths.push_back(std::move(p));
        }
    }

    // Weights inside the region decide the lattice size.
    Weights local;
    double total = 0.0;
    for (const WeightPoint& p : weights.points) {
        if (bounds.contains(p.position) && prepared.covers(p.position)) {
            local.points.push_back(p);
            total += p.weight;
        }
    }
    for (const WeightPolygon& wp : weights.polygons) {
        if (!wp.geometry.is_null() && wp.geometry.bounds().intersects(bounds) && prepared.intersects(wp.geometry)) {
            local.polygons.push_back(wp);
            const double a = wp.geometry.area();
            if (a > 0) {
                total += wp.weight * wp.geometry.intersection(region).area() / a;
            }
        }
    }
    const double max = options.band_max();
    const double per_atom = options.target / std::max(1.0, options.atoms_per_grid);

    if (clipped.empty()) {
        double cell = options.lattice_cell;
        if (cell <= 0.0) {
            const double wanted = std::max(1.0, total / per_atom);
            cell = std::sqrt(region_area / wanted);
            // The size above assumes a compact region. For a sliver (a long, nearly zero-area
            // piece left by cutting overlaps) it shrinks towards zero while the bounding box
            // stays large, and the lattice would ask for ~1e14 cells (found by
            // tests/fuzz/targets/partition.cpp, allocation-size-too-big). Never lay out more than
            // about 64 cells per wanted atom over the bounding box (with both bounds below,
            // nx·ny ≤ 3·limit + 1, however elongated the box): compact regions are unaffected.
            const Box box = region.bounds();
            const double limit = 64.0 * wanted + 1024.0;
            cell = std::max({cell, std::sqrt(box.width() * box.height() / limit),
                             std::max(box.width(), box.height()) / limit});
        }
        return lattice_atoms(region, prepared, local, cell);
    }
    AtomSet atoms;
    atoms.region_area = region_area;
    std::vector<Geometry> lines{region.boundary()};
    for (const Geometry& c : clipped) {
        lines.push_back(c);
    }
    std::vector<Geometry> faces = polygonize_inside(prepared, lines);
    std::vector<double> face_weight = weigh(faces, local);

    {
        // Faces heavier than max are cut by a lattice clipped to the face, sized
        // so that the face gets about weight/per_atom cells.
        bool split = false;
        for (std::size_t i = 0; i < faces.size(); ++i) {
            if (face_weight[i] > max) {
                const double cell = std::sqrt(faces[i].area() / std::max(2.0, face_weight[i] / per_atom));
                Geometry lattice = lattice_lines(faces[i].bounds(), cell);
                if (!lattice.is_null()) {
                    append_lineal(lattice.intersection(faces[i]), lines);
                    split = true;
                }
            }
        }
        if (split) {
            faces = polygonize_inside(prepared, lines);
            face_weight = weigh(faces, local);
        }
    }

    const std::size_t n = faces.size();
    atoms.weight = std::move(face_weight);
    atoms.area.resize(n);
    atoms.perimeter.resize(n);
    atoms.outer_length.assign(n, 0.0);
    atoms.centroid.resize(n);
    double area_sum = 0.0;
    std::vector<EdgeRecord> edges;
    for (std::size_t i = 0; i < n; ++i) {
        atoms.area[i] = faces[i].area();
        area_sum += atoms.area[i];
        atoms.centroid[i] = faces[i].centroid();
        double perimeter = 0.0;
        for (const core::PolygonRings& poly : faces[i].polygons()) {
            for (const core::Path& ring : poly.rings) {
                for (std::size_t j = 1; j < ring.size(); ++j) {
                    XY a = ring[j - 1];
                    XY b = ring[j];
                    const double len = std::hypot(b.x - a.x, b.y - a.y);
                    if (len <= 0.0) {
                        continue;
                    }
                    perimeter += len;
                    if (std::tie(b.x, b.y) < std::tie(a.x, a.y)) {
                        std::swap(a, b);
                    }
                    edges.push_back({a, b, static_cast<std::uint32_t>(i), len});
                }
            }
        }
        atoms.perimeter[i] = perimeter;
    }
    atoms.geometry = std::move(faces);
    atoms.coverage_error = region_area > 0 ? std::abs(area_sum - region_area) / region_area : 0.0;

    // Shared edges: identical noded segments of two faces (polygonize output
    // shares exact coordinates along common edges).
    std::sort(edges.begin(), edges.end(), key_less);
    SegmentIndex barrier_index(barrier_paths);
    const double tolerance = 1e-3; // metres: noding moves points by far less
    struct Link {
        std::uint32_t from;
        std::uint32_t to;
        double length;
        double barrier;
    };
    std::vector<Link> links;
    for (std::size_t i = 0; i < edges.size();) {
        std::size_t j = i + 1;
        while (j < edges.size() && same_key(edges[i], edges[j])) {
            ++j;
        }
        if (j - i == 1) {
            atoms.outer_length[edges[i].atom] += edges[i].length;
        } else {
            const XY mid{(edges[i].a.x + edges[i].b.x) / 2, (edges[i].a.y + edges[i].b.y) / 2};
            const bool on_barrier = !barrier_index.empty() && barrier_index.near(mid, tolerance);
            for (std::size_t p = i; p + 1 < j; ++p) {
                const std::uint32_t u = edges[p].atom;
                const std::uint32_t v = edges[p + 1].atom;
                if (u == v) {
                    continue;
                }
                const double len = edges[p].length;
                const double bl = on_barrier ? len : 0.0;
                links.push_back({u, v, len, bl});
                links.push_back({v, u, len, bl});
            }
        }
        i = j;
    }
    edges.clear();
    edges.shrink_to_fit();
    std::sort(links.begin(), links.end(),
              [](const Link& l, const Link& r) { return std::tie(l.from, l.to) < std::tie(r.from, r.to); });
    atoms.offsets.assign(n + 1, 0);
    for (std::size_t i = 0; i < links.size();) {
        std::size_t j = i;
        double length = 0.0;
        double barrier = 0.0;
        while (j < links.size() && links[j].from == links[i].from && links[j].to == links[i].to) {
            length += links[j].length;
            barrier += links[j].barrier;
            ++j;
        }
        atoms.adjacency.push_back(links[i].to);
        atoms.shared_length.push_back(length);
        atoms.barrier_length.push_back(barrier);
        atoms.offsets[links[i].from + 1] += 1;
        i = j;
    }
    for (std::size_t i = 0; i < n; ++i) {
        atoms.offsets[i + 1] += atoms.offsets[i];
    }
    return atoms;
}

Geometry union_atoms(std::vector<Geometry> atoms) {
    namespace gd = core::detail;
    if (atoms.size() == 1) {
        return std::move(atoms.front());
    }
    double sum = 0.0;
    for (const Geometry& a : atoms) {
        sum += a.area();
    }
    Geometry collection = Geometry::collect(std::move(atoms));
    // Atoms share exact edges, so GEOS's coverage union (edge cancellation)
    // applies; it is checked and falls back to a full overlay union.
    GEOSGeometry* fast = GEOSCoverageUnion_r(gd::geos_context(), gd::geos_ptr(collection));
    if (fast != nullptr) {
        Geometry result = gd::adopt(fast, "coverage union");
        if (std::abs(result.area() - sum) <= 1e-9 * std::max(1.0, sum) && result.is_valid()) {
            return result;
        }
    }
    return collection.unary_union();
}

std::vector<int> atom_components(const AtomSet& atoms, int& count) {
    const std::size_t n = atoms.size();
    std::vector<int> component(n, -1);
    count = 0;
    std::vector<std::uint32_t> stack;
    for (std::size_t s = 0; s < n; ++s) {
        if (component[s] >= 0) {
            continue;
        }
        component[s] = count;
        stack.push_back(static_cast<std::uint32_t>(s));
        while (!stack.empty()) {
            const std::uint32_t u = stack.back();
            stack.pop_back();
            for (std::size_t e = atoms.offsets[u]; e < atoms.offsets[u + 1]; ++e) {
                const std::uint32_t v = atoms.adjacency[e];
                if (component[v] < 0) {
                    component[v] = count;
                    stack.push_back(v);
                }
            }
        }
        ++count;
    }
    return component;
}

} // namespace geo::partition
