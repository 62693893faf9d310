// bench_incident: the performance goal for 12345 incidents.
//
//   bench_incident [--points N] [--grids-per-side K] [--dir DIR] [--reuse-input]
//   bench_incident --grids-file GRIDS.gpkg [--points-file POINTS] [--repeat R] --assign-only
//
// --grids-file takes real grids instead of the lattice (e.g. the demo's
// demo-out/binhai.gpkg, layer "grids", through incident::load_grids);
// --points-file real points (e.g. the generator's synthetic incidents GeoJSON)
// instead of the generated ones; --repeat runs the assignment R times;
// --assign-only stops after the assignment.
//
// Grids: a K×K lattice (default 84×84 = 7,056, the Binhai scale) over
// Binhai New Area (117.30–118.10E, 38.60–39.40N). Cell corners are jittered
// (seeded) and every edge carries 6 intermediate vertices shared by both
// neighbours, so grids are irregular 28-vertex polygons forming an exact
// coverage, like partition output. Points: N seeded uniform points over a box
// 5% larger than the grids (so some fall outside), 60% of them clustered
// around 40 centres to mimic population.
//
// Measures (single thread):
//   1. assignment: GridAssigner::assign for every point (STRtree + prepared covers)
//   2. whole import: write the points to a GeoPackage (GDAL, not timed), then
//      import_file with the CLI's defaults: read with GDAL + transform check +
//      assign + store in the incident GeoPackage (WAL, synchronous=FULL); a
//      layer of >= 100,000 rows is one add_all transaction in the store's bulk
//      mode (indexes and R-tree rebuilt once), rows converted 20,000 at a time
//      on a second thread (docs/incident.md, "Bulk import")
//   3. peak RSS (VmHWM).

#include "geo/incident/assigner.hpp"
#include "geo/incident/geopackage_store.hpp"
#include "geo/incident/importer.hpp"
#include "geo/io/reader.hpp"
#include "geo/io/writer.hpp"

#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <unistd.h>

using namespace geo::incident;
using geo::core::Geometry;
using geo::core::XY;

namespace {

// CPU time of this process: the machine is shared, so wall time alone
// overstates the cost when other jobs run.
double cpu_s() {
    return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

double now_s() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

long peak_rss_kib() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("VmHWM:", 0) == 0) {
            return std::strtol(line.c_str() + 6, nullptr, 10);
        }
    }
    return -1;
}

constexpr double min_x = 117.30, min_y = 38.60, max_x = 118.10, max_y = 39.40;

std::vector<Grid> make_grids(int k, std::mt19937_64& rng) {
    const double w = (max_x - min_x) / k;
    const double h = (max_y - min_y) / k;
    std::uniform_real_distribution<double> jitter(-0.25, 0.25);
    // Jittered lattice corners (the outer ring stays straight).
    std::vector<XY> corner((k + 1) * (k + 1));
    for (int r = 0; r <= k; ++r) {
        for (int c = 0; c <= k; ++c) {
            const bool border = r == 0 || c == 0 || r == k || c == k;
            corner[r * (k + 1) + c] = {min_x + (c + (border ? 0 : jitter(rng))) * w,
                                       min_y + (r + (border ? 0 : jitter(rng))) * h};
        }
    }
    // Edge with 6 intermediate wiggles, deterministic per edge so both cells agree.
    auto edge = [&](XY a, XY b, unsigned seed, geo::core::Path& out) {
        std::mt19937 e(seed);
        std::uniform_real_distribution<double> off(-0.03, 0.03);
        const bool reversed = std::tie(a.x, a.y) > std::tie(b.x, b.y);
        XY p = reversed ? b : a, q = reversed ? a : b;
        geo::core::Path pts;
        for (int i = 1; i <= 6; ++i) {
            const double t = i / 7.0;
            const double o = off(e);
            pts.push_back({p.x + (q.x - p.x) * t - (q.y - p.y) * o, p.y + (q.y - p.y) * t + (q.x - p.x) * o});
        }
        if (reversed) {
            std::reverse(pts.begin(), pts.end());
        }
        out.push_back(a);
        out.insert(out.end(), pts.begin(), pts.end());
    };
    std::vector<Grid> grids;
    for (int r = 0; r < k; ++r) {
        for (int c = 0; c < k; ++c) {
            const int i00 = r * (k + 1) + c, i01 = i00 + 1, i10 = i00 + k + 1, i11 = i10 + 1;
            geo::core::Path ring;
            const auto id = [](int a, int b) {
                return static_cast<unsigned>(std::min(a, b) * 1000003 + std::max(a, b));
            };
            edge(corner[i00], corner[i01], id(i00, i01), ring);
            edge(corner[i01], corner[i11], id(i01, i11), ring);
            edge(corner[i11], corner[i10], id(i11, i10), ring);
            edge(corner[i10], corner[i00], id(i10, i00), ring);
            ring.push_back(corner[i00]);
            char code[32];
            std::snprintf(code, sizeof code, "120116%03d%03d%03d", r / 12, (c / 12) + 1, (r % 12) * 12 + c % 12);
            char parent[32];
            std::snprintf(parent, sizeof parent, "120116%03d%03d", r / 12, (c / 12) + 1);
            grids.push_back({code, parent, Geometry::polygon({ring})});
        }
    }
    return grids;
}

