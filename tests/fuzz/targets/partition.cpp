// Fuzz target: the partition entry points (prepare_parents → partition_all) on random small
// parents — possibly self-intersecting, overlapping, multi-part — with random weights and
// barriers, all on a coarse lattice so that shared edges and collinear points are common.
// Properties (docs/partition.md, rule 1): for every parent the grids are valid single polygons,
// their areas add up to the parent's (relative error < 1e-6) without overlaps, their weights add
// up to the parent's total, and codes are unique. Bad input may only end in geo::InputError.
#include "fuzz_support.hpp"

#include "geo/core/error.hpp"
#include "geo/partition/parents.hpp"
#include "geo/partition/partition.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

namespace {

using geo::core::Geometry;
using geo::core::XY;
namespace gp = geo::partition;

constexpr int cells = 20;
constexpr double step = 50.0; // metres

Geometry random_ring_polygon(fuzz::ByteReader& in) {
    const int n = in.range(3, 9);
    geo::core::Path ring;
    for (int i = 0; i < n; ++i) {
        ring.push_back({in.lattice(cells, step), in.lattice(cells, step)});
    }
    ring.push_back(ring.front());
    return Geometry::polygon({ring});
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > 2048) {
        return 0;
    }
    fuzz::ByteReader in(data, size);
    try {
        std::vector<gp::ParentFeature> features;
        const int parent_count = in.range(1, 3);
        for (int i = 0; i < parent_count; ++i) {
            gp::ParentFeature f;
            f.fid = i + 1;
            f.code = in.byte() % 8 == 0 ? std::string{} : "12011600" + std::to_string(in.range(1, 3));
            f.geometry = random_ring_polygon(in);
            features.push_back(std::move(f));
        }
        gp::Weights weights;
        const int points = in.range(0, 64);
        for (int i = 0; i < points; ++i) {
            weights.points.push_back({{in.lattice(cells, step) + 3.0, in.lattice(cells, step) + 7.0}, double(in.range(0, 5))});
        }
        std::vector<Geometry> barriers;
        const int barrier_count = in.range(0, 3);
        for (int i = 0; i < barrier_count; ++i) {
            barriers.push_back(Geometry::line_string(
                {{in.lattice(cells, step), in.lattice(cells, step)}, {in.lattice(cells, step), in.lattice(cells, step)}}));
        }
        gp::Options options;
        options.target = in.range(2, 20);
        options.atoms_per_grid = in.range(2, 12);
        options.max_passes = 4;
        options.seed = in.byte();
        options.force_lattice = in.byte() % 2 == 0;

        const bool verbose = std::getenv("FUZZ_VERBOSE") != nullptr; // replaying a crash: show the case
        if (verbose) {
            for (const auto& f : features) {
                std::fprintf(stderr, "parent %s: %s\n", f.code.value_or("?").c_str(), f.geometry.to_wkt().c_str());
            }
            for (const auto& b : barriers) {
                std::fprintf(stderr, "barrier: %s\n", b.to_wkt().c_str());
            }
            std::fprintf(stderr, "target %g atoms_per_grid %g lattice %d, %zu points\n", options.target,
                         options.atoms_per_grid, options.force_lattice ? 1 : 0, weights.points.size());
        }
        const auto prepared = gp::prepare_parents(std::move(features));
        const auto results = gp::partition_all(prepared.parents, weights, barriers, options);
        for (std::size_t p = 0; p < results.size(); ++p) {
            const auto& r = results[p];
            const double parent_area = prepared.parents[p].geometry.area();
            double area_sum = 0.0, weight_sum = 0.0;
            std::set<std::string> codes;
            std::vector<Geometry> parts;
            for (const auto& g : r.grids) {
                if (verbose) {
                    std::fprintf(stderr, "grid %s weight %g: %s\n", g.code.c_str(), g.weight, g.geometry.to_wkt().c_str());
                }
                fuzz::check(g.geometry.type() == geo::core::GeometryType::polygon, "grid is not one polygon", g.code);
                fuzz::check(g.geometry.is_valid(), "grid is invalid", g.geometry.invalid_reason());
                fuzz::check(codes.insert(g.code).second, "duplicate grid code", g.code);
                area_sum += g.geometry.area();
                weight_sum += g.weight;
                parts.push_back(g.geometry);
            }
            if (parent_area <= 0.0) {
                continue;
            }
            fuzz::check(!r.grids.empty(), "a parent with area got no grids", r.code);
            if (verbose) {
                std::fprintf(stderr, "prepared parent: %s\nmissing: %s\n", prepared.parents[p].geometry.to_wkt().c_str(),
                             prepared.parents[p].geometry.difference(Geometry::union_all(parts)).to_wkt().c_str());
            }
            fuzz::check(std::abs(area_sum - parent_area) <= 1e-6 * parent_area, "grid areas do not add up to the parent",
                        std::to_string(area_sum) + " vs " + std::to_string(parent_area) + " of " + r.code);
            const double union_area = Geometry::union_all(parts).area();
            fuzz::check(std::abs(union_area - area_sum) <= 1e-6 * parent_area, "grids overlap");
            fuzz::check(std::abs(weight_sum - r.total_weight) <= 1e-9 * (1.0 + r.total_weight), "grid weights lost");
        }
    } catch (const geo::InputError&) {
    }
    return 0;
}
