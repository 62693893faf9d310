#include "geo/partition/atoms.hpp"

#include "geo/core/detail/geos.hpp"
#include "geo/core/error.hpp"
#include "geo/core/prepared.hpp"
#include "geo/core/strtree.hpp"
#include "lattice.hpp"
#include "point_in_polygon.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <tuple>

namespace geo::partition {
namespace {

using core::Box;
using core::Geometry;
using core::XY;

using detail::polygon_contains;

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

// The weights of `local` inside one face (points covered, polygons touching
// its box): what decides where the face's lattice is refined.
Weights weights_in(const Geometry& face, const Weights& local) {
    const core::PreparedGeometry prepared(face);
    const Box box = face.bounds();
    Weights inside;
    for (const WeightPoint& p : local.points) {
        if (box.contains(p.position) && prepared.covers(p.position)) {
            inside.points.push_back(p);
        }
    }
    for (const WeightPolygon& wp : local.polygons) {
        if (wp.geometry.bounds().intersects(box)) {
            inside.polygons.push_back(wp);
        }
    }
    return inside;
}

// Faces heavier than max are cut by the adaptive lattice clipped to the face
// (lattice_rule for the face's area and weight): its lines join `lines` for a
// second polygonize. Returns whether any face was cut.
bool split_heavy_faces(const std::vector<Geometry>& faces, const std::vector<double>& face_weight, const Weights& local,
                       const Options& options, std::vector<Geometry>& lines) {
    bool split = false;
    for (std::size_t i = 0; i < faces.size(); ++i) {
        if (face_weight[i] <= options.band_max()) {
            continue;
        }
        const Box box = faces[i].bounds();
        LatticeRule rule = lattice_rule(faces[i].area(), box, face_weight[i], options);
        if (rule.root_side > rule.min_side) {
            // Roots of 2s, not 4s: a heavy face is inhabited, so coarse empty roots gain nothing
            // there, while their long sides give the split more lattice lines to cut along instead
            // of the roads (the Monaco test's share of cuts on roads is 0.48 with 4s, 0.53 with 2s).
            rule.root_side /= 2;
        }
        const detail::LatticePlan plan = detail::plan_lattice(box, rule, weights_in(faces[i], local));
        if (plan.cells.size() > 1) {
            append_lineal(Geometry::collect(detail::lattice_side_lines(plan)).intersection(faces[i]), lines);
            split = true;
        }
    }
    return split;
}

} // namespace

double AtomSet::total_weight() const noexcept {
    return std::accumulate(weight.begin(), weight.end(), 0.0);
}

std::vector<double> weigh_polygons(const std::vector<Geometry>& polygons, const Weights& weights) {
    return weigh(polygons, weights);
}

LatticeRule lattice_rule(double area, const Box& bounds, double total, const Options& options) {
    const double per_atom = options.target / std::max(1.0, options.atoms_per_grid);
    const double inf = std::numeric_limits<double>::infinity();
    if (options.lattice_cell > 0.0) {
        return {options.lattice_cell, options.lattice_cell, inf};
    }
    // s: the side of a uniform lattice with the wanted atom count.
    const double wanted = std::max(1.0, total / per_atom);
    double side = std::sqrt(area / wanted);
    // The size above assumes a compact region. For a sliver (a long, nearly zero-area piece
    // left by cutting overlaps) it shrinks towards zero while the bounding box stays large, and
    // the lattice would ask for ~1e14 cells (found by tests/fuzz/targets/partition.cpp,
    // allocation-size-too-big). Never lay out more than about 64 cells of side s per wanted atom
    // over the bounding box (with both bounds below, nx·ny ≤ 3·limit + 1, however elongated the
    // box): compact regions are unaffected.
    const double limit = 64.0 * wanted + 1024.0;
    side = std::max(
        {side, std::sqrt(bounds.width() * bounds.height() / limit), std::max(bounds.width(), bounds.height()) / limit});
    if (!(side > 0.0)) {
        side = 1.0; // a degenerate region: one cell, clipped to nothing or to a sliver
    }
    // Roots of 4s stay whole where nobody lives (16 uniform cells' worth of empty land in one
    // atom), and a cell splits while it is heavier than 2t (then the atom count comes out close
    // to that of the uniform lattice, total / t), or than a quarter of the band width when the
    // band is narrow, so that no atom is a large step for the band repair. Never below t/2: with
    // min == max the rule would otherwise split every inhabited cell to the minimum side.
    const double band = options.band_max() - options.band_min();
    const double split = std::max(per_atom / 2, std::min(2 * per_atom, band / 4));
    return {4 * side, side / 16, split};
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
    if (clipped.empty()) {
        return detail::lattice_atoms(region, prepared, local, lattice_rule(region_area, bounds, total, options));
    }
    AtomSet atoms;
    atoms.region_area = region_area;
    std::vector<Geometry> lines{region.boundary()};
    for (const Geometry& c : clipped) {
        lines.push_back(c);
    }
    std::vector<Geometry> faces = polygonize_inside(prepared, lines);
    std::vector<double> face_weight = weigh(faces, local);

    if (split_heavy_faces(faces, face_weight, local, options, lines)) {
        faces = polygonize_inside(prepared, lines);
        face_weight = weigh(faces, local);
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
