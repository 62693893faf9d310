// Vector tile encoding at demo scale (SYNTHETIC layers, see
// synthetic_layers.hpp): building the per-zoom indexes, then serving every
// tile of each zoom 0..14 over the data with all four layers. Reports
// tiles/s and bytes per tile per zoom, and the memory per stored vertex.
//
//   build-<you>/bin/bench_tile                         # the benchmarks
//   build-<you>/bin/bench_tile --export=DIR            # layers as CSV (WKT, EPSG:3857) + tile list for PostGIS
//   build-<you>/bin/bench_tile --write-tiles=DIR       # our tiles for those tiles as DIR/z/x/y.mvt
//   build-<you>/bin/bench_tile --time-tiles            # wall ms per tile per zoom over that tile list

#include "synthetic_layers.hpp"

#include "geo/tile/encoder.hpp"
#include "geo/tile/layer_index.hpp"

#include <benchmark/benchmark.h>
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

namespace {

using namespace geo::tile;

struct Indexes {
    std::unique_ptr<LayerIndex> grids;
    std::unique_ptr<LayerIndex> jurisdictions;
    std::unique_ptr<LayerIndex> service_areas;
    std::unique_ptr<LayerIndex> incidents;
    geo::core::Box bounds;
};

LayerOptions options_for(const char* name, LayerKind kind) {
    LayerOptions o;
    o.name = name;
    o.kind = kind;
    return o;
}

Indexes build(bench_tile::SyntheticLayers layers) {
    Indexes ix;
    ix.grids = std::make_unique<LayerIndex>(options_for("grids", LayerKind::coverage), std::move(layers.grids));
    ix.jurisdictions = std::make_unique<LayerIndex>(options_for("jurisdictions", LayerKind::coverage),
                                                    std::move(layers.jurisdictions));
    ix.service_areas = std::make_unique<LayerIndex>(options_for("service_areas", LayerKind::automatic),
                                                    std::move(layers.service_areas));
    ix.incidents =
        std::make_unique<LayerIndex>(options_for("incidents", LayerKind::points), std::move(layers.incidents));
    ix.bounds = ix.grids->bounds();
    return ix;
}

const Indexes& indexes() {
    static const Indexes ix = build(bench_tile::make_layers());
    return ix;
}

std::string encode(const Indexes& ix, const TileId& t) {
    TileBuilder tile;
    ix.jurisdictions->encode(tile, t);
    ix.grids->encode(tile, t);
    ix.service_areas->encode(tile, t);
    ix.incidents->encode(tile, t);
    return tile.serialize();
}

// The tiles a benchmark of zoom z encodes: all tiles over the data, capped
// at 400 evenly spread ones so that high zooms stay quick to run.
std::vector<TileId> tiles_for(const Indexes& ix, std::uint32_t z) {
    std::vector<TileId> all = tiles_covering(ix.bounds, z);
    if (all.size() <= 400) {
        return all;
    }
    std::vector<TileId> some;
    const double step = static_cast<double>(all.size()) / 400;
    for (int i = 0; i < 400; ++i) {
        some.push_back(all[static_cast<std::size_t>(i * step)]);
    }
    return some;
}

std::size_t heap_in_use() {
    const struct mallinfo2 info = mallinfo2(); // glibc: bytes in use by malloc, incl. GEOS's
    return info.uordblks + info.hblkhd;
}

void BM_BuildIndexes(benchmark::State& state) {
    const auto layers = bench_tile::make_layers();
    for (auto _ : state) {
        state.PauseTiming();
        auto copy = layers;
        state.ResumeTiming();
        Indexes ix = build(std::move(copy));
        benchmark::DoNotOptimize(ix);
    }
    // Memory of the grids index alone, measured on the heap (GEOS included):
    // the build frees its source geometry, so what remains in use after it,
    // compared with before the sources were copied, is the index.
    const std::size_t before = heap_in_use();
    IndexMemory m;
    std::size_t measured = 0;
    {
        auto grids = layers.grids;
        const LayerIndex index(options_for("grids", LayerKind::coverage), std::move(grids));
        measured = heap_in_use() - before;
        m = index.memory();
    }
    const auto vertices = static_cast<double>(m.stored_vertices);
    state.counters["grid_vertices_all_zooms"] = vertices;
    state.counters["grid_features_all_zooms"] = static_cast<double>(m.stored_features);
    state.counters["grid_geometry_B_per_vertex"] = static_cast<double>(m.geometry_bytes) / vertices;
    state.counters["grid_heap_B_per_vertex"] = static_cast<double>(measured) / vertices;
    state.counters["grid_heap_MB"] = static_cast<double>(measured) / 1e6;
}
BENCHMARK(BM_BuildIndexes)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_EncodeZoom(benchmark::State& state) {
    const Indexes& ix = indexes();
    const auto z = static_cast<std::uint32_t>(state.range(0));
    const std::vector<TileId> tiles = tiles_for(ix, z);
    std::size_t i = 0;
    std::size_t bytes = 0;
    std::size_t count = 0;
    for (auto _ : state) {
        const std::string tile = encode(ix, tiles[i]);
        bytes += tile.size();
        ++count;
        i = (i + 1) % tiles.size();
        benchmark::DoNotOptimize(tile.data());
    }
    state.counters["tiles/s"] = benchmark::Counter(static_cast<double>(count), benchmark::Counter::kIsRate);
    state.counters["bytes/tile"] = static_cast<double>(bytes) / static_cast<double>(count);
    state.counters["tiles_in_set"] = static_cast<double>(tiles.size());
}
BENCHMARK(BM_EncodeZoom)->DenseRange(0, 14)->Unit(benchmark::kMicrosecond);

int export_layers(const std::filesystem::path& dir) {
    std::filesystem::create_directories(dir);
    const auto layers = bench_tile::make_layers();
    auto write = [&](const char* name, const std::vector<SourceFeature>& features) {
        std::ofstream out(dir / (std::string(name) + ".csv"));
        for (const auto& f : features) {
            out << f.id << '\t' << f.geometry.to_wkt() << '\t';
            // Properties as a JSON object (keys and strings here need no escaping).
            std::string props = "{";
            for (const auto& [k, v] : f.properties) {
                if (props.size() > 1) {
                    props += ',';
                }
                props.append("\"").append(k).append("\":");
                if (v.is_string()) {
                    props.append("\"").append(v.as_string()).append("\"");
                } else if (v.type() == ValueType::boolean) {
                    props.append(v.as_bool() ? "true" : "false");
                } else {
                    props.append(v.to_string());
                }
            }
            out << props << "}\n";
        }
    };
    write("grids", layers.grids);
    write("jurisdictions", layers.jurisdictions);
    write("service_areas", layers.service_areas);
    write("incidents", layers.incidents);
    const Indexes& ix = indexes();
    std::ofstream tiles(dir / "tiles.csv");
    for (std::uint32_t z = 0; z <= 14; ++z) {
        for (const TileId& t : tiles_for(ix, z)) {
            tiles << t.z << '\t' << t.x << '\t' << t.y << '\n';
        }
    }
    std::cout << "exported SYNTHETIC layers and the tile list to " << dir << "\n";
    return 0;
}

int write_tiles(const std::filesystem::path& dir) {
    const Indexes& ix = indexes();
    std::size_t n = 0;
    for (std::uint32_t z = 0; z <= 14; ++z) {
        for (const TileId& t : tiles_for(ix, z)) {
            const auto path = dir / std::to_string(t.z) / std::to_string(t.x);
            std::filesystem::create_directories(path);
            std::ofstream(path / (std::to_string(t.y) + ".mvt"), std::ios::binary) << encode(ix, t);
            ++n;
        }
    }
    std::cout << "wrote " << n << " tiles to " << dir << "\n";
    return 0;
}

// Encode every tile of tiles_for(z), z = 0..14, `rounds` times, and print
// per zoom: tiles, CPU-independent wall ms per tile (best round), mean bytes.
// The PostGIS script runs the same tile list through ST_AsMVT.
int time_tiles(int rounds) {
    const Indexes& ix = indexes();
    std::cout << "z\ttiles\tms_per_tile\tbytes_per_tile\n";
    for (std::uint32_t z = 0; z <= 14; ++z) {
        const std::vector<TileId> tiles = tiles_for(ix, z);
        double best = 1e300;
        std::size_t bytes = 0;
        for (int r = 0; r < rounds; ++r) {
            bytes = 0;
            const auto start = std::chrono::steady_clock::now();
            for (const TileId& t : tiles) {
                bytes += encode(ix, t).size();
            }
            const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
            best = std::min(best, took.count());
        }
        std::cout << z << '\t' << tiles.size() << '\t' << best / static_cast<double>(tiles.size()) << '\t'
                  << bytes / tiles.size() << '\n';
    }
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg.rfind("--export=", 0) == 0) {
            return export_layers(arg.substr(9));
        }
        if (arg.rfind("--write-tiles=", 0) == 0) {
            return write_tiles(arg.substr(14));
        }
        if (arg == "--time-tiles") {
            return time_tiles(3);
        }
    }
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
        return 1;
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
