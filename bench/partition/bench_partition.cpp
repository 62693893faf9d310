// Partition benchmark at Binhai scale: the real Binhai New Area outline
// (data/tianjin, echarts, GCJ-02), a seeded synthetic population of 2.07 M
// (labelled synthetic: no real population data is available here) and
// target 300 → ~6,900 grids on ≥200 k lattice atoms. One method per process
// so that peak RSS is per method:
//   ours    METIS k-way (contiguous, imbalance from the band) + contiguity/band
//           repair + compactness search, on the product's adaptive lattice atoms
//   metis   METIS k-way with contiguity on and its default 3 % imbalance,
//           nothing after it, on the same atoms and weights
//   lattice a plain square lattice clipped to the boundary (cells of side
//           √(A/k)), built by the product's lattice with that fixed cell side
//           and weighed with the same points; its "atoms" are those cells'
//           clipped pieces (a cell cut in two by the coast is one grid of two pieces)
// Prints one JSON line; bench/partition/run.sh runs all three and builds the table.
#include "geo/core/geometry.hpp"
#include "geo/core/prepared.hpp"
#include "geo/crs/crs.hpp"
#include "geo/crs/local.hpp"
#include "geo/crs/transformer.hpp"
#include "geo/io/reader.hpp"
#include "geo/partition/atoms.hpp"
#include "geo/partition/partition.hpp"

#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace {

using geo::core::Geometry;
using geo::core::XY;
using namespace geo::partition;

double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

double cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

double peak_rss_mib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

// Synthetic population (seeded): 80 % in Gaussian urban cores at real
// places of Binhai (Tanggu/Binhai CBD, Hangu, Dagang, the TEDA and Airport
// zones, Zhongxin eco-city), 20 % spread uniformly; rejected outside the outline.
std::vector<WeightPoint> synthetic_population(const Geometry& area, const geo::crs::Transformer& to_metric,
                                              std::size_t count, std::uint64_t seed) {
    struct Core {
        double lon, lat, sigma_m, share;
    };
    const std::vector<Core> cores{
        {117.70, 39.02, 4000, 0.30}, // Tanggu / Binhai CBD
        {117.71, 39.06, 3000, 0.12}, // TEDA
        {117.80, 39.25, 3500, 0.12}, // Hangu
        {117.48, 38.84, 4000, 0.12}, // Dagang
        {117.43, 39.14, 2500, 0.07}, // Airport economic zone
        {117.76, 39.13, 2500, 0.07}, // Zhongxin eco-city
    };
    const geo::core::PreparedGeometry prepared(area);
    const auto box = area.bounds();
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> ux(box.min_x, box.max_x);
    std::uniform_real_distribution<double> uy(box.min_y, box.max_y);
    std::uniform_real_distribution<double> u01(0.0, 1.0);
    std::normal_distribution<double> n01(0.0, 1.0);
    std::vector<XY> centres;
    for (const Core& c : cores) {
        centres.push_back(to_metric.transform(XY{c.lon, c.lat}));
    }
    std::vector<WeightPoint> points;
    points.reserve(count);
    while (points.size() < count) {
        double pick = u01(rng);
        XY p{ux(rng), uy(rng)};
        for (std::size_t i = 0; i < cores.size(); ++i) {
            if (pick < cores[i].share) {
                p = {centres[i].x + cores[i].sigma_m * n01(rng), centres[i].y + cores[i].sigma_m * n01(rng)};
                break;
            }
            pick -= cores[i].share;
        }
        if (box.contains(p) && prepared.covers(p)) {
            points.push_back({p, 1.0});
        }
    }
    return points;
}

struct Evaluation {
    std::size_t parts = 0;
    double in_band = 0, contiguous = 0, mean_pp = 0, min_w = 0, max_w = 0;
};

