// geogrid access: 15-minute service circles (GB 50180-2018 levels 5/10/15
// min) on a walking network from OpenStreetMap or any line layer; service
// areas per facility and per category, each resident's network distance to
// the nearest facility of every category, coverage shares per grid and
// jurisdiction, and the gap areas. All analysis runs in the local metric CRS
// of the network; every output layer is WGS84.

#include "command.hpp"
#include "common_options.hpp"

#include "geo/access/coverage.hpp"
#include "geo/access/service_area.hpp"
#include "geo/core/error.hpp"
#include "geo/core/parallel.hpp"
#include "geo/crs/local.hpp"
#include "geo/crs/transformer.hpp"
#include "geo/io/reader.hpp"
#include "geo/io/writer.hpp"
#include "geo/network/dijkstra.hpp"
#include "geo/network/export.hpp"
#include "geo/network/lines.hpp"
#include "geo/network/osm.hpp"
#include "geo/network/osm_features.hpp"
#include "geo/network/snap.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using geo::core::Geometry;
using geo::core::XY;
using geo::io::FieldType;
using geo::io::Layer;
using geo::io::Value;
namespace net = geo::network;

struct AccessOptions {
    std::string network;
    std::string facilities;
    std::string category_field = "category";
    std::vector<std::string> categories;
    std::vector<double> minutes{5.0, 10.0, 15.0};
    double speed_kmh = 4.5;
    double buffer_m = 50.0;
    double max_snap_m = 100.0;
    std::size_t min_component_nodes = 10;
    double gap_radius_m = 100.0;
    bool per_facility = true;
    std::string residents;
    std::string residents_layer;
    std::string network_layer;
    std::string facilities_layer;
    std::string weight_field;
    std::string grids;
    std::string metric_crs;
    geogrid::InputOptions input;
    std::string output;
    std::string report;
    std::string export_graph;
    int timing_repeats = 1;
    int threads = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
};

struct FacilityItem {
    std::string id;
    std::string category;
    std::string name;
    XY position; // metric
    std::optional<net::Snap> snap;
};

// A point for any geometry: itself, or a point on the surface / line.
XY representative_point(const Geometry& g) {
    if (g.type() == geo::core::GeometryType::point) {
        return g.points().front();
    }
    return g.point_on_surface();
}

std::string text_of(const Layer& layer, const geo::io::Feature& f, std::string_view field) {
    const auto index = layer.find_field(field);
    return index ? geo::io::to_string(f.attributes[*index]) : std::string();
}

class Timer {
  public:
    Timer() : m_start(std::chrono::steady_clock::now()) {}
    [[nodiscard]] double seconds() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    }

  private:
    std::chrono::steady_clock::time_point m_start;
};

