// geogrid shelters: who can reach an emergency shelter with room for them,
// which shelters would overflow if everyone went to the nearest one, and
// which K candidate sites would add the most places (docs/shelter.md).
// Works in the local metric CRS of the data; every output layer is WGS84.

#include "command.hpp"
#include "common_options.hpp"

#include "geo/core/error.hpp"
#include "geo/core/prepared.hpp"
#include "geo/crs/local.hpp"
#include "geo/crs/transformer.hpp"
#include "geo/io/reader.hpp"
#include "geo/io/writer.hpp"
#include "geo/network/lines.hpp"
#include "geo/network/osm.hpp"
#include "geo/network/osm_features.hpp"
#include "geo/network/snap.hpp"
#include "geo/shelter/allocation.hpp"
#include "geo/shelter/model.hpp"
#include "geo/shelter/reach.hpp"
#include "geo/shelter/siting.hpp"

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
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace net = geo::network;
namespace sh = geo::shelter;
using geo::core::Geometry;
using geo::core::XY;
using geo::io::Feature;
using geo::io::FieldType;
using geo::io::Layer;
using geo::io::Value;

const char* const attribution = "© OpenStreetMap contributors (ODbL 1.0)";

struct Options {
    std::string network;
    std::string shelters;
    std::string class_field;
    std::string capacity_field;
    std::string area_field;
    double usable_share = 0.5;
    std::string default_class = "emergency";
    std::string demand;
    std::string population_field;
    std::string grids;
    std::string candidates;
    std::string candidate_class = "emergency";
    std::size_t add = 0;
    std::vector<std::string> max_walk;
    std::vector<std::string> area_per_person;
    double max_snap = 150.0;
    std::string out;
    std::string report;
    std::string dump_instance;
    std::string network_layer, shelters_layer, demand_layer, candidates_layer, grids_layer;
    std::vector<std::string> proxy_kinds{"park", "square"};
    geogrid::InputOptions input;
};

// A shelter, candidate or demand unit, in the metric CRS.
struct Place {
    std::string id;
    std::string name;
    std::string kind;
    Geometry geometry; ///< original geometry (metric)
    XY position;
    sh::ShelterClass cls = sh::ShelterClass::emergency;
    double effective_area = 0.0;
    double capacity = 0.0;
    double population = 0.0;
};

struct Context {
    geo::crs::Crs metric = geo::crs::Crs::wgs84();
    std::optional<net::OsmExtract> osm;
    net::Graph graph;
};

