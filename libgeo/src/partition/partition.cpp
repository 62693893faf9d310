#include "geo/partition/partition.hpp"

#include "geo/core/error.hpp"
#include "geo/core/parallel.hpp"
#include "geo/partition/atoms.hpp"
#include "slivers.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <map>
#include <mutex>
#include <numbers>
#include <set>
#include <sstream>
#include <tuple>

namespace geo::partition {
namespace {

using core::Geometry;

std::uint64_t fnv1a(const std::string& text) {
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return h;
}

bool in_band(double w, const Options& options) {
    const double eps = 1e-9 * std::max(1.0, options.target);
    return w >= options.band_min() - eps && w <= options.band_max() + eps;
}

// Share of the grid's interior boundary (not on the parent boundary) that
// runs along the barriers; used where the atom graph does not know the
// neighbours (kept grids, grids next to kept ones).
double interior_barrier_share(const Geometry& grid, const Geometry& parent_boundary, const Geometry& barrier_zone) {
    const Geometry interior = grid.boundary().difference(parent_boundary.buffer(1e-3, 2));
    const double total = interior.length();
    if (total <= 0.0 || barrier_zone.is_null() || barrier_zone.is_empty()) {
        return 0.0;
    }
    return std::clamp(interior.intersection(barrier_zone).length() / total, 0.0, 1.0);
}

} // namespace

std::vector<PreviousGrid> retired_grids(const std::vector<Parent>& parents, const std::vector<PreviousGrid>& previous) {
    std::set<std::string> codes;
    for (const Parent& p : parents) {
        codes.insert(p.code);
    }
    std::vector<PreviousGrid> retired;
    for (const PreviousGrid& g : previous) {
        if (codes.count(g.parent_code) == 0) {
            retired.push_back(g);
        }
    }
    std::sort(retired.begin(), retired.end(), [](const PreviousGrid& a, const PreviousGrid& b) {
        return std::tie(a.parent_code, a.seq, a.code) < std::tie(b.parent_code, b.seq, b.code);
    });
    return retired;
}

double polsby_popper(double area, double perimeter) noexcept {
    return perimeter > 0 ? 4.0 * std::numbers::pi * area / (perimeter * perimeter) : 0.0;
}

std::string grid_code(const std::string& parent_code, int seq, int width) {
    std::ostringstream out;
    out << parent_code << std::setw(width) << std::setfill('0') << seq;
    return out.str();
}

std::vector<std::size_t> row_order(const std::vector<Geometry>& grids, double north) {
    const std::size_t n = grids.size();
    std::vector<double> heights;
    std::vector<core::XY> centres(n);
    heights.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        heights.push_back(grids[i].bounds().height());
        centres[i] = grids[i].centroid();
    }
    double h = 1.0;
    if (!heights.empty()) {
        std::nth_element(heights.begin(), heights.begin() + static_cast<std::ptrdiff_t>(n / 2), heights.end());
        h = heights[n / 2] > 0 ? heights[n / 2] : 1.0;
    }
    std::vector<std::tuple<long long, double, double, std::size_t>> keys;
    keys.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto row = static_cast<long long>(std::floor((north - centres[i].y) / h));
        keys.emplace_back(row, centres[i].x, -centres[i].y, i);
    }
    std::sort(keys.begin(), keys.end());
    std::vector<std::size_t> order;
    order.reserve(n);
    for (const auto& k : keys) {
        order.push_back(std::get<3>(k));
    }
    return order;
}