// Band share, Polsby–Popper and contiguity from the atom graph alone.
Evaluation evaluate(const AtomSet& atoms, const std::vector<int>& part, int parts, const Options& o) {
    const auto k = static_cast<std::size_t>(parts);
    std::vector<double> w(k, 0), a(k, 0), p(k, 0);
    for (std::size_t i = 0; i < atoms.size(); ++i) {
        const auto q = static_cast<std::size_t>(part[i]);
        w[q] += atoms.weight[i];
        a[q] += atoms.area[i];
        p[q] += atoms.perimeter[i];
        for (std::size_t e = atoms.offsets[i]; e < atoms.offsets[i + 1]; ++e) {
            if (part[atoms.adjacency[e]] == part[i]) {
                p[q] -= atoms.shared_length[e];
            }
        }
    }
    // Pieces per part (connected runs of atoms).
    std::vector<int> seen(atoms.size(), 0);
    std::vector<int> pieces(k, 0);
    std::vector<std::uint32_t> stack;
    for (std::size_t s = 0; s < atoms.size(); ++s) {
        if (seen[s]) {
            continue;
        }
        seen[s] = 1;
        pieces[static_cast<std::size_t>(part[s])] += 1;
        stack.push_back(static_cast<std::uint32_t>(s));
        while (!stack.empty()) {
            const auto u = stack.back();
            stack.pop_back();
            for (std::size_t e = atoms.offsets[u]; e < atoms.offsets[u + 1]; ++e) {
                const auto v = atoms.adjacency[e];
                if (!seen[v] && part[v] == part[u]) {
                    seen[v] = 1;
                    stack.push_back(v);
                }
            }
        }
    }
    Evaluation ev;
    ev.parts = k;
    ev.min_w = 1e300;
    for (std::size_t q = 0; q < k; ++q) {
        ev.in_band += (w[q] >= o.band_min() && w[q] <= o.band_max()) ? 1 : 0;
        ev.contiguous += pieces[q] == 1 ? 1 : 0;
        ev.mean_pp += polsby_popper(a[q], p[q]);
        ev.min_w = std::min(ev.min_w, w[q]);
        ev.max_w = std::max(ev.max_w, w[q]);
    }
    ev.in_band /= static_cast<double>(k);
    ev.contiguous /= static_cast<double>(k);
    ev.mean_pp /= static_cast<double>(k);
    return ev;
}

} // namespace