std::string fmt(const char* f, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

std::string osm_id_text(char type, std::int64_t id) {
    return std::string(1, type) + std::to_string(id);
}

void parse_class_values(const std::vector<std::string>& items, const char* option, sh::ClassTable& table, bool walk) {
    for (const auto& item : items) {
        const auto eq = item.find('=');
        if (eq == std::string::npos) {
            throw geo::InputError(std::string(option) + " takes CLASS=VALUE, got '" + item + "'");
        }
        const sh::ShelterClass c = sh::parse_shelter_class(item.substr(0, eq));
        double v = 0.0;
        try {
            v = std::stod(item.substr(eq + 1));
        } catch (const std::exception&) {
            throw geo::InputError(std::string(option) + ": '" + item.substr(eq + 1) + "' is not a number");
        }
        sh::ClassRule rule = table.at(c);
        (walk ? rule.max_walk_m : rule.area_per_person_m2) = v;
        table.set(c, rule);
    }
}

void load_network(const Options& o, Context& ctx) {
    const auto wgs84 = geo::crs::Crs::wgs84();
    if (net::is_osm_file(o.network)) {
        ctx.osm = net::read_osm_features(o.network);
        ctx.metric = geo::crs::local_metric_crs(ctx.osm->bounds);
        auto to_metric = std::make_shared<geo::crs::Transformer>(wgs84, ctx.metric);
        const net::Projector project = [to_metric](XY p) { return to_metric->transform(p); };
        ctx.graph = net::read_osm_walking_network(o.network, project).graph;
        return;
    }
    geo::io::ReadOptions read;
    read.crs_override = o.input.crs;
    read.encoding = o.input.encoding;
    read.layer = o.network_layer;
    Layer lines = geo::io::read_layer(o.network, read);
    const geo::crs::Transformer to_wgs84(lines.crs, wgs84);
    ctx.metric = geo::crs::local_metric_crs(to_wgs84.transform_bounds(lines.bounds()));
    geo::io::transform_layer(lines, ctx.metric);
    std::vector<net::LineFeature> features;
    for (const auto& f : lines.features) {
        if (!f.geometry.is_null()) {
            for (auto& path : f.geometry.paths()) {
                features.push_back({f.id, std::move(path)});
            }
        }
    }
    if (features.empty()) {
        throw geo::InputError("the network layer holds no lines", {o.network, {}, {}});
    }
    ctx.graph = net::graph_from_lines(features);
}

Layer read_metric(const std::string& path, const std::string& layer_name, const Options& o,
                  const geo::crs::Crs& metric) {
    geo::io::ReadOptions read;
    read.layer = layer_name;
    read.crs_override = o.input.crs;
    read.encoding = o.input.encoding;
    Layer layer = geo::io::read_layer(path, read);
    geo::io::transform_layer(layer, metric);
    return layer;
}

std::string label_of(const Layer& layer, const Feature& f) {
    for (const char* name : {"name", "名称", "grid_id", "id"}) {
        if (auto i = layer.find_field(name); i && !geo::io::is_null(f.attributes[*i])) {
            return geo::io::to_string(f.attributes[*i]);
        }
    }
    return std::to_string(f.id);
}

bool is_polygonal(const Geometry& g) {
    const auto t = geo::core::to_string(g.type());
    return std::string(t).find("Polygon") != std::string::npos;
}

// Shelters or candidates from a file: class, effective area and capacity per the rules in docs/shelter.md.
std::vector<Place> sites_from_file(const std::string& path, const std::string& layer_name, const Options& o,
                                   const Context& ctx, const sh::ClassTable& table, const std::string& default_class) {
    Layer layer = read_metric(path, layer_name, o, ctx.metric);
    std::optional<std::size_t> class_i, capacity_i, area_i;
    if (!o.class_field.empty()) {
        class_i = layer.field_index(o.class_field);
    }
    if (!o.capacity_field.empty()) {
        capacity_i = layer.field_index(o.capacity_field);
    }
    if (!o.area_field.empty()) {
        area_i = layer.field_index(o.area_field);
    }
    std::vector<Place> out;
    for (const auto& f : layer.features) {
        if (f.geometry.is_null() || f.geometry.is_empty()) {
            continue;
        }
        Place p;
        p.id = std::to_string(f.id);
        p.name = label_of(layer, f);
        p.kind = "file";
        p.geometry = f.geometry;
        p.position = f.geometry.point_on_surface();
        p.cls = sh::parse_shelter_class(class_i && !geo::io::is_null(f.attributes[*class_i])
                                            ? geo::io::to_string(f.attributes[*class_i])
                                            : default_class);
        const geo::ErrorContext where{path, layer.name, f.id};
        if (capacity_i && !geo::io::is_null(f.attributes[*capacity_i])) {
            const auto v = geo::io::to_double(f.attributes[*capacity_i]);
            if (!v || *v < 0.0) {
                throw geo::InputError("capacity is not a non-negative number", where);
            }
            p.capacity = *v;
            p.effective_area = *v * table.at(p.cls).area_per_person_m2;
        } else {
            if (area_i && !geo::io::is_null(f.attributes[*area_i])) {
                const auto v = geo::io::to_double(f.attributes[*area_i]);
                if (!v || *v < 0.0) {
                    throw geo::InputError("effective area is not a non-negative number", where);
                }
                p.effective_area = *v;
            } else if (is_polygonal(f.geometry)) {
                p.effective_area = f.geometry.area() * o.usable_share;
            } else {
                throw geo::InputError("a point shelter needs a capacity or an effective area", where,
                                      "give --capacity-field or --area-field, or use polygons");
            }
            p.capacity = sh::capacity_from_area(p.effective_area, p.cls, table);
        }
        out.push_back(std::move(p));
    }
    return out;
}

std::vector<Place> sites_from_osm(const Context& ctx, const std::vector<std::string>& kinds, sh::ShelterClass cls,
                                  double usable_share, const sh::ClassTable& table,
                                  const std::vector<std::string>& exclude_ids) {
    const geo::crs::Transformer to_metric(geo::crs::Crs::wgs84(), ctx.metric);
    std::vector<Place> out;
    for (const auto& c : ctx.osm->shelter_candidates) {
        if (std::find(kinds.begin(), kinds.end(), c.kind) == kinds.end() || !(c.area_m2 > 0.0)) {
            continue;
        }
        Place p;
        p.id = osm_id_text(c.osm_type, c.osm_id);
        if (std::find(exclude_ids.begin(), exclude_ids.end(), p.id) != exclude_ids.end()) {
            continue;
        }
        p.name = c.name;
        p.kind = c.kind;
        p.geometry = to_metric.transform(c.geometry);
        p.position = p.geometry.point_on_surface();
        p.cls = cls;
        p.effective_area = p.geometry.area() * usable_share;
        p.capacity = sh::capacity_from_area(p.effective_area, cls, table);
        out.push_back(std::move(p));
    }
    return out;
}

std::vector<Place> demand_units(const Options& o, const Context& ctx) {
    std::vector<Place> out;
    if (o.demand == "osm") {
        if (!ctx.osm) {
            throw geo::InputError("--demand osm needs an OpenStreetMap --network file");
        }
        const geo::crs::Transformer to_metric(geo::crs::Crs::wgs84(), ctx.metric);
        for (const auto& b : ctx.osm->buildings) {
            if (b.residents_estimate > 0.0) {
                Place p;
                p.id = osm_id_text(b.osm_type, b.osm_id);
                p.kind = b.building;
                p.position = to_metric.transform(b.footprint.point_on_surface());
                p.population = b.residents_estimate;
                out.push_back(std::move(p));
            }
        }
        return out;
    }
    Layer layer = read_metric(o.demand, o.demand_layer, o, ctx.metric);
    std::size_t pop_i = 0;
    if (!o.population_field.empty()) {
        pop_i = layer.field_index(o.population_field);
    } else if (auto i = layer.find_field("population")) {
        pop_i = *i;
    } else if (auto j = layer.find_field("residents_estimate")) {
        pop_i = *j;
    } else {
        pop_i = layer.field_index("population"); // throws, listing the fields
    }
    for (const auto& f : layer.features) {
        if (f.geometry.is_null() || f.geometry.is_empty()) {
            continue;
        }
        const auto v = geo::io::to_double(f.attributes[pop_i]);
        if (geo::io::is_null(f.attributes[pop_i])) {
            continue;
        }
        if (!v || *v < 0.0 || !std::isfinite(*v)) {
            throw geo::InputError("population is not a non-negative number", {o.demand, layer.name, f.id});
        }
        Place p;
        p.id = std::to_string(f.id);
        p.name = label_of(layer, f);
        p.position = f.geometry.point_on_surface();
        p.population = *v;
        out.push_back(std::move(p));
    }
    return out;
}

void write(const std::string& path, const Layer& layer) {
    geo::io::WriteOptions options;
    options.mode = geo::io::WriteMode::overwrite;
    options.crs = geo::crs::Crs::wgs84();
    const auto result = geo::io::write_layer(path, layer, options);
    for (const auto& w : result.warnings) {
        std::fprintf(stderr, "geogrid: warning: %s\n", w.c_str());
    }
    std::cout << "  " << layer.name << ": " << result.features_written << " features\n";
}

void dump_instance(const std::string& dir, const std::vector<Place>& units, const std::vector<Place>& shelters,
                   const std::vector<Place>& candidates, const std::vector<sh::Link>& links, const sh::Allocation& best,
                   const sh::Allocation& nearest, const std::optional<sh::Siting>& siting, std::size_t k,
                   double solve_seconds) {
    std::filesystem::create_directories(dir);
    std::ofstream u(dir + "/units.csv");
    u.precision(17);
    u << "unit,population\n";
    for (std::size_t i = 0; i < units.size(); ++i) {
        u << i << ',' << units[i].population << '\n';
    }
    std::ofstream s(dir + "/sites.csv");
    s.precision(17);
    s << "site,capacity,candidate\n";
    for (std::size_t i = 0; i < shelters.size(); ++i) {
        s << i << ',' << shelters[i].capacity << ",0\n";
    }
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        s << shelters.size() + i << ',' << candidates[i].capacity << ",1\n";
    }
    std::ofstream l(dir + "/links.csv");
    l.precision(17);
    l << "unit,site,distance\n";
    for (const auto& x : links) {
        l << x.unit << ',' << x.site << ',' << x.distance << '\n';
    }
    std::ofstream r(dir + "/result.json");
    r.precision(17);
    r << "{\n  \"units\": " << units.size() << ",\n  \"shelters\": " << shelters.size()
      << ",\n  \"candidates\": " << candidates.size() << ",\n  \"links\": " << links.size()
      << ",\n  \"demand\": " << best.demand << ",\n  \"served\": " << best.served
      << ",\n  \"person_metres\": " << best.person_metres << ",\n  \"solve_seconds\": " << solve_seconds
      << ",\n  \"nearest_served\": " << nearest.served << ",\n  \"k\": " << k;
    if (siting) {
        r << ",\n  \"served_before\": " << siting->served_before << ",\n  \"picks\": [";
        for (std::size_t i = 0; i < siting->picks.size(); ++i) {
            r << (i ? ", " : "") << "{\"candidate\": " << siting->picks[i].candidate
              << ", \"gain\": " << siting->picks[i].gain << "}";
        }
        r << "]";
    }
    r << "\n}\n";
}

