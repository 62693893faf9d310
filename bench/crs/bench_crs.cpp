// Throughput of the CRS layer on points spread over Tianjin: the closed-form
// GCJ-02 offset, its iterative inverse, PROJ transforms through a
// Transformer, and the cost of building a Transformer (first and cached).

#include "geo/crs/crs.hpp"
#include "geo/crs/gcj02.hpp"
#include "geo/crs/transformer.hpp"

#include <benchmark/benchmark.h>

#include <vector>

namespace {

using geo::core::XY;
using namespace geo::crs;

// A deterministic 100 × 100 grid over Tianjin (116.7..118.1E, 38.5..40.3N).
const std::vector<XY>& tianjin_points() {
    static const std::vector<XY> points = [] {
        std::vector<XY> p;
        for (int i = 0; i < 100; ++i) {
            for (int j = 0; j < 100; ++j) {
                p.push_back(XY{116.7 + 1.4 * i / 99.0, 38.5 + 1.8 * j / 99.0});
            }
        }
        return p;
    }();
    return points;
}

template <typename F> void run_points(benchmark::State& state, F f) {
    const auto& points = tianjin_points();
    for (auto _ : state) {
        for (const XY p : points) {
            benchmark::DoNotOptimize(f(p));
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * points.size()));
}

void BM_Wgs84ToGcj02(benchmark::State& state) {
    run_points(state, wgs84_to_gcj02);
}
void BM_Gcj02ToWgs84Iterative(benchmark::State& state) {
    run_points(state, gcj02_to_wgs84);
}
void BM_Bd09ToWgs84(benchmark::State& state) {
    run_points(state, bd09_to_wgs84);
}

void BM_TransformWgs84ToWebMercator(benchmark::State& state) {
    const Transformer t(Crs::wgs84(), Crs::web_mercator());
    run_points(state, [&t](XY p) { return t.transform(p); });
}

void BM_TransformGcj02ToGaussKruger117E(benchmark::State& state) {
    const Transformer t(Crs::gcj02(), Crs::parse("EPSG:4548"));
    run_points(state, [&t](XY p) { return t.transform(p); });
}

void BM_ConstructTransformerWgs84ToGaussKrugerCached(benchmark::State& state) {
    const Crs from = Crs::wgs84();
    const Crs to = Crs::parse("EPSG:4548");
    const Transformer first(from, to); // fills the per-process operation cache
    for (auto _ : state) {
        const Transformer t(from, to);
        benchmark::DoNotOptimize(&t);
    }
}

void BM_ParseEpsg(benchmark::State& state) {
    for (auto _ : state) {
        benchmark::DoNotOptimize(Crs::parse("EPSG:4548"));
    }
}

} // namespace

BENCHMARK(BM_Wgs84ToGcj02);
BENCHMARK(BM_Gcj02ToWgs84Iterative);
BENCHMARK(BM_Bd09ToWgs84);
BENCHMARK(BM_TransformWgs84ToWebMercator);
BENCHMARK(BM_TransformGcj02ToGaussKruger117E);
BENCHMARK(BM_ConstructTransformerWgs84ToGaussKrugerCached);
BENCHMARK(BM_ParseEpsg);

BENCHMARK_MAIN();