ParentResult partition_parent(const Parent& parent, const Weights& weights, const std::vector<Geometry>& barriers,
                              const Options& options, const std::vector<PreviousGrid>& previous) {
    const auto started = std::chrono::steady_clock::now();
    if (options.target <= 0) {
        throw InputError("--target must be positive");
    }
    if (options.band_min() > options.band_max()) {
        throw InputError("--min is larger than --max");
    }
    if (parent.geometry.is_null() || parent.geometry.is_empty()) {
        throw InputError("parent " + parent.code + " has no geometry");
    }
    ParentResult result;
    result.code = parent.code;
    result.name = parent.name;
    result.parent_area = parent.geometry.area();
    const double max = options.band_max();
    const std::uint64_t seed = options.seed ^ fnv1a(parent.code);

    // Stable re-partition: keep earlier grids of this parent still in band.
    std::vector<const PreviousGrid*> old;
    for (const PreviousGrid& g : previous) {
        if (g.parent_code == parent.code) {
            old.push_back(&g);
        }
    }
    std::sort(old.begin(), old.end(), [](const PreviousGrid* a, const PreviousGrid* b) {
        return std::tie(a->seq, a->code) < std::tie(b->seq, b->code);
    });
    int max_seq = 0;
    std::vector<Geometry> kept_geometry;
    std::vector<const PreviousGrid*> kept;
    if (!old.empty()) {
        // Old grids without a usable polygon cannot be kept; they still count for the largest
        // seq (retired codes are never reused) and are listed as changed.
        std::vector<Geometry> old_geometry;
        std::vector<std::size_t> usable;
        for (std::size_t i = 0; i < old.size(); ++i) {
            max_seq = std::max(max_seq, old[i]->seq);
            const Geometry& g = old[i]->geometry;
            if (!g.is_null() && !g.is_empty() && g.is_valid() && g.type() == core::GeometryType::polygon) {
                usable.push_back(i);
                old_geometry.push_back(g);
            }
        }
        const std::vector<double> usable_weight = weigh_polygons(old_geometry, weights);
        std::vector<double> old_weight(old.size(), -1.0);
        for (std::size_t u = 0; u < usable.size(); ++u) {
            old_weight[usable[u]] = usable_weight[u];
        }
        for (std::size_t i = 0; i < old.size(); ++i) {
            const Geometry& g = old[i]->geometry;
            const bool fits = old_weight[i] >= 0.0 && g.intersection(parent.geometry).area() >= g.area() * (1 - 1e-6);
            if (fits && in_band(old_weight[i], options)) {
                kept.push_back(old[i]);
                kept_geometry.push_back(g);
                Grid grid;
                grid.code = old[i]->code;
                grid.parent_code = parent.code;
                grid.seq = old[i]->seq;
                grid.weight = old_weight[i];
                grid.area_m2 = g.area();
                grid.compactness = polsby_popper(grid.area_m2, g.length());
                grid.kept = true;
                grid.geometry = g;
                result.grids.push_back(std::move(grid));
                result.kept_codes.push_back(old[i]->code);
            } else {
                result.changed_codes.push_back(old[i]->code);
            }
        }
    }

    Geometry region = parent.geometry;
    if (!kept_geometry.empty()) {
        // Rounding leaves slivers between kept grids and the parent boundary.
        region =
            detail::without_slivers(parent.geometry.difference(Geometry::union_all(kept_geometry)).polygonal_parts());
    }
    Geometry barrier_zone;
    const Geometry parent_boundary = parent.geometry.boundary();
    if (!kept.empty() && !barriers.empty()) {
        std::vector<Geometry> near;
        const core::Box box = parent.geometry.bounds();
        for (const Geometry& b : barriers) {
            if (b.bounds().intersects(box)) {
                near.push_back(b);
            }
        }
        if (!near.empty()) {
            barrier_zone = Geometry::collect(std::move(near)).intersection(parent.geometry).buffer(1e-3, 2);
        }
    }

    std::vector<Grid> fresh;
    if (!region.is_empty() && region.area() > 1e-9 * result.parent_area) {
        const AtomSet atoms = build_atoms(region, weights, barriers, options);
        result.atom_count = atoms.size();
        const Split split = split_atoms(atoms, options, seed);
        const auto parts = static_cast<std::size_t>(split.parts);
        std::vector<std::vector<Geometry>> members(parts);
        std::vector<double> weight(parts, 0.0);
        std::vector<double> interior(parts, 0.0);
        std::vector<double> on_barrier(parts, 0.0);
        std::vector<std::size_t> heavy_part;
        for (std::size_t a = 0; a < atoms.size(); ++a) {
            const auto p = static_cast<std::size_t>(split.part[a]);
            members[p].push_back(atoms.geometry[a]);
            weight[p] += atoms.weight[a];
            if (atoms.weight[a] > max) {
                HeavyAtom heavy;
                heavy.centroid = atoms.centroid[a];
                heavy.weight = atoms.weight[a];
                heavy.area_m2 = atoms.area[a];
                result.heavy_atoms.push_back(heavy);
                heavy_part.push_back(p);
            }
            for (std::size_t e = atoms.offsets[a]; e < atoms.offsets[a + 1]; ++e) {
                if (split.part[atoms.adjacency[e]] != split.part[a]) {
                    interior[p] += atoms.shared_length[e];
                    on_barrier[p] += atoms.barrier_length[e];
                    result.cut_length += atoms.shared_length[e] / 2;
                    result.cut_on_barriers += atoms.barrier_length[e] / 2;
                }
            }
        }
        std::vector<Geometry> shapes;
        for (std::size_t p = 0; p < parts; ++p) {
            Grid grid;
            grid.parent_code = parent.code;
            grid.weight = weight[p];
            grid.geometry = union_atoms(std::move(members[p]));
            if (grid.geometry.type() != core::GeometryType::polygon) {
                result.notes.push_back("a grid came out as " + std::string(core::to_string(grid.geometry.type())) +
                                       " instead of one polygon (atoms touching only at points)");
            }
            grid.area_m2 = grid.geometry.area();
            grid.compactness = polsby_popper(grid.area_m2, grid.geometry.length());
            if (kept.empty()) {
                grid.boundary_on_barriers = interior[p] > 0 ? on_barrier[p] / interior[p] : 0.0;
            } else {
                grid.boundary_on_barriers = interior_barrier_share(grid.geometry, parent_boundary, barrier_zone);
            }
            shapes.push_back(grid.geometry);
            fresh.push_back(std::move(grid));
        }
        result.k = static_cast<int>(fresh.size());
        const std::vector<std::size_t> order = row_order(shapes, parent.geometry.bounds().max_y);
        int seq = max_seq;
        for (std::size_t i : order) {
            fresh[i].seq = ++seq;
            fresh[i].code = grid_code(parent.code, fresh[i].seq, options.seq_width);
            result.new_codes.push_back(fresh[i].code);
        }
        for (std::size_t h = 0; h < heavy_part.size(); ++h) {
            result.heavy_atoms[h].grid_code = fresh[heavy_part[h]].code;
        }
        // Every grid outside the band has the cause the split found, named by its code.
        std::vector<char> explained(parts, 0);
        for (const BandProblem& problem : split.problems) {
            const auto p = static_cast<std::size_t>(problem.part);
            explained[p] = 1;
            result.out_of_band.push_back({fresh[p].code, fresh[p].weight, problem.cause, problem.detail});
        }
        for (std::size_t p = 0; p < parts; ++p) {
            if (!explained[p] && !in_band(fresh[p].weight, options)) {
                // Cannot happen (split_atoms diagnoses every part outside the band); kept so
                // that a grid outside the band is never silent.
                result.out_of_band.push_back(
                    {fresh[p].code, fresh[p].weight, BandCause::atom_granularity, "no cause was recorded for it"});
            }
        }
        std::sort(result.out_of_band.begin(), result.out_of_band.end(),
                  [](const BandShortfall& a, const BandShortfall& b) { return a.code < b.code; });
    }
    if (!kept.empty()) {
        for (Grid& g : result.grids) {
            g.boundary_on_barriers = interior_barrier_share(g.geometry, parent_boundary, barrier_zone);
        }
    }
    for (Grid& g : fresh) {
        result.grids.push_back(std::move(g));
    }
    std::sort(result.grids.begin(), result.grids.end(), [](const Grid& a, const Grid& b) { return a.seq < b.seq; });
    double area_sum = 0.0;
    for (const Grid& g : result.grids) {
        result.total_weight += g.weight;
        area_sum += g.area_m2;
        if (std::to_string(g.seq).size() > static_cast<std::size_t>(options.seq_width)) {
            throw InputError("parent " + parent.code + " needs " + std::to_string(g.seq) +
                                 " grids, more than --seq-width " + std::to_string(options.seq_width) + " digits allow",
                             {}, "raise --seq-width or --target");
        }
    }
    result.coverage_error = result.parent_area > 0 ? std::abs(area_sum - result.parent_area) / result.parent_area : 0.0;
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

std::vector<ParentResult> partition_all(const std::vector<Parent>& parents, const Weights& weights,
                                        const std::vector<Geometry>& barriers, const Options& options,
                                        const std::vector<PreviousGrid>& previous, int threads,
                                        const core::Progress& progress) {
    // Points sorted by x once, so that each parent only looks at its own strip.
    std::vector<WeightPoint> points = weights.points;
    std::sort(points.begin(), points.end(), [](const WeightPoint& a, const WeightPoint& b) {
        return std::tie(a.position.x, a.position.y) < std::tie(b.position.x, b.position.y);
    });
    std::map<std::string, std::vector<PreviousGrid>> previous_by_parent;
    for (const PreviousGrid& g : previous) {
        previous_by_parent[g.parent_code].push_back(g);
    }

    std::vector<ParentResult> results(parents.size());
    std::atomic<std::size_t> done{0};
    std::mutex progress_mutex;
    core::parallel_for(parents.size(), threads, [&](std::size_t i) {
        const core::Box box = parents[i].geometry.bounds();
        Weights local;
        auto lo = std::lower_bound(points.begin(), points.end(), box.min_x,
                                   [](const WeightPoint& p, double x) { return p.position.x < x; });
        for (auto it = lo; it != points.end() && it->position.x <= box.max_x; ++it) {
            if (it->position.y >= box.min_y && it->position.y <= box.max_y) {
                local.points.push_back(*it);
            }
        }
        for (const WeightPolygon& wp : weights.polygons) {
            if (!wp.geometry.is_null() && wp.geometry.bounds().intersects(box)) {
                local.polygons.push_back(wp);
            }
        }
        std::vector<Geometry> near;
        for (const Geometry& b : barriers) {
            if (!b.is_null() && b.bounds().intersects(box)) {
                near.push_back(b);
            }
        }
        static const std::vector<PreviousGrid> none;
        auto found = previous_by_parent.find(parents[i].code);
        results[i] = partition_parent(parents[i], local, near, options,
                                      found == previous_by_parent.end() ? none : found->second);
        const std::size_t finished = ++done;
        if (progress) {
            const std::lock_guard lock(progress_mutex);
            progress(static_cast<double>(finished) / static_cast<double>(parents.size()), "partitioning");
        }
    });
    return results;
}

} // namespace geo::partition