void run(const Options& o) {
    if (geo::io::driver_for_path(o.out) != "GPKG") {
        throw geo::InputError("--out must be a GeoPackage (.gpkg): the result has several layers");
    }
    if (!(o.usable_share > 0.0 && o.usable_share <= 1.0)) {
        throw geo::InputError("--usable-share must be in (0, 1]");
    }
    if (o.add > 0 && o.candidates.empty()) {
        throw geo::InputError("--add needs --candidates");
    }
    sh::ClassTable table;
    parse_class_values(o.max_walk, "--max-walk", table, true);
    parse_class_values(o.area_per_person, "--area-per-person", table, false);
    const sh::ShelterClass default_class = sh::parse_shelter_class(o.default_class);
    const sh::ShelterClass candidate_class = sh::parse_shelter_class(o.candidate_class);

    Context ctx;
    load_network(o, ctx);
    std::cout << "network: " << ctx.graph.node_count() << " nodes, " << ctx.graph.edge_count() << " edges, CRS "
              << ctx.metric.label() << "\n";

    // --- shelters ---------------------------------------------------------------------
    std::vector<std::string> notes;
    std::vector<Place> shelters;
    if (o.shelters == "osm") {
        if (!ctx.osm) {
            throw geo::InputError("--shelters osm needs an OpenStreetMap --network file");
        }
        std::size_t points = 0;
        for (const auto& c : ctx.osm->shelter_candidates) {
            points += (c.kind == "assembly_point" && !(c.area_m2 > 0.0)) ? 1 : 0;
        }
        shelters = sites_from_osm(ctx, {"assembly_point"}, default_class, o.usable_share, table, {});
        std::ostringstream note;
        note << "OSM holds " << shelters.size() << " emergency=assembly_point area(s) and " << points
             << " assembly point node(s) (nodes have no area, so no capacity).";
        if (shelters.empty()) {
            for (const auto& k : o.proxy_kinds) {
                if (k != "park" && k != "square" && k != "school") {
                    throw geo::InputError("--proxy-kinds takes park, square and school, got '" + k + "'");
                }
            }
            shelters = sites_from_osm(ctx, o.proxy_kinds, default_class, o.usable_share, table, {});
            std::string kinds;
            for (const auto& k : o.proxy_kinds) {
                kinds += (kinds.empty() ? "" : ", ") + k;
            }
            note << " Real shelter data are MISSING: OSM areas of kind " << kinds
                 << " (leisure=park; place=square or pedestrian areas; amenity=school) stand in as a documented PROXY ("
                 << shelters.size() << " sites).";
        }
        note << " amenity=shelter (mostly weather shelters at stops) is not an emergency shelter.";
        notes.push_back(note.str());
    } else {
        shelters = sites_from_file(o.shelters, o.shelters_layer, o, ctx, table, o.default_class);
    }
    if (shelters.empty()) {
        throw geo::InputError("no shelters to allocate to", {o.shelters, {}, {}});
    }
    std::vector<Place> candidates;
    if (!o.candidates.empty()) {
        if (o.candidates == "osm") {
            if (!ctx.osm) {
                throw geo::InputError("--candidates osm needs an OpenStreetMap --network file");
            }
            std::vector<std::string> used;
            for (const auto& s : shelters) {
                used.push_back(s.id);
            }
            candidates = sites_from_osm(ctx, {"park", "square", "school"}, candidate_class, o.usable_share, table,
                                        o.shelters == "osm" ? used : std::vector<std::string>{});
            // A site that already is a shelter (its area holds a shelter's
            // point, or the reverse) is not a new candidate.
            std::erase_if(candidates, [&](const Place& c) {
                const Geometry cp = Geometry::point(c.position);
                return std::any_of(shelters.begin(), shelters.end(), [&](const Place& s) {
                    return (is_polygonal(c.geometry) && c.geometry.covers(Geometry::point(s.position))) ||
                           (is_polygonal(s.geometry) && s.geometry.covers(cp));
                });
            });
        } else {
            candidates = sites_from_file(o.candidates, o.candidates_layer, o, ctx, table, o.candidate_class);
        }
    }
    const std::vector<Place> units = demand_units(o, ctx);
    if (units.empty()) {
        throw geo::InputError("no demand units with a population", {o.demand, {}, {}});
    }

    // --- reach, allocation, siting -----------------------------------------------------
    net::SnapOptions snap_options;
    snap_options.max_distance = o.max_snap;
    const net::Snapper snapper(ctx.graph, snap_options);
    std::vector<XY> unit_xy;
    std::vector<double> populations;
    for (const auto& u : units) {
        unit_xy.push_back(u.position);
        populations.push_back(u.population);
    }
    std::vector<sh::Site> sites;
    std::vector<double> capacities, candidate_capacities;
    for (const auto& s : shelters) {
        sites.push_back({s.position, table.at(s.cls).max_walk_m});
        capacities.push_back(s.capacity);
    }
    const bool siting_on = o.add > 0;
    if (siting_on) {
        for (const auto& c : candidates) {
            sites.push_back({c.position, table.at(c.cls).max_walk_m});
            candidate_capacities.push_back(c.capacity);
        }
    }
    using clock = std::chrono::steady_clock;
    const auto t0 = clock::now();
    const sh::Reachability reach = sh::reachable_pairs(ctx.graph, snapper, unit_xy, sites);
    std::vector<sh::Link> existing_links;
    for (const auto& l : reach.links) {
        if (l.site < shelters.size()) {
            existing_links.push_back(l);
        }
    }
    const auto t1 = clock::now();
    const sh::Allocation best = sh::allocate_optimal(populations, capacities, existing_links);
    const auto t2 = clock::now();
    const sh::Allocation nearest = sh::allocate_nearest(populations, capacities, existing_links);
    std::optional<sh::Siting> siting;
    if (siting_on) {
        siting = sh::greedy_siting(populations, capacities, candidate_capacities, reach.links, o.add);
    }
    const auto t3 = clock::now();
    const double reach_s = std::chrono::duration<double>(t1 - t0).count();
    const double solve_s = std::chrono::duration<double>(t2 - t1).count();
    const double siting_s = std::chrono::duration<double>(t3 - t2).count();
    std::printf("problem: %zu demand units, %zu shelters, %zu candidates, %zu unit-shelter pairs in reach\n",
                units.size(), shelters.size(), candidates.size(), existing_links.size());
    std::printf("allocation: served %.1f of %.1f people (%.1f reachable), %.0f person-metres; reach %.3f s, "
                "min-cost flow %.3f s (%zu shortest paths), nearest rule + siting %.3f s\n",
                best.served, best.demand, best.reachable, best.person_metres, reach_s, solve_s, best.augmentations,
                siting_s);

    // --- layers ------------------------------------------------------------------------
    const auto overloaded = sh::overloaded_sites(nearest, capacities);
    Layer sl = geo::io::make_layer("shelters",
                                   {{"shelter_id", FieldType::string},
                                    {"name", FieldType::string},
                                    {"kind", FieldType::string},
                                    {"class", FieldType::string},
                                    {"class_zh", FieldType::string},
                                    {"effective_area_m2", FieldType::real},
                                    {"capacity", FieldType::real},
                                    {"assigned", FieldType::real},
                                    {"utilisation", FieldType::real},
                                    {"nearest_rule_load", FieldType::real},
                                    {"nearest_rule_overload", FieldType::real},
                                    {"snapped", FieldType::boolean}},
                                   ctx.metric);
    for (std::size_t i = 0; i < shelters.size(); ++i) {
        const auto& s = shelters[i];
        const double util = s.capacity > 0.0 ? best.site_load[i] / s.capacity : 0.0;
        sl.features.push_back(
            {-1,
             s.geometry,
             {s.id, s.name, s.kind, std::string(sh::to_string(s.cls)), std::string(sh::to_chinese(s.cls)),
              s.effective_area, s.capacity, best.site_load[i], util, nearest.site_load[i],
              std::max(0.0, nearest.site_load[i] - s.capacity), reach.site_snaps[i].has_value()}});
    }
    Layer al = geo::io::make_layer("shelter_allocation",
                                   {{"unit_id", FieldType::string},
                                    {"shelter_id", FieldType::string},
                                    {"people", FieldType::real},
                                    {"distance_m", FieldType::real}},
                                   ctx.metric);
    for (const auto& a : best.assignments) {
        al.features.push_back({-1,
                               Geometry::line_string({units[a.unit].position, shelters[a.site].position}),
                               {units[a.unit].id, shelters[a.site].id, a.people, a.distance}});
    }
    Layer ul = geo::io::make_layer("unserved",
                                   {{"unit", FieldType::string},
                                    {"population", FieldType::real},
                                    {"served", FieldType::real},
                                    {"unserved", FieldType::real},
                                    {"unserved_share", FieldType::real},
                                    {"nearest_rule_unserved", FieldType::real}},
                                   ctx.metric);
    std::vector<std::pair<std::string, double>> worst_grids;
    if (!o.grids.empty()) {
        const Layer grids = read_metric(o.grids, o.grids_layer, o, ctx.metric);
        for (const auto& g : grids.features) {
            if (g.geometry.is_null() || g.geometry.is_empty()) {
                continue;
            }
            const geo::core::Box box = g.geometry.bounds();
            const geo::core::PreparedGeometry prepared(g.geometry);
            double pop = 0.0, served = 0.0, nearest_served = 0.0;
            for (std::size_t u = 0; u < units.size(); ++u) {
                if (box.contains(units[u].position) && prepared.covers(units[u].position)) {
                    pop += populations[u];
                    served += best.unit_served[u];
                    nearest_served += nearest.unit_served[u];
                }
            }
            const std::string label = label_of(grids, g);
            ul.features.push_back(
                {-1,
                 g.geometry,
                 {label, pop, served, pop - served, pop > 0.0 ? (pop - served) / pop : 0.0, pop - nearest_served}});
            worst_grids.push_back({label, pop - served});
        }
        std::sort(worst_grids.begin(), worst_grids.end(), [](auto& a, auto& b) { return a.second > b.second; });
    } else {
        for (std::size_t u = 0; u < units.size(); ++u) {
            const double left = populations[u] - best.unit_served[u];
            if (left > 1e-6) {
                ul.features.push_back(
                    {-1,
                     Geometry::point(units[u].position),
                     {units[u].id, populations[u], best.unit_served[u], left,
                      populations[u] > 0.0 ? left / populations[u] : 0.0, populations[u] - nearest.unit_served[u]}});
            }
        }
    }
    Layer pl = geo::io::make_layer("proposed_shelters",
                                   {{"rank", FieldType::int64},
                                    {"candidate_id", FieldType::string},
                                    {"name", FieldType::string},
                                    {"kind", FieldType::string},
                                    {"class", FieldType::string},
                                    {"capacity", FieldType::real},
                                    {"marginal_gain", FieldType::real},
                                    {"served_after", FieldType::real}},
                                   ctx.metric);
    if (siting) {
        for (const auto& p : siting->picks) {
            const auto& c = candidates[p.candidate];
            pl.features.push_back({-1,
                                   c.geometry,
                                   {static_cast<std::int64_t>(p.rank), c.id, c.name, c.kind,
                                    std::string(sh::to_string(c.cls)), c.capacity, p.gain, p.served_after}});
        }
    }
    std::cout << "writing " << o.out << "\n";
    write(o.out, sl);
    write(o.out, al);
    write(o.out, ul);
    write(o.out, pl);

    if (!o.dump_instance.empty()) {
        dump_instance(o.dump_instance, units, shelters, siting_on ? candidates : std::vector<Place>{},
                      siting_on ? reach.links : existing_links, best, nearest, siting, o.add, solve_s);
    }

    // --- report --------------------------------------------------------------------------
    if (!o.report.empty()) {
        std::ofstream r(o.report);
        if (!r) {
            throw geo::IoError("cannot write the report", {o.report, {}, {}});
        }
        const bool from_osm = ctx.osm.has_value();
        r << "# Emergency shelter report (应急避难场所)\n\n";
        if (from_osm) {
            r << "Data " << attribution
              << ". Residents are an ESTIMATE from building footprints (docs/network.md).\n\n";
        }
        for (const auto& n : notes) {
            r << "- " << n << "\n";
        }
        r << "\n## Rules\n\n| class | 中文 | max walk (m) | m² per person |\n|---|---|---|---|\n";
        for (auto c : sh::all_classes) {
            r << "| " << sh::to_string(c) << " | " << sh::to_chinese(c) << " | " << table.at(c).max_walk_m << " | "
              << table.at(c).area_per_person_m2 << " |\n";
        }
        r << "\nUsable share of a polygon's area: " << o.usable_share
          << ". Walking distance = access legs + network distance. Values other than GB 21734-2008's 1.5 m² per "
             "person are defaults set by the user (docs/shelter.md).\n\n";
        r << "## Problem\n\n"
          << units.size() << " demand units, " << shelters.size() << " shelters, " << existing_links.size()
          << " unit–shelter pairs within walking reach; "
          << std::count_if(reach.unit_snaps.begin(), reach.unit_snaps.end(), [](auto& s) { return !s; })
          << " units farther than " << o.max_snap << " m from the network.\n\n";
        r << "## Allocation (optimised: most people served, then least walking)\n\n";
        r << "- population: " << fmt("%.0f", best.demand)
          << "\n- within reach of some shelter: " << fmt("%.0f", best.reachable)
          << "\n- served with a place: " << fmt("%.0f", best.served) << " ("
          << fmt("%.1f", best.demand > 0 ? 100.0 * best.served / best.demand : 0.0)
          << " %)\n- unserved: " << fmt("%.0f", best.demand - best.served)
          << "\n- mean walk of the served: " << fmt("%.0f", best.served > 0 ? best.person_metres / best.served : 0.0)
          << " m\n- solve time: " << fmt("%.3f", solve_s) << " s (exact min-cost flow)\n\n";
        r << "## Nearest-shelter rule (no guidance)\n\n- people with a place: " << fmt("%.0f", nearest.served) << " ("
          << fmt("%.0f", best.served - nearest.served)
          << " fewer than optimised)\n- overloaded shelters: " << overloaded.size() << " of " << shelters.size()
          << "\n\n";
        if (!overloaded.empty()) {
            std::vector<std::uint32_t> top = overloaded;
            std::sort(top.begin(), top.end(), [&](auto a, auto b) {
                return nearest.site_load[a] - capacities[a] > nearest.site_load[b] - capacities[b];
            });
            r << "| shelter | name | capacity | nearest-rule load | overflow | optimised load "
                 "|\n|---|---|---|---|---|---|\n";
            for (std::size_t i = 0; i < top.size() && i < 15; ++i) {
                const auto s = top[i];
                r << "| " << shelters[s].id << " | " << shelters[s].name << " | " << fmt("%.0f", capacities[s]) << " | "
                  << fmt("%.0f", nearest.site_load[s]) << " | " << fmt("%.0f", nearest.site_load[s] - capacities[s])
                  << " | " << fmt("%.0f", best.site_load[s]) << " |\n";
            }
            r << "\n";
        }
        if (!worst_grids.empty()) {
            r << "## Unserved population by grid (top 10)\n\n| grid | unserved |\n|---|---|\n";
            for (std::size_t i = 0; i < worst_grids.size() && i < 10; ++i) {
                r << "| " << worst_grids[i].first << " | " << fmt("%.0f", worst_grids[i].second) << " |\n";
            }
            r << "\n";
        }
        if (siting) {
            r << "## Siting: " << o.add << " new shelters from " << candidates.size()
              << " candidates (greedy maximal covering with capacities)\n\n"
              << "Gain = newly served people, computed exactly by maximum flow; it is monotone submodular, so the "
                 "greedy total is at least (1 − 1/e) ≈ 63.2 % of the best possible total for "
              << o.add
              << " sites.\n\n| rank | site | name | kind | capacity | marginal gain | served after |\n"
                 "|---|---|---|---|---|---|---|\n";
            for (const auto& p : siting->picks) {
                const auto& c = candidates[p.candidate];
                r << "| " << p.rank << " | " << c.id << " | " << c.name << " | " << c.kind << " | "
                  << fmt("%.0f", c.capacity) << " | " << fmt("%.0f", p.gain) << " | " << fmt("%.0f", p.served_after)
                  << " |\n";
            }
            if (siting->picks.size() < o.add) {
                r << "\nOnly " << siting->picks.size() << " candidate(s) add anyone.\n";
            }
        }
        std::cout << "report: " << o.report << "\n";
    }
}