void run(const AccessOptions& o) {
    const Timer timer;
    if (o.minutes.empty()) {
        throw geo::InputError("--minutes needs at least one level");
    }
    std::vector<double> minutes = o.minutes;
    std::sort(minutes.begin(), minutes.end());
    minutes.erase(std::unique(minutes.begin(), minutes.end()), minutes.end());
    std::vector<double> distances;
    for (const double m : minutes) {
        distances.push_back(geo::access::level_distance_m(m, o.speed_kmh));
    }
    const double cutoff = distances.back();
    const auto wgs84 = geo::crs::Crs::wgs84();

    // --- network, in the local metric CRS -----------------------------------------
    std::optional<geo::crs::Crs> metric;
    auto choose_metric = [&](const geo::core::Box& lonlat) {
        metric = o.metric_crs.empty() ? geo::crs::local_metric_crs(lonlat) : geo::crs::Crs::parse(o.metric_crs);
        if (metric->is_geographic()) {
            throw geo::CrsError("--metric-crs " + o.metric_crs + " is geographic", {},
                                "give a projected CRS in metres, e.g. EPSG:4547");
        }
    };
    net::Graph graph;
    if (net::is_osm_file(o.network)) {
        auto osm = net::read_osm_walking_network(o.network, [&](const geo::core::Box& lonlat) -> net::Projector {
            choose_metric(lonlat);
            auto to_metric = std::make_shared<geo::crs::Transformer>(wgs84, *metric);
            return [to_metric](XY p) { return to_metric->transform(p); };
        });
        graph = std::move(osm.graph);
        std::cout << "network: " << o.network << ": " << osm.stats.ways_walkable << " walkable of "
                  << osm.stats.ways_read << " highway ways\n";
    } else {
        geo::io::ReadOptions read;
        read.crs_override = o.input.crs;
        read.encoding = o.input.encoding;
        read.layer = o.network_layer;
        Layer lines = geo::io::read_layer(o.network, read);
        const geo::crs::Transformer to_wgs84(lines.crs, wgs84);
        choose_metric(to_wgs84.transform_bounds(lines.bounds()));
        geo::io::transform_layer(lines, *metric);
        std::vector<net::LineFeature> features;
        for (const auto& f : lines.features) {
            if (f.geometry.is_null()) {
                continue;
            }
            for (auto& path : f.geometry.paths()) {
                features.push_back({f.id, std::move(path)});
            }
        }
        graph = net::graph_from_lines(features);
    }
    std::cout << "graph: " << graph.node_count() << " nodes, " << graph.edge_count() << " edges, "
              << graph.component_count() << " components (largest " << graph.component_size(graph.largest_component())
              << " nodes), " << static_cast<long long>(graph.total_length()) << " m, CRS " << metric->label()
              << std::endl;

    // --- facilities ------------------------------------------------------------------
    std::vector<FacilityItem> facilities;
    const std::set<std::string> wanted(o.categories.begin(), o.categories.end());
    auto keep = [&](const std::string& category) {
        return !category.empty() && (wanted.empty() || wanted.count(category) > 0);
    };
    const geo::crs::Transformer wgs84_to_metric(wgs84, *metric);
    if (o.facilities == "osm") {
        if (!net::is_osm_file(o.network)) {
            throw geo::InputError("--facilities osm needs an OpenStreetMap --network file");
        }
        for (const auto& f : net::read_osm_features(o.network).facilities) {
            if (keep(f.category)) {
                facilities.push_back({std::string(1, f.osm_type) + std::to_string(f.osm_id), f.category, f.name,
                                      wgs84_to_metric.transform(f.lon_lat), std::nullopt});
            }
        }
    } else {
        geo::io::ReadOptions read;
        read.crs_override = o.input.crs;
        read.encoding = o.input.encoding;
        read.layer = o.facilities_layer;
        Layer layer = geo::io::read_layer(o.facilities, read);
        (void)layer.field_index(o.category_field); // a clear error listing the fields
        geo::io::transform_layer(layer, *metric);
        const bool has_id = layer.find_field("id").has_value();
        for (const auto& f : layer.features) {
            const std::string category = text_of(layer, f, o.category_field);
            if (f.geometry.is_null() || f.geometry.is_empty() || !keep(category)) {
                continue;
            }
            facilities.push_back({has_id ? text_of(layer, f, "id") : std::to_string(f.id), category,
                                  text_of(layer, f, "name"), representative_point(f.geometry), std::nullopt});
        }
    }
    if (facilities.empty()) {
        throw geo::InputError("no facility of the requested categories", {o.facilities, {}, {}},
                              "check --categories and --category-field");
    }
    const net::Snapper snapper(graph, {o.max_snap_m, o.min_component_nodes});
    std::map<std::string, std::vector<std::size_t>> by_category;
    std::size_t unsnapped = 0;
    for (std::size_t i = 0; i < facilities.size(); ++i) {
        facilities[i].snap = snapper.snap(facilities[i].position);
        by_category[facilities[i].category].push_back(i);
        if (!facilities[i].snap) {
            ++unsnapped;
            std::fprintf(stderr,
                         "geogrid: warning: facility %s (%s) is more than %g m from the network: unsnapped, "
                         "Euclidean fallback circles\n",
                         facilities[i].id.c_str(), facilities[i].category.c_str(), o.max_snap_m);
        }
    }
    std::cout << "facilities: " << facilities.size() << " in " << by_category.size() << " categories, " << unsnapped
              << " unsnapped" << std::endl;

    // --- one bounded multi-source run per category, categories spread over the threads ------
    std::vector<std::vector<net::Source>> groups;
    for (const auto& [category, members] : by_category) {
        std::vector<net::Source>& sources = groups.emplace_back();
        for (const std::size_t i : members) {
            if (facilities[i].snap) {
                sources.push_back({facilities[i].snap->at, static_cast<std::uint32_t>(i)});
            }
        }
    }
    std::vector<net::Reach> reaches;
    // --timing-repeats (benchmarks): the phase is repeated and its median time reported, so a
    // millisecond-scale figure is not one cold, noisy sample.
    std::vector<double> phase_ms;
    for (int repeat = 0; repeat < std::max(1, o.timing_repeats); ++repeat) {
        const Timer dijkstra_timer;
        reaches = net::reach_each(graph, groups, cutoff, o.threads);
        phase_ms.push_back(dijkstra_timer.seconds() * 1000.0);
    }
    std::map<std::string, const net::Reach*> runs; // by category, in the order of by_category
    for (std::size_t c = 0; const auto& [category, members] : by_category) {
        runs[category] = &reaches[c++];
    }
    std::nth_element(phase_ms.begin(), phase_ms.begin() + static_cast<std::ptrdiff_t>(phase_ms.size() / 2),
                     phase_ms.end());
    const double dijkstra_ms = phase_ms[phase_ms.size() / 2];
    std::cout << "network distances: " << runs.size() << " bounded multi-source runs in " << dijkstra_ms << " ms"
              << std::endl;
    if (!o.export_graph.empty()) {
        std::filesystem::create_directories(o.export_graph);
        std::ofstream timing(o.export_graph + "/timing.csv");
        timing << "stage,milliseconds\ndijkstra_all_categories," << dijkstra_ms << "\n";
        net::write_nodes_csv(graph, o.export_graph + "/nodes.csv");
        net::write_edges_csv(graph, o.export_graph + "/edges.csv");
        for (const auto& [category, reach] : runs) {
            net::write_sources_csv(*reach, o.export_graph + "/sources_" + category + ".csv");
            net::write_distances_csv(*reach, o.export_graph + "/distances_" + category + ".csv");
        }
        std::ofstream levels(o.export_graph + "/levels.csv");
        levels << "minutes,distance_m\n";
        levels.precision(17);
        for (std::size_t l = 0; l < minutes.size(); ++l) {
            levels << minutes[l] << "," << distances[l] << "\n";
        }
    }

    // --- layers ---------------------------------------------------------------------------
    Layer facility_layer = geo::io::make_layer("facilities",
                                               {{"facility_id", FieldType::string},
                                                {"category", FieldType::string},
                                                {"name", FieldType::string},
                                                {"snapped", FieldType::boolean},
                                                {"snap_distance_m", FieldType::real}},
                                               *metric);
    for (const auto& f : facilities) {
        facility_layer.features.push_back(
            {-1,
             Geometry::point(f.position),
             {f.id, f.category, f.name, f.snap.has_value(), f.snap ? Value{f.snap->distance} : Value{}}});
    }

    Layer areas = geo::io::make_layer("service_areas",
                                      {{"scope", FieldType::string},
                                       {"facility_id", FieldType::string},
                                       {"category", FieldType::string},
                                       {"minutes", FieldType::real},
                                       {"distance_m", FieldType::real},
                                       {"method", FieldType::string},
                                       {"street_length_m", FieldType::real}},
                                      *metric);
    // Service-area polygons (GEOS buffering and union: most of the command's time) are built on
    // all threads, one task per category or facility with all its levels, then written in order.
    struct AreaTask {
        const net::Reach* reach = nullptr;            // the run of a category; a facility's is made in the task
        std::vector<std::size_t> fallback_facilities; // unsnapped facilities unioned in as circles
        std::optional<net::Reach> own;                // per-facility run
        std::size_t facility = 0;
        std::string category;
        bool per_facility = false;
        std::vector<Geometry> areas;
        std::vector<double> lengths;
    };
    std::vector<AreaTask> tasks;
    for (const auto& [category, reach] : runs) {
        AreaTask& t = tasks.emplace_back();
        t.reach = reach;
        t.category = category;
        for (const std::size_t i : by_category[category]) {
            if (!facilities[i].snap) {
                t.fallback_facilities.push_back(i);
            }
        }
    }
    if (o.per_facility) {
        for (std::size_t i = 0; i < facilities.size(); ++i) {
            AreaTask& t = tasks.emplace_back();
            t.facility = i;
            t.category = facilities[i].category;
            t.per_facility = true;
        }
    }
    geo::core::parallel_for(tasks.size(), o.threads, [&](std::size_t k) {
        AreaTask& t = tasks[k];
        if (t.per_facility) {
            const FacilityItem& f = facilities[t.facility];
            if (!f.snap) {
                for (const double d : distances) {
                    t.areas.push_back(geo::access::euclidean_circle(f.position, d));
                }
                return;
            }
            t.own.emplace(graph, std::vector<net::Source>{{f.snap->at, static_cast<std::uint32_t>(t.facility)}},
                          cutoff);
            t.reach = &*t.own;
        }
        t.areas = geo::access::service_areas(*t.reach, distances, o.buffer_m);
        for (std::size_t l = 0; l < distances.size(); ++l) {
            // Unsnapped facilities of the category join with their labelled circles.
            for (const std::size_t i : t.fallback_facilities) {
                t.areas[l] = t.areas[l].union_with(geo::access::euclidean_circle(facilities[i].position, distances[l]));
            }
            t.lengths.push_back(geo::access::reachable_length(*t.reach, distances[l]));
        }
        t.own.reset();
    });
    for (AreaTask& t : tasks) {
        // An unsnapped facility's own areas are Euclidean circles (no street length); a category
        // area that includes such circles says so.
        const bool euclidean = t.per_facility && t.lengths.empty();
        const std::string method = euclidean                       ? "euclidean"
                                   : t.fallback_facilities.empty() ? "network"
                                                                   : "network+euclidean";
        for (std::size_t l = 0; l < minutes.size(); ++l) {
            areas.features.push_back({-1,
                                      std::move(t.areas[l]),
                                      {std::string(t.per_facility ? "facility" : "category"),
                                       t.per_facility ? Value{facilities[t.facility].id} : Value{}, t.category,
                                       minutes[l], distances[l], method, euclidean ? Value{} : Value{t.lengths[l]}}});
        }
    }

    std::vector<Layer> extra;
    std::ostringstream report_rows;
    if (!o.residents.empty()) {
        geo::io::ReadOptions read;
        read.crs_override = o.input.crs;
        read.encoding = o.input.encoding;
        read.layer = o.residents_layer;
        Layer layer = geo::io::read_layer(o.residents, read);
        // SIZE_MAX = no weight field: every resident counts 1.
        const std::size_t weight_index =
            o.weight_field.empty() ? static_cast<std::size_t>(-1) : layer.field_index(o.weight_field);
        geo::io::transform_layer(layer, *metric);
        std::vector<geo::access::Resident> residents;
        for (const auto& f : layer.features) {
            if (f.geometry.is_null() || f.geometry.is_empty()) {
                continue;
            }
            double weight = 1.0;
            if (weight_index != static_cast<std::size_t>(-1)) {
                const auto w = geo::io::to_double(f.attributes[weight_index]);
                if (!w || *w < 0.0 || !std::isfinite(*w)) {
                    throw geo::InputError("weight is not a non-negative number", {o.residents, layer.name, f.id},
                                          "check --weight-field");
                }
                weight = *w;
            }
            residents.push_back({f.id, representative_point(f.geometry), weight});
        }
        std::vector<std::optional<net::Snap>> snaps;
        std::size_t resident_unsnapped = 0;
        for (const auto& r : residents) {
            snaps.push_back(snapper.snap(r.position));
            resident_unsnapped += snaps.back() ? 0 : 1;
        }
        std::cout << "residents: " << residents.size() << " points, " << resident_unsnapped << " farther than "
                  << o.max_snap_m << " m from the network (counted as not covered)" << std::endl;

        std::vector<geo::access::Zone> zones;
        Geometry study_area;
        if (!o.grids.empty()) {
            for (const char* kind : {"grids", "jurisdictions"}) {
                geo::io::ReadOptions zr;
                zr.layer = kind;
                zr.crs_override = o.input.crs;
                Layer zl;
                try {
                    zl = geo::io::read_layer(o.grids, zr);
                } catch (const geo::InputError&) {
                    if (std::string(kind) == "grids") {
                        throw;
                    }
                    continue; // no jurisdictions layer: grids only
                }
                geo::io::transform_layer(zl, *metric);
                const auto code = zl.field_index("code");
                for (const auto& f : zl.features) {
                    if (!f.geometry.is_null() && !f.geometry.is_empty()) {
                        zones.push_back({std::string(kind) == "grids" ? "grid" : "jurisdiction",
                                         geo::io::to_string(f.attributes[code]), f.geometry});
                    }
                }
            }
            std::vector<Geometry> grid_polygons;
            for (const auto& z : zones) {
                if (z.kind == "grid") {
                    grid_polygons.push_back(z.polygon);
                }
            }
            study_area = Geometry::union_all(std::move(grid_polygons));
        }
        const auto members = geo::access::residents_per_zone(residents, zones);

        Layer resident_access = geo::io::make_layer("resident_access",
                                                    {{"resident_id", FieldType::int64},
                                                     {"category", FieldType::string},
                                                     {"distance_m", FieldType::real},
                                                     {"facility_id", FieldType::string},
                                                     {"snap_distance_m", FieldType::real},
                                                     {"weight", FieldType::real}},
                                                    *metric);
        Layer coverage = geo::io::make_layer("coverage",
                                             {{"kind", FieldType::string},
                                              {"code", FieldType::string},
                                              {"category", FieldType::string},
                                              {"minutes", FieldType::real},
                                              {"distance_m", FieldType::real},
                                              {"residents", FieldType::int64},
                                              {"covered_residents", FieldType::int64},
                                              {"weight", FieldType::real},
                                              {"covered_weight", FieldType::real},
                                              {"share", FieldType::real}},
                                             *metric);
        Layer gaps = geo::io::make_layer("gaps",
                                         {{"category", FieldType::string},
                                          {"minutes", FieldType::real},
                                          {"distance_m", FieldType::real},
                                          {"uncovered_residents", FieldType::int64},
                                          {"uncovered_weight", FieldType::real}},
                                         *metric);
        for (const auto& [category, reach] : runs) {
            std::vector<double> distance(residents.size(), net::unreachable);
            for (std::size_t r = 0; r < residents.size(); ++r) {
                std::optional<net::Nearest> hit;
                if (snaps[r]) {
                    hit = reach->nearest(snaps[r]->at);
                }
                if (hit) {
                    distance[r] = hit->distance;
                }
                resident_access.features.push_back(
                    {-1,
                     Geometry::point(residents[r].position),
                     {residents[r].id, category, hit ? Value{hit->distance} : Value{},
                      hit ? Value{facilities[hit->source].id} : Value{}, snaps[r] ? Value{snaps[r]->distance} : Value{},
                      residents[r].weight}});
            }
            for (const auto& row :
                 geo::access::coverage_rows(category, residents, distance, zones, members, minutes, distances)) {
                Geometry where;
                for (const auto& z : zones) {
                    if (z.kind == row.kind && z.code == row.code) {
                        where = z.polygon;
                        break;
                    }
                }
                coverage.features.push_back(
                    {-1,
                     std::move(where),
                     {row.kind, row.code, row.category, row.minutes, row.distance_m,
                      static_cast<std::int64_t>(row.residents), static_cast<std::int64_t>(row.covered_residents),
                      row.weight, row.covered_weight, row.share()}});
                if (row.kind == "all") {
                    char line[256];
                    std::snprintf(line, sizeof line, "| %s | %g | %.0f | %zu of %zu | %.1f %% |\n", category.c_str(),
                                  row.minutes, row.distance_m, row.covered_residents, row.residents,
                                  100.0 * row.share());
                    report_rows << line;
                }
            }
            for (std::size_t l = 0; l < minutes.size(); ++l) {
                std::int64_t count = 0;
                double weight = 0.0;
                for (std::size_t r = 0; r < residents.size(); ++r) {
                    if (residents[r].weight > 0.0 && !(distance[r] <= distances[l])) {
                        ++count;
                        weight += residents[r].weight;
                    }
                }
                Geometry gap = geo::access::gap_area(residents, distance, distances[l], o.gap_radius_m, study_area);
                if (!gap.is_empty()) {
                    gaps.features.push_back({-1, std::move(gap), {category, minutes[l], distances[l], count, weight}});
                }
            }
        }
        extra.push_back(std::move(resident_access));
        extra.push_back(std::move(coverage));
        extra.push_back(std::move(gaps));
    }

    geo::io::WriteOptions write;
    write.mode = geo::io::WriteMode::overwrite;
    write.crs = wgs84;
    std::vector<const Layer*> all{&facility_layer, &areas};
    for (const auto& layer : extra) {
        all.push_back(&layer);
    }
    for (const Layer* layer : all) {
        const auto result = geo::io::write_layer(o.output, *layer, write);
        for (const auto& warning : result.warnings) {
            std::fprintf(stderr, "geogrid: warning: %s\n", warning.c_str());
        }
        std::cout << "  " << result.layer << ": " << result.features_written << " features\n";
    }
    std::cout << "wrote " << o.output << " in " << timer.seconds() << " s\n";

    if (!o.report.empty()) {
        std::ofstream md(o.report);
        if (!md) {
            throw geo::IoError("cannot create the report", {o.report, {}, {}});
        }
        md << "# Walking access report\n\n"
           << "- network: `" << o.network << "` — " << graph.node_count() << " nodes, " << graph.edge_count()
           << " edges, " << graph.component_count() << " connected components, analysis CRS " << metric->label()
           << "\n- walking speed " << o.speed_kmh << " km/h; service areas buffered by " << o.buffer_m
           << " m; snap distance ≤ " << o.max_snap_m << " m\n- facilities: " << facilities.size() << " (" << unsnapped
           << " unsnapped, shown as Euclidean circles labelled `euclidean`)\n\n";
        md << "| category | facilities |\n|---|---|\n";
        for (const auto& [category, members] : by_category) {
            md << "| " << category << " | " << members.size() << " |\n";
        }
        if (!o.residents.empty()) {
            md << "\n## Residents within each level (study area)\n\n"
               << "| category | minutes | metres | residents covered | weight share |\n|---|---|---|---|---|\n"
               << report_rows.str();
        }
        if (net::is_osm_file(o.network)) {
            md << "\nMap data © OpenStreetMap contributors (ODbL 1.0).\n";
        }
    }
}