std::vector<XY> make_points(std::size_t n, std::mt19937_64& rng) {
    const double bx = (max_x - min_x) * 0.05, by = (max_y - min_y) * 0.05;
    std::uniform_real_distribution<double> ux(min_x - bx, max_x + bx), uy(min_y - by, max_y + by);
    std::vector<XY> centres(40);
    for (auto& c : centres) {
        c = {ux(rng), uy(rng)};
    }
    std::normal_distribution<double> spread(0.0, 0.02);
    std::uniform_real_distribution<double> u01(0.0, 1.0);
    std::vector<XY> pts(n);
    for (auto& p : pts) {
        if (u01(rng) < 0.6) {
            const XY& c = centres[rng() % centres.size()];
            p = {c.x + spread(rng), c.y + spread(rng)};
        } else {
            p = {ux(rng), uy(rng)};
        }
    }
    return pts;
}

} // namespace

int main(int argc, char** argv) {
    std::size_t n = 1'000'000;
    int k = 84;
    std::filesystem::path dir = std::filesystem::temp_directory_path() / "bench_incident";
    bool reuse_input = false;
    bool assign_only = false;
    std::string grids_file;
    std::string points_file;
    int repeat = 1;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--reuse-input") == 0) {
            reuse_input = true;
            continue;
        }
        if (std::strcmp(argv[i], "--assign-only") == 0) {
            assign_only = true;
            continue;
        }
        if (i + 1 >= argc) {
            break;
        }
        if (std::strcmp(argv[i], "--points") == 0) {
            n = std::strtoull(argv[i + 1], nullptr, 10);
        } else if (std::strcmp(argv[i], "--grids-per-side") == 0) {
            k = std::atoi(argv[i + 1]);
        } else if (std::strcmp(argv[i], "--dir") == 0) {
            dir = argv[i + 1];
        } else if (std::strcmp(argv[i], "--grids-file") == 0) {
            grids_file = argv[i + 1];
        } else if (std::strcmp(argv[i], "--points-file") == 0) {
            points_file = argv[i + 1];
        } else if (std::strcmp(argv[i], "--repeat") == 0) {
            repeat = std::max(1, std::atoi(argv[i + 1]));
        }
    }
    std::filesystem::create_directories(dir);
    std::mt19937_64 rng(20240301);

    double t0 = now_s();
    auto grids = grids_file.empty() ? make_grids(k, rng) : load_grids({grids_file, "", "", "", ""});
    std::vector<XY> points;
    if (points_file.empty()) {
        points = make_points(n, rng);
    } else {
        geo::io::Layer layer = geo::io::read_layer(points_file);
        geo::io::transform_layer(layer, geo::crs::Crs::wgs84());
        for (const auto& f : layer.features) {
            if (!f.geometry.is_null() && !f.geometry.is_empty() &&
                f.geometry.type() == geo::core::GeometryType::point) {
                points.push_back(f.geometry.points().front());
            }
        }
        n = points.size();
    }
    std::printf("setup: %zu grids%s, %zu points%s in %.2f s\n", grids.size(),
                grids_file.empty() ? " (lattice)" : (" from " + grids_file).c_str(), points.size(),
                points_file.empty() ? " (generated)" : (" from " + points_file).c_str(), now_s() - t0);

    t0 = now_s();
    const GridAssigner assigner{std::vector<Grid>(grids)};
    std::printf("assigner build (sort, repair check, STRtree, prepare): %.3f s\n", now_s() - t0);

    double c0 = 0.0;
    for (int run = 0; run < repeat; ++run) {
        t0 = now_s();
        c0 = cpu_s();
        std::size_t outside = 0;
        for (const auto& p : points) {
            outside += assigner.assign(p).outside() ? 1 : 0;
        }
        const double assign_s = now_s() - t0;
        const double assign_cpu = cpu_s() - c0;
        std::printf("assignment: %zu points in %.3f s wall = %.0f points/s; %.3f s CPU = %.0f points/s (%zu outside)\n",
                    n, assign_s, static_cast<double>(n) / assign_s, assign_cpu, static_cast<double>(n) / assign_cpu,
                    outside);
    }
    if (assign_only) {
        std::printf("peak RSS: %.0f MiB\n", static_cast<double>(peak_rss_kib()) / 1024.0);
        return 0;
    }

    // Whole import from a file.
    // The input depends only on N (fixed seed): --reuse-input skips writing
    // it again, and keeps the writer's memory out of the peak RSS.
    const auto input = (dir / ("bench_incidents_synthetic_" + std::to_string(n) + ".gpkg")).string();
    const auto store_path = dir / "bench_store.gpkg";
    const bool write_input = !(reuse_input && std::filesystem::exists(input));
    for (const auto& p : {std::filesystem::path(input), store_path}) {
        if (p == std::filesystem::path(input) && !write_input) {
            continue;
        }
        std::filesystem::remove(p);
        std::filesystem::remove(p.string() + "-wal");
        std::filesystem::remove(p.string() + "-shm");
    }
    if (write_input) {
        geo::io::Layer layer;
        layer.name = "incidents";
        layer.fields = {{"ticket", geo::io::FieldType::string},
                        {"category", geo::io::FieldType::string},
                        {"reported_at", geo::io::FieldType::string}};
        const char* cats[] = {"noise", "sanitation", "road_damage", "water_supply", "heating", "parking"};
        layer.features.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
            geo::io::Feature f;
            f.geometry = Geometry::point(points[i]);
            char when[32];
            std::snprintf(when, sizeof when, "2024-%02zu-%02zu %02zu:%02zu:00", 1 + i % 12, 1 + i % 28, i % 24, i % 60);
            f.attributes = {std::string("T").append(std::to_string(i)), std::string(cats[i % 6]), std::string(when)};
            layer.features.push_back(std::move(f));
        }
        t0 = now_s();
        geo::io::write_layer(input, layer);
        std::printf("wrote input %s in %.2f s (not part of the import time)\n", input.c_str(), now_s() - t0);
    }
    t0 = now_s();
    c0 = cpu_s();
    ImportReport r;
    {
        GeoPackageIncidentStore store(store_path);
        ImportOptions o;
        o.id_field = "ticket";
        r = import_file(input, assigner, store, o);
    }
    const double import_s = now_s() - t0;
    const double import_cpu = cpu_s() - c0;
    std::printf("import: %zu rows, %zu added, %zu outside in %.2f s wall (read %.2f, transform+assign %.2f, store "
                "%.2f), %.2f s CPU = %.0f rows/s wall\n",
                r.rows, r.added, r.outside, import_s, r.read_seconds, r.assign_seconds, r.store_seconds, import_cpu,
                static_cast<double>(r.rows) / import_s);
    std::printf("peak RSS after the import: %.0f MiB\n", static_cast<double>(peak_rss_kib()) / 1024.0);
    t0 = now_s();
    c0 = cpu_s();
    {
        GeoPackageIncidentStore store(store_path);
        ImportOptions o;
        o.id_field = "ticket";
        r = import_file(input, assigner, store, o);
    }
    std::printf("re-import (idempotent): %zu added, %zu already present in %.2f s wall, %.2f s CPU\n", r.added,
                r.already_present, now_s() - t0, cpu_s() - c0);
    std::printf("peak RSS: %.0f MiB\n", static_cast<double>(peak_rss_kib()) / 1024.0);
    std::printf("store file: %.0f MiB\n",
                static_cast<double>(std::filesystem::file_size(store_path)) / (1024.0 * 1024.0));
    return 0;
}