void setup(CLI::App& app) {
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand(
        "shelters", "Emergency shelters: capacity-respecting allocation, nearest-rule overload, K new sites");
    cmd->add_option("--network", o->network, "Walking network: OpenStreetMap file or a line layer")->required();
    cmd->add_option("--shelters", o->shelters, "Shelter layer (polygons or points), or 'osm'")->required();
    cmd->add_option("--proxy-kinds", o->proxy_kinds,
                    "With --shelters osm and no assembly points: OSM kinds used as proxy shelters (park square)")
        ->delimiter(',');
    cmd->add_option("--class-field", o->class_field, "Field with the class (emergency/fixed/central, 紧急/固定/中心)");
    cmd->add_option("--default-class", o->default_class, "Class of shelters without a class field (emergency)");
    cmd->add_option("--capacity-field", o->capacity_field, "Field with the capacity in persons");
    cmd->add_option("--area-field", o->area_field, "Field with the effective area in m²");
    cmd->add_option("--usable-share", o->usable_share, "Share of a polygon's area usable for shelter (0.5)");
    cmd->add_option("--demand", o->demand, "Demand layer (buildings, grids or points), or 'osm' (buildings)")
        ->required();
    cmd->add_option("--population-field", o->population_field,
                    "Population field (default: population, else residents_estimate)");
    cmd->add_option("--grids", o->grids, "Grid polygons for unserved population per grid");
    cmd->add_option("--candidates", o->candidates, "Candidate sites layer, or 'osm' (parks, squares, schools)");
    cmd->add_option("--candidate-class", o->candidate_class, "Class of candidate sites (emergency)");
    cmd->add_option("--add", o->add, "Number of new shelters to choose from the candidates");
    cmd->add_option("--max-walk", o->max_walk, "CLASS=METRES, e.g. emergency=500 (repeatable)");
    cmd->add_option("--area-per-person", o->area_per_person, "CLASS=M2, e.g. fixed=2 (repeatable)");
    cmd->add_option("--max-snap", o->max_snap, "Largest distance from a unit or shelter to the network (150 m)");
    cmd->add_option("--out", o->out, "Output GeoPackage")->required();
    cmd->add_option("--report", o->report, "Markdown report");
    cmd->add_option("--dump-instance", o->dump_instance,
                    "Directory for units.csv, sites.csv, links.csv, result.json (for external solvers)");
    cmd->add_option("--network-layer", o->network_layer, "Layer of --network when it has several");
    cmd->add_option("--shelters-layer", o->shelters_layer, "Layer of --shelters when it has several");
    cmd->add_option("--demand-layer", o->demand_layer, "Layer of --demand when it has several");
    cmd->add_option("--candidates-layer", o->candidates_layer, "Layer of --candidates when it has several");
    cmd->add_option("--grids-layer", o->grids_layer, "Layer of --grids when it has several");
    geogrid::add_input_options(*cmd, o->input);
    cmd->callback([o] { run(*o); });
}

} // namespace

GEOGRID_COMMAND("shelters", setup);
