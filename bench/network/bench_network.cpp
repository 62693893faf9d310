// The walking-distance engine on real streets: the Monaco 2016 OpenStreetMap
// extract (© OpenStreetMap contributors, ODbL), its facilities grouped by
// category exactly as `geogrid access --facilities osm` does, one bounded
// multi-source run per category at the 15-minute distance (1,125 m).
//
//   BM_ReachAllCategories/threads  Reach via reach_each (the product path)
//   BM_HeapDijkstraAllCategories   the same runs with a textbook binary heap
//                                  (std::priority_queue, lazy deletion): the
//                                  baseline the bucket queue is measured against
//   BM_ServiceAreasAllCategories   5/10/15-minute polygons of every category
//                                  (GEOS buffers + unions), nested levels

#include "geo/access/service_area.hpp"
#include "geo/crs/local.hpp"
#include "geo/crs/transformer.hpp"
#include "geo/network/dijkstra.hpp"
#include "geo/network/osm.hpp"
#include "geo/network/osm_features.hpp"
#include "geo/network/snap.hpp"

#include "reference_dijkstra.hpp"

#include <benchmark/benchmark.h>

#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace {

using namespace geo;

constexpr double cutoff_m = 1125.0; // 15 minutes at 4.5 km/h

struct Scenario {
    network::Graph graph;
    std::vector<std::vector<network::Source>> categories;
};

std::string monaco_path() {
    for (const char* candidate : {"/data/osm/monaco_2016.osm.pbf", "/../shared/data/osm/monaco_2016.osm.pbf"}) {
        const std::string path = std::string(GEO_SOURCE_DIR) + candidate;
        if (std::filesystem::exists(path)) {
            return path;
        }
    }
    throw std::runtime_error("Monaco OSM extract not found under data/osm or ../shared/data/osm");
}

const Scenario& monaco() {
    static const Scenario scenario = [] {
        Scenario s;
        const std::string path = monaco_path();
        const auto wgs84 = crs::Crs::wgs84();
        std::shared_ptr<crs::Transformer> to_metric;
        s.graph = network::read_osm_walking_network(path, [&](const core::Box& lonlat) -> network::Projector {
                      to_metric = std::make_shared<crs::Transformer>(wgs84, crs::local_metric_crs(lonlat));
                      return [to_metric](core::XY p) { return to_metric->transform(p); };
                  }).graph;
        const network::Snapper snapper(s.graph, {100.0, 10}); // the access command's defaults
        std::map<std::string, std::vector<network::Source>> by_category;
        std::uint32_t id = 0;
        for (const auto& f : network::read_osm_features(path).facilities) {
            if (const auto snap = snapper.snap(to_metric->transform(f.lon_lat))) {
                by_category[f.category].push_back({snap->at, id});
            }
            ++id;
        }
        for (auto& [category, sources] : by_category) {
            s.categories.push_back(std::move(sources));
        }
        return s;
    }();
    return scenario;
}

void label(benchmark::State& state, const Scenario& s) {
    state.counters["nodes"] = static_cast<double>(s.graph.node_count());
    state.counters["edges"] = static_cast<double>(s.graph.edge_count());
    state.counters["categories"] = static_cast<double>(s.categories.size());
}

void BM_ReachAllCategories(benchmark::State& state) {
    const Scenario& s = monaco();
    const int threads = static_cast<int>(state.range(0));
    for (auto _ : state) {
        benchmark::DoNotOptimize(network::reach_each(s.graph, s.categories, cutoff_m, threads));
    }
    label(state, s);
}
BENCHMARK(BM_ReachAllCategories)->Arg(1)->Arg(2)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_HeapDijkstraAllCategories(benchmark::State& state) {
    const Scenario& s = monaco();
    for (auto _ : state) {
        for (const auto& sources : s.categories) {
            benchmark::DoNotOptimize(geo::testing::reference_dijkstra(s.graph, sources, cutoff_m));
        }
    }
    label(state, s);
}
BENCHMARK(BM_HeapDijkstraAllCategories)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_ServiceAreasAllCategories(benchmark::State& state) {
    const Scenario& s = monaco();
    const std::vector<network::Reach> runs = network::reach_each(s.graph, s.categories, cutoff_m, 1);
    for (auto _ : state) {
        for (const auto& reach : runs) {
            benchmark::DoNotOptimize(access::service_areas(reach, {375.0, 750.0, cutoff_m}, 50.0));
        }
    }
    label(state, s);
}
BENCHMARK(BM_ServiceAreasAllCategories)->Unit(benchmark::kMillisecond)->UseRealTime();

} // namespace

BENCHMARK_MAIN();