std::vector<double> parse_minutes(const std::string& text) {
    std::vector<double> values;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ',')) {
        try {
            std::size_t used = 0;
            values.push_back(std::stod(item, &used));
            if (used != item.size()) {
                throw std::invalid_argument(item);
            }
        } catch (const std::exception&) {
            throw geo::InputError("--minutes: '" + item + "' is not a number", {}, "e.g. --minutes 5,10,15");
        }
    }
    return values;
}

void setup(CLI::App& app) {
    auto o = std::make_shared<AccessOptions>();
    auto minutes_text = std::make_shared<std::string>("5,10,15");
    CLI::App* cmd = app.add_subcommand(
        "access", "15-minute service circles: service areas, residents' network distance to facilities, coverage "
                  "per grid/jurisdiction and gap areas (GB 50180-2018 levels)");
    cmd->add_option("--network", o->network, "Walking network: OSM file (.osm.pbf/.osm/.osm.bz2) or a line layer")
        ->required();
    cmd->add_option("--facilities", o->facilities, "Facility layer, or 'osm' to take them from the --network file")
        ->required();
    cmd->add_option("--category-field", o->category_field, "Facility category field (default category)");
    cmd->add_option("--categories", o->categories, "Only these categories (comma separated)")->delimiter(',');
    cmd->add_option("--minutes", *minutes_text, "Walking-time levels in minutes (default 5,10,15)");
    cmd->add_option("--speed-kmh", o->speed_kmh, "Walking speed in km/h (default 4.5)");
    cmd->add_option("--buffer-m", o->buffer_m, "Width around reachable streets in service areas (default 50 m)");
    cmd->add_option("--max-snap-m", o->max_snap_m,
                    "Points farther from the network stay unsnapped and are reported (default 100 m)");
    cmd->add_option("--min-component-nodes", o->min_component_nodes,
                    "Snap only to network components with at least this many nodes (default 10)");
    cmd->add_option("--gap-cell-m", o->gap_radius_m, "Lattice cell size of gap polygons (default 100 m)");
    cmd->add_flag("!--no-per-facility", o->per_facility, "Skip the per-facility service areas");
    cmd->add_option("--timing-repeats", o->timing_repeats,
                    "Benchmarks: repeat the network-distance phase N times and report its median time")
        ->check(CLI::Range(1, 100000));
    cmd->add_option("--threads", o->threads,
                    "Threads for the distance runs and the service-area polygons (default: every core; the "
                    "output does not depend on it)")
        ->check(CLI::Range(1, 256));
    cmd->add_option("--residents", o->residents, "Resident points (or polygons: their point on surface)");
    cmd->add_option("--network-layer", o->network_layer, "Layer of a line --network when it has several");
    cmd->add_option("--residents-layer", o->residents_layer, "Layer of --residents when it has several");
    cmd->add_option("--facilities-layer", o->facilities_layer, "Layer of --facilities when it has several");
    cmd->add_option("--weight-field", o->weight_field, "Resident weight field (default: 1 per feature)");
    cmd->add_option("--grids", o->grids,
                    "GeoPackage with a 'grids' layer (and optionally 'jurisdictions'), field code");
    cmd->add_option("--metric-crs", o->metric_crs, "Analysis CRS in metres (default: UTM / CGCS2000 GK zone)");
    geogrid::add_input_options(*cmd, o->input);
    cmd->add_option("--out", o->output,
                    "Output GeoPackage (layers facilities, service_areas, resident_access, "
                    "coverage, gaps; WGS84)")
        ->required();
    cmd->add_option("--report", o->report, "Markdown report");
    cmd->add_option("--export-graph", o->export_graph,
                    "Directory for nodes.csv, edges.csv and per-category sources/distances (for independent checks)");
    cmd->callback([o, minutes_text] {
        o->minutes = parse_minutes(*minutes_text);
        run(*o);
    });
}

} // namespace

GEOGRID_COMMAND("access", setup);