int main(int argc, char** argv) {
    std::map<std::string, std::string> args{
        {"--method", "ours"},       {"--points", "2070000"},  {"--target", "300"}, {"--seed", "20240501"},
        {"--atoms-per-grid", "30"}, {"--data", GEO_DATA_DIR}, {"--min", "0"},      {"--max", "0"},
        {"--contig", "1"}};
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!args.count(argv[i])) {
            std::cerr << "unknown option " << argv[i] << "\n";
            return 2;
        }
        args[argv[i]] = argv[i + 1];
    }
    const std::string method = args["--method"];
    try {
        auto t0 = std::chrono::steady_clock::now();
        geo::io::ReadOptions read;
        read.crs_override = "gcj02";
        const geo::io::Layer districts =
            geo::io::read_layer(args["--data"] + "/tianjin/tianjin_districts_gcj02.geojson", read);
        const std::size_t code = districts.field_index("code");
        Geometry outline;
        for (const auto& f : districts.features) {
            if (geo::io::to_string(f.attributes[code]) == "120116") {
                outline = f.geometry;
            }
        }
        const geo::crs::Crs metric = geo::crs::local_metric_crs(outline.bounds());
        const geo::crs::Transformer to_metric(geo::crs::Crs::gcj02(), metric);
        const Geometry binhai = to_metric.transform(outline);
        Weights weights;
        weights.points =
            synthetic_population(binhai, to_metric, std::stoul(args["--points"]), std::stoull(args["--seed"]));
        const double setup_s = seconds_since(t0);

        Options o;
        o.target = std::stod(args["--target"]);
        o.seed = std::stoull(args["--seed"]);
        o.atoms_per_grid = std::stod(args["--atoms-per-grid"]);
        o.min = std::stod(args["--min"]);
        o.metis_contiguous = args["--contig"] == "1";
        o.max = std::stod(args["--max"]);
        if (method == "lattice") {
            // The baseline's cells are the atoms: a uniform lattice of side √(A/k).
            const double k = std::max(1.0, std::round(static_cast<double>(weights.points.size()) / o.target));
            o.lattice_cell = std::sqrt(binhai.area() / k);
        }
        double c0 = cpu_seconds();
        t0 = std::chrono::steady_clock::now();
        const AtomSet atoms = build_atoms(binhai, weights, {}, o);
        const double atoms_s = seconds_since(t0);
        const double atoms_cpu = cpu_seconds() - c0;
        c0 = cpu_seconds();
        const double rss_after_atoms = peak_rss_mib();

        t0 = std::chrono::steady_clock::now();
        std::vector<int> part;
        int parts = 0;
        if (method == "ours" || method == "metis") {
            Options m = o;
            if (method == "metis") {
                m.repair_band = false;
                m.improve = false;
                m.metis_ufactor = 30; // METIS's default
            }
            Split s = split_atoms(atoms, m, o.seed);
            part = std::move(s.part);
            parts = s.parts;
        } else if (method == "lattice") {
            // One grid per lattice cell: the pieces of a cell share it (the centre of a
            // piece's bounding box lies inside its cell, unlike its centroid).
            const double cell = o.lattice_cell;
            std::map<std::pair<long long, long long>, int> ids;
            for (const Geometry& g : atoms.geometry) {
                const XY c = g.bounds().center();
                const std::pair<long long, long long> key{static_cast<long long>(std::floor(c.x / cell)),
                                                          static_cast<long long>(std::floor(c.y / cell))};
                auto [it, added] = ids.emplace(key, parts);
                parts += added ? 1 : 0;
                part.push_back(it->second);
            }
        } else {
            std::cerr << "--method is ours, metis or lattice\n";
            return 2;
        }
        const double split_s = seconds_since(t0);
        const double split_cpu = cpu_seconds() - c0;
        c0 = cpu_seconds();
        // Grids as polygons (the output step), timed separately.
        t0 = std::chrono::steady_clock::now();
        std::vector<std::vector<Geometry>> members(static_cast<std::size_t>(parts));
        for (std::size_t i = 0; i < atoms.size(); ++i) {
            members[static_cast<std::size_t>(part[i])].push_back(atoms.geometry[i]);
        }
        std::size_t single = 0;
        for (auto& m : members) {
            single += union_atoms(std::move(m)).type() == geo::core::GeometryType::polygon ? 1 : 0;
        }
        const double union_s = seconds_since(t0);
        const double union_cpu = cpu_seconds() - c0;
        const Evaluation ev = evaluate(atoms, part, parts, o);
        std::printf("{\"method\":\"%s\",\"points\":%zu,\"weight\":%.0f,\"atoms\":%zu,\"grids\":%zu,"
                    "\"in_band\":%.4f,\"contiguous\":%.4f,\"single_polygon\":%.4f,\"mean_pp\":%.4f,"
                    "\"min_w\":%.1f,\"max_w\":%.1f,\"setup_s\":%.2f,\"atoms_s\":%.2f,\"split_s\":%.2f,"
                    "\"union_s\":%.2f,\"atoms_cpu\":%.2f,\"split_cpu\":%.2f,\"union_cpu\":%.2f,\"rss_atoms_mib\":%.0f,"
                    "\"rss_peak_mib\":%.0f,\"crs\":\"%s\"}\n",
                    method.c_str(), weights.points.size(), atoms.total_weight(), atoms.size(), ev.parts, ev.in_band,
                    ev.contiguous, static_cast<double>(single) / static_cast<double>(parts), ev.mean_pp, ev.min_w,
                    ev.max_w, setup_s, atoms_s, split_s, union_s, atoms_cpu, split_cpu, union_cpu, rss_after_atoms,
                    peak_rss_mib(), metric.label().c_str());
    } catch (const std::exception& e) {
        std::cerr << "bench_partition: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
