// geogrid incidents import|stats|hotspots: 12345 hotline incidents into the
// scenario's GeoPackage store, each with its grid; counts, open shares and
// stage times; Getis–Ord Gi* hotspots per grid.

#include "command.hpp"
#include "common_options.hpp"

#include "geo/incident/geopackage_store.hpp"
#include "geo/incident/hotspots.hpp"
#include "geo/incident/importer.hpp"
#include "geo/incident/simulate.hpp"
#include "geo/incident/stats.hpp"
#include "geo/io/reader.hpp"
#include "geo/io/writer.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

namespace {

using namespace geo::incident;

// "+08:00", "-0530", "+05", "8" → minutes east of UTC (parse_utc_offset).
int parse_offset(const std::string& text) {
    const auto minutes = parse_utc_offset(text);
    if (!minutes) {
        throw geo::InputError("cannot read UTC offset '" + text + "'", {}, "write it like +08:00, +0800 or -05:30");
    }
    return *minutes;
}

struct GridOptions {
    std::string path;
    std::string layer;
    std::string code_field;
    std::string parent_field;
};

void add_grid_options(CLI::App& cmd, GridOptions& g, const char* grids_help, bool required) {
    auto* opt = cmd.add_option("--grids", g.path, grids_help);
    if (required) {
        opt->required();
    }
    cmd.add_option("--grid-layer", g.layer, "Layer of the grid file (default: 'grids', or its only layer)");
    cmd.add_option("--grid-code-field", g.code_field, "Grid code field (default: code or grid_code)");
    cmd.add_option("--grid-parent-field", g.parent_field,
                   "Jurisdiction (parent) code field (default: parent_code, jurisdiction_code, community_code)");
}

GridSource grid_source(const GridOptions& g) {
    return GridSource{g.path, g.layer, g.code_field, g.parent_field, {}};
}

// --- import ---------------------------------------------------------------

struct ImportArgs {
    std::string input;
    std::string layer;
    geogrid::InputOptions source;
    std::string category_field;
    std::string time_field;
    std::string time_format;
    std::string id_field;
    std::string description_field;
    std::string utc_offset = "+08:00";
    GridOptions grids;
    std::string store;
    bool synthetic = false;
    std::size_t show = 20;
};

void run_import(const ImportArgs& a) {
    GridAssigner assigner(load_grids(grid_source(a.grids)));
    // The store keeps the grids it was assigned against (layer "grids"), so hotspots and the
    // tile server find them there; written by GDAL before the store opens the file.
    const GridCopy copy = keep_grids_with_store(grid_source(a.grids), a.store);
    GeoPackageIncidentStore store(a.store);
    ImportOptions options;
    options.read.layer = a.layer;
    options.read.crs_override = a.source.crs;
    options.read.encoding = a.source.encoding;
    options.category_field = a.category_field;
    options.time_field = a.time_field;
    options.time_format = a.time_format;
    options.id_field = a.id_field;
    options.description_field = a.description_field;
    options.utc_offset_minutes = parse_offset(a.utc_offset);
    options.synthetic = a.synthetic;
    geogrid::ProgressBar read_bar;
    options.read.progress = read_bar.callback();
    geogrid::ProgressBar import_bar;
    options.progress = import_bar.callback();
    const ImportReport r = import_file(a.input, assigner, store, options);
    import_bar.finish();

    std::cout << "read " << r.rows << " rows from " << r.file << " (layer " << r.layer << ")\n"
              << "  added " << r.added << ", already in the store " << r.already_present << "\n"
              << "  outside all grids (kept, flagged): " << r.outside << "\n"
              << "  skipped: " << r.bad_geometry << " bad geometry, " << r.bad_time << " unparseable time, "
              << r.bad_text << " bad text encoding, " << r.duplicate_ids << " duplicate ids\n";
    if (copy == GridCopy::copied) {
        std::cout << "  grids: copied to the store as layer 'grids' (hotspots use them without --grids)\n";
    } else if (copy == GridCopy::store_has_other_grids) {
        std::cout << "  note: the store's 'grids' layer has other grid codes than --grids; it was left as it is, and "
                     "hotspots without --grids use it\n";
    }
    for (const auto& note : r.notes) {
        std::cout << "  note: " << note << "\n";
    }
    const std::size_t problems = r.outside + r.bad_geometry + r.bad_time + r.bad_text + r.duplicate_ids;
    std::size_t shown = 0;
    for (const auto& issue : r.issues) {
        if (shown++ >= a.show) {
            std::cout << "  ... (" << (problems - a.show) << " more)\n";
            break;
        }
        // "(-)": a skipped row without an id field gets no id (it is made from the row's content).
        std::cout << "  row " << issue.feature_id << " (" << (issue.external_id.empty() ? "-" : issue.external_id)
                  << "): " << to_string(issue.problem) << (issue.kept ? " [kept]" : " [skipped]") << ": "
                  << issue.detail << "\n";
    }
    std::printf("  time: read %.2f s, assign %.2f s, store %.2f s; store %s\n", r.read_seconds, r.assign_seconds,
                r.store_seconds, a.store.c_str());
}

// --- stats ----------------------------------------------------------------

struct StatsArgs {
    std::string store;
    std::string by = "grid";
    std::string window = "none";
    std::string utc_offset = "+08:00";
    bool json = false;
};

void run_stats(const StatsArgs& a) {
    GeoPackageIncidentStore store(a.store, GeoPackageOptions{.read_only = true});
    StatsOptions options;
    options.by = parse_group_by(a.by);
    options.window = parse_window(a.window);
    options.utc_offset_minutes = parse_offset(a.utc_offset);
    const Statistics s = compute_statistics(store, options);
    if (a.json) {
        nlohmann::json out;
        out["store"] = a.store;
        out["by"] = to_string(options.by);
        out["window"] = to_string(options.window);
        out["total"] = s.total;
        out["open"] = s.open;
        out["open_share"] = s.total ? static_cast<double>(s.open) / static_cast<double>(s.total) : 0.0;
        out["outside"] = s.outside;
        auto stages_json = [](const std::vector<StageTime>& stages) {
            auto j = nlohmann::json::object();
            for (const auto& st : stages) {
                j[to_string(st.stage)] = {{"median_hours", st.median_hours}, {"samples", st.samples}};
            }
            return j;
        };
        auto& rows = out["rows"] = nlohmann::json::array();
        for (const auto& r : s.rows) {
            nlohmann::json row{{"key", r.key}, {"total", r.total}, {"open", r.open}, {"open_share", r.open_share()}};
            if (r.window) {
                row["window_start"] = format_time(*r.window);
            }
            row["stage_median_hours"] = stages_json(r.stages);
            rows.push_back(std::move(row));
        }
        out["stage_median_hours"] = stages_json(s.stages);
        std::cout << out.dump(2) << "\n";
        return;
    }
    std::printf("%zu incidents, %zu open (%.1f%%), %zu outside all grids\n", s.total, s.open,
                s.total ? 100.0 * static_cast<double>(s.open) / static_cast<double>(s.total) : 0.0, s.outside);
    // Per row: the median hours of each stage over the row's incidents ("-" without a completed stay).
    std::printf("%-24s %-22s %8s %8s %7s  %s\n", to_string(options.by),
                options.window == Window::none ? "" : "window start (UTC)", "total", "open", "open%",
                "median h: reported dispatched handling resolved");
    for (const auto& r : s.rows) {
        std::printf("%-24s %-22s %8zu %8zu %6.1f%% ", r.key.c_str(), r.window ? format_time(*r.window).c_str() : "",
                    r.total, r.open, 100.0 * r.open_share());
        for (const auto& st : r.stages) {
            if (st.samples == 0) {
                std::printf(" %9s", "-");
            } else {
                std::printf(" %9.2f", st.median_hours);
            }
        }
        std::printf("\n");
    }
    std::printf("median time per stage, all rows (hours, completed stays):\n");
    for (const auto& st : s.stages) {
        std::printf("  %-11s %8.2f  (%zu)\n", to_string(st.stage), st.median_hours, st.samples);
    }
}

// --- hotspots -------------------------------------------------------------

struct HotspotArgs {
    std::string store;
    GridOptions grids;
    std::string out;
    double tolerance = 0.0;
    bool overwrite = false;
};

void run_hotspots(const HotspotArgs& a) {
    // Without --grids: the grids the store was imported against (its layer "grids").
    GridSource source = grid_source(a.grids);
    if (source.path.empty()) {
        source.path = a.store;
        if (source.layer.empty()) {
            source.layer = "grids";
        }
        const auto layers = geo::io::list_layers(a.store);
        if (std::none_of(layers.begin(), layers.end(),
                         [&](const geo::io::LayerInfo& l) { return l.name == source.layer; })) {
            throw geo::InputError("the store has no layer '" + source.layer + "' to take the grids from",
                                  geo::ErrorContext{a.store, {}, {}},
                                  "pass --grids GRIDS.gpkg (an import with --grids copies them into the store)");
        }
    }
    const auto grids = load_grids(source);
    GeoPackageIncidentStore store(a.store, GeoPackageOptions{.read_only = true});
    const auto result = grid_hotspots(grids, store, {}, a.tolerance);
    geo::io::WriteOptions write;
    write.layer = "hotspots";
    write.mode = a.overwrite ? geo::io::WriteMode::overwrite : geo::io::WriteMode::create;
    const auto written = geo::io::write_layer(a.out, hotspot_layer(grids, result), write);
    int counts[7] = {};
    for (const auto& h : result) {
        ++counts[h.gi.bin + 3];
    }
    std::printf("Gi* over %zu grids (binary queen contiguity incl. self): hot 99%% %d, 95%% %d, 90%% %d; "
                "cold 99%% %d, 95%% %d, 90%% %d; not significant %d\n",
                grids.size(), counts[6], counts[5], counts[4], counts[0], counts[1], counts[2], counts[3]);
    std::printf("wrote %lld grids to %s (layer %s)\n", static_cast<long long>(written.features_written), a.out.c_str(),
                written.layer.c_str());
}

// --- simulate-loop (demo data only) ----------------------------------------

struct SimulateArgs {
    std::string store;
    std::uint64_t seed = 1;
    std::string as_of;
};

void run_simulate(const SimulateArgs& a) {
    GeoPackageIncidentStore store(a.store);
    LoopSimulationOptions options;
    options.seed = a.seed;
    if (!a.as_of.empty()) {
        options.as_of = parse_time(a.as_of);
        if (!options.as_of) {
            throw geo::InputError("cannot read --as-of '" + a.as_of + "'", {},
                                  "use ISO 8601, e.g. 2024-06-30T18:00:00Z");
        }
    }
    const auto r = simulate_loop(store, options);
    std::printf("SYNTHETIC loop simulation: %zu synthetic incidents, %zu status changes (%zu evaluated, %zu rejected, "
                "%zu returned once, %zu reopened once)\n",
                r.incidents, r.transitions, r.evaluated, r.rejected, r.returned, r.reopened);
}

void setup(CLI::App& app) {
    auto* cmd = app.add_subcommand("incidents", "12345 hotline incidents: import with grid assignment, statistics, "
                                                "Getis-Ord Gi* hotspots");
    cmd->require_subcommand(1);

    auto ia = std::make_shared<ImportArgs>();
    auto* imp = cmd->add_subcommand("import", "Import point incidents into the store (idempotent), each with its grid "
                                              "and jurisdiction; bad rows are reported, never fatal");
    imp->add_option("--in", ia->input, "Incident points (any OGR format, any CRS)")->required();
    imp->add_option("--layer", ia->layer, "Input layer (needed when the input has several)");
    imp->add_option("--category-field", ia->category_field, "Category field (default: category)");
    imp->add_option("--time-field", ia->time_field, "Report time field (default: reported_at)");
    imp->add_option("--time-format", ia->time_format,
                    "strptime format of the time field, e.g. '%Y/%m/%d %H:%M' (default: ISO 8601)");
    imp->add_option("--utc-offset", ia->utc_offset,
                    "Offset of times written without one: +08:00, +0800, -05:30 (default +08:00, China Standard Time)")
        ->capture_default_str();
    imp->add_option("--id-field", ia->id_field,
                    "Unique id field (e.g. the 12345 ticket number); default: file name, layer and FID");
    imp->add_option("--description-field", ia->description_field, "Description field (default: description)");
    imp->add_option("--store", ia->store, "Scenario GeoPackage (created when missing)")->required();
    imp->add_flag("--synthetic", ia->synthetic, "Mark every imported incident as synthetic");
    imp->add_option("--show", ia->show, "How many problem rows to list")->capture_default_str();
    add_grid_options(*imp, ia->grids,
                     "Grid polygons (a GeoPackage with a 'grids' layer, or any vector file); copied into the store "
                     "as layer 'grids' when it has none",
                     true);
    geogrid::add_input_options(*imp, ia->source);
    imp->callback([ia] { run_import(*ia); });

    auto sa = std::make_shared<StatsArgs>();
    auto* st = cmd->add_subcommand("stats", "Counts per grid, jurisdiction or category and time window, share still "
                                            "open, median time per stage");
    st->add_option("--store", sa->store, "Scenario GeoPackage")->required();
    st->add_option("--by", sa->by, "grid, jurisdiction or category")
        ->capture_default_str()
        ->check(CLI::IsMember({"grid", "jurisdiction", "category"}));
    st->add_option("--window", sa->window, "none, day, week or month")
        ->capture_default_str()
        ->check(CLI::IsMember({"none", "day", "week", "month"}));
    st->add_option("--utc-offset", sa->utc_offset,
                   "Where days start: +08:00, +0800, -05:30 (default +08:00: Beijing midnight)")
        ->capture_default_str();
    st->add_flag("--json", sa->json, "Print JSON");
    st->callback([sa] { run_stats(*sa); });

    auto ma = std::make_shared<SimulateArgs>();
    auto* sim = cmd->add_subcommand(
        "simulate-loop", "DEMO ONLY: move SYNTHETIC incidents (synthetic = 1, still reported) through the "
                         "dispatch/handle/evaluate loop with seeded stage times; real incidents are untouched");
    sim->add_option("--store", ma->store, "Scenario GeoPackage")->required();
    sim->add_option("--seed", ma->seed, "Random seed")->capture_default_str();
    sim->add_option("--as-of", ma->as_of, "Changes after this time are not applied (default: the latest report)");
    sim->callback([ma] { run_simulate(*ma); });

    auto ha = std::make_shared<HotspotArgs>();
    auto* hs = cmd->add_subcommand("hotspots", "Getis-Ord Gi* of incident counts per grid (binary queen contiguity "
                                               "including the grid itself), z-scores and p-values");
    hs->add_option("--store", ha->store, "Scenario GeoPackage")->required();
    hs->add_option("--out", ha->out, "Output file (.gpkg, .geojson, ...), layer 'hotspots'")->required();
    hs->add_option("--tolerance", ha->tolerance,
                   "Grids closer than this (in degrees) count as neighbours (for grids with slivers)")
        ->capture_default_str();
    hs->add_flag("--overwrite", ha->overwrite, "Replace the output layer");
    add_grid_options(*hs, ha->grids, "Grid polygons (default: the store's layer 'grids', which import keeps there)",
                     false);
    hs->callback([ha] { run_hotspots(*ha); });
}

} // namespace

GEOGRID_COMMAND("incidents", setup);
