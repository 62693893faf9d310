// geogrid partition: divide jurisdictions (streets, communities) into coded,
// balanced red grids along roads and rivers. Reads any OGR inputs in any CRS,
// works in the local metric CRS, writes the `grids` and `jurisdictions`
// layers in the parents' CRS and an optional Markdown report.

#include "command.hpp"
#include "common_options.hpp"

#include "geo/core/error.hpp"
#include "geo/crs/crs.hpp"
#include "geo/crs/local.hpp"
#include "geo/crs/transformer.hpp"
#include "geo/io/reader.hpp"
#include "geo/io/writer.hpp"
#include "geo/partition/parents.hpp"
#include "geo/partition/partition.hpp"
#include "geo/partition/report.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace {

namespace gp = geo::partition;
using geo::core::Geometry;
using geo::core::GeometryType;

struct PartitionOptions {
    std::string parents;
    std::string parents_layer;
    std::string code_field;
    std::string name_field;
    std::string weights;
    std::string weights_layer;
    std::string weight_field;
    std::vector<std::string> barriers;
    std::string barriers_layer;
    std::string previous;
    std::string out;
    std::string report;
    double target = 0;
    double min = 0;
    double max = 0;
    int seq_width = 3;
    std::uint64_t seed = 1;
    int threads = 1;
    bool strict = false;
    geogrid::InputOptions input;
};

// --crs applies to inputs without a CRS: read as they are, fall back to --crs.
// GeoJSON always claims WGS 84 (RFC 7946) even when it holds GCJ-02 or other
// coordinates, so there --crs is taken as the truth.
geo::io::Layer read(const std::string& path, const std::string& layer, const geogrid::InputOptions& input) {
    geo::io::ReadOptions options;
    options.layer = layer;
    options.encoding = input.encoding;
    const auto ends_with = [&](const std::string& suffix) {
        return path.size() >= suffix.size() &&
               std::equal(suffix.rbegin(), suffix.rend(), path.rbegin(),
                          [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); });
    };
    if (!input.crs.empty() && (ends_with(".geojson") || ends_with(".json"))) {
        options.crs_override = input.crs;
    }
    try {
        return geo::io::read_layer(path, options);
    } catch (const geo::CrsError&) {
        if (input.crs.empty()) {
            throw;
        }
        options.crs_override = input.crs;
        return geo::io::read_layer(path, options);
    }
}

std::string text(const geo::io::Feature& f, std::size_t field) {
    return geo::io::to_string(f.attributes.at(field));
}

void run(const PartitionOptions& o) {
    const auto started = std::chrono::steady_clock::now();
    if (o.target <= 0) {
        throw geo::InputError("--target must be a positive weight per grid", {}, "e.g. --target 300");
    }
    gp::Options options;
    options.target = o.target;
    options.min = o.min;
    options.max = o.max;
    options.seq_width = o.seq_width;
    options.seed = o.seed;
    if (options.band_min() > options.band_max() || options.band_min() > o.target || options.band_max() < o.target) {
        throw geo::InputError("the band [--min, --max] must contain --target");
    }

    const geo::io::Layer parents = read(o.parents, o.parents_layer, o.input);
    const std::size_t code_field = parents.field_index(o.code_field);
    constexpr std::size_t none = static_cast<std::size_t>(-1);
    const std::size_t name_field = o.name_field.empty() ? none : parents.field_index(o.name_field);
    const geo::crs::Transformer to_lonlat(parents.crs, geo::crs::Crs::wgs84());
    const geo::crs::Crs metric = geo::crs::local_metric_crs(to_lonlat.transform_bounds(parents.bounds()));
    const geo::crs::Transformer parents_to_metric(parents.crs, metric);

    std::vector<gp::ParentFeature> raw;
    for (const auto& f : parents.features) {
        gp::ParentFeature p;
        p.fid = f.id;
        if (!geo::io::is_null(f.attributes.at(code_field))) {
            p.code = text(f, code_field);
        }
        if (name_field != none) {
            p.name = text(f, name_field);
        }
        if (!f.geometry.is_null()) {
            p.geometry = parents_to_metric.transform(f.geometry);
        }
        raw.push_back(std::move(p));
    }
    const gp::PreparedParents prepared = gp::prepare_parents(std::move(raw), o.strict);
    for (const auto& issue : prepared.issues) {
        // Skipped parents are warnings; repairs are notes. Both are in the report too.
        std::fprintf(stderr, "geogrid: %s: %s feature %lld (code '%s'): %s; %s\n", issue.skipped ? "warning" : "note",
                     o.parents.c_str(), static_cast<long long>(issue.fid), issue.code.c_str(), issue.problem.c_str(),
                     issue.action.c_str());
    }

    // Weights: points count 1 (or --weight-field); polygons need the field.
    const geo::io::Layer weight_layer = read(o.weights, o.weights_layer, o.input);
    const std::size_t weight_field = o.weight_field.empty() ? none : weight_layer.field_index(o.weight_field);
    const geo::crs::Transformer weights_to_metric(weight_layer.crs, metric);
    gp::Weights weights;
    std::size_t no_weight = 0;
    for (const auto& f : weight_layer.features) {
        if (f.geometry.is_null() || f.geometry.is_empty()) {
            continue;
        }
        double w = 1.0;
        if (weight_field != none) {
            const auto value = geo::io::to_double(f.attributes.at(weight_field));
            if (!value) {
                ++no_weight;
                continue;
            }
            w = *value;
            if (!std::isfinite(w) || w < 0) {
                throw geo::InputError("weight " + std::to_string(w) + " in " + o.weight_field + " is not a count",
                                      {o.weights, weight_layer.name, f.id}, "weights must be finite and not negative");
            }
        }
        const Geometry g = weights_to_metric.transform(f.geometry);
        const GeometryType type = g.type();
        if (type == GeometryType::point || type == GeometryType::multi_point) {
            // A MultiPoint (one household at several entrances, one count for a group of
            // addresses) carries the feature's weight once: each point gets an equal share.
            const auto points = g.points();
            for (const auto& p : points) {
                weights.points.push_back({p, w / static_cast<double>(points.size())});
            }
        } else if (type == GeometryType::polygon || type == GeometryType::multi_polygon) {
            if (weight_field == none) {
                throw geo::InputError("weights are polygons: give the count attribute to share out by area",
                                      {o.weights, weight_layer.name, f.id}, "add --weight-field FIELD");
            }
            weights.polygons.push_back({g.is_valid() ? g : g.make_valid().polygonal_parts(), w});
        }
    }
    if (no_weight > 0) {
        std::fprintf(stderr, "geogrid: warning: %zu weight features without a numeric %s were ignored\n", no_weight,
                     o.weight_field.c_str());
    }

    // Barriers: lines as they are, polygons (rivers, lakes) by their outline.
    std::vector<Geometry> barriers;
    for (const std::string& path : o.barriers) {
        const geo::io::Layer layer = read(path, o.barriers_layer, o.input);
        const geo::crs::Transformer to_metric(layer.crs, metric);
        for (const auto& f : layer.features) {
            if (f.geometry.is_null() || f.geometry.is_empty()) {
                continue;
            }
            Geometry g = to_metric.transform(f.geometry);
            const GeometryType type = g.type();
            if (type == GeometryType::polygon || type == GeometryType::multi_polygon) {
                g = g.boundary();
            } else if (type == GeometryType::point || type == GeometryType::multi_point) {
                continue;
            }
            barriers.push_back(std::move(g));
        }
    }

    std::vector<gp::PreviousGrid> previous;
    if (!o.previous.empty()) {
        const geo::io::Layer old = read(o.previous, "grids", o.input);
        const geo::crs::Transformer to_metric(old.crs, metric);
        const std::size_t code = old.field_index("code");
        const std::size_t parent = old.field_index("parent_code");
        const std::size_t seq = old.field_index("seq");
        std::size_t no_seq = 0;
        for (const auto& f : old.features) {
            const auto s = geo::io::to_int64(f.attributes.at(seq));
            if (!s) {
                ++no_seq;
                continue;
            }
            // A grid without geometry cannot be kept, but its seq still counts (codes are never reused).
            previous.push_back({text(f, code), text(f, parent), static_cast<int>(*s),
                                f.geometry.is_null() ? Geometry() : to_metric.transform(f.geometry)});
        }
        if (no_seq > 0) {
            std::fprintf(stderr, "geogrid: warning: %zu grids of %s without a numeric seq were ignored\n", no_seq,
                         o.previous.c_str());
        }
    }
    const std::vector<gp::PreviousGrid> retired = gp::retired_grids(prepared.parents, previous);
    if (!retired.empty()) {
        std::fprintf(stderr,
                     "geogrid: note: %zu grids of %s belong to parents no longer in %s: retired (see the report)\n",
                     retired.size(), o.previous.c_str(), o.parents.c_str());
    }

    geogrid::ProgressBar bar;
    auto results = gp::partition_all(prepared.parents, weights, barriers, options, previous, o.threads, bar.callback());
    bar.finish();
    // Heavy atoms are located for the reader: lon/lat and the parents' own coordinates.
    {
        const geo::crs::Transformer metric_to_lonlat(metric, geo::crs::Crs::wgs84());
        const geo::crs::Transformer metric_to_parents(metric, parents.crs);
        for (auto& r : results) {
            for (auto& h : r.heavy_atoms) {
                h.lonlat = metric_to_lonlat.transform(h.centroid);
                h.parents_xy = metric_to_parents.transform(h.centroid);
            }
        }
    }

    // Weight that no parent received lies outside every parent (or in a skipped one): say how much.
    double input_weight = 0.0;
    for (const auto& p : weights.points) {
        input_weight += p.weight;
    }
    for (const auto& p : weights.polygons) {
        input_weight += p.weight;
    }
    double assigned_weight = 0.0;
    for (const auto& r : results) {
        assigned_weight += r.total_weight;
    }
    const double outside_weight = input_weight - assigned_weight;
    std::string outside_note;
    if (outside_weight > 1e-9 * std::max(1.0, input_weight)) {
        char text[256];
        std::snprintf(text, sizeof text, "weight %.6g of %.6g (%.2f %%) lies outside every parent and is in no grid",
                      outside_weight, input_weight, 100.0 * outside_weight / input_weight);
        outside_note = text;
        std::fprintf(stderr, "geogrid: warning: %s (check that --weights covers the same area as --parents)\n",
                     outside_note.c_str());
    }

    // grids and jurisdictions, written back in the parents' CRS.
    geo::io::Layer grids;
    grids.name = "grids";
    grids.crs = metric;
    grids.fields = {{"code", geo::io::FieldType::string},
                    {"parent_code", geo::io::FieldType::string},
                    {"seq", geo::io::FieldType::int64},
                    {"weight", geo::io::FieldType::real},
                    {"area_m2", geo::io::FieldType::real},
                    {"compactness", geo::io::FieldType::real},
                    {"boundary_on_barriers", geo::io::FieldType::real}};
    std::size_t grid_count = 0;
    std::size_t in_band = 0;
    for (const auto& r : results) {
        for (const auto& g : r.grids) {
            geo::io::Feature f;
            f.geometry = g.geometry;
            f.attributes = {g.code,        g.parent_code,         static_cast<std::int64_t>(g.seq), g.weight, g.area_m2,
                            g.compactness, g.boundary_on_barriers};
            grids.features.push_back(std::move(f));
            ++grid_count;
            in_band += g.weight >= options.band_min() && g.weight <= options.band_max() ? 1 : 0;
        }
    }
    geo::io::Layer jurisdictions;
    jurisdictions.name = "jurisdictions";
    jurisdictions.crs = metric;
    jurisdictions.fields = {{"code", geo::io::FieldType::string},
                            {"name", geo::io::FieldType::string},
                            {"level", geo::io::FieldType::string},
                            {"grids", geo::io::FieldType::int64}};
    for (std::size_t i = 0; i < prepared.parents.size(); ++i) {
        geo::io::Feature f;
        f.geometry = prepared.parents[i].geometry;
        f.attributes = {prepared.parents[i].code, prepared.parents[i].name, std::string("parent"),
                        static_cast<std::int64_t>(results[i].grids.size())};
        jurisdictions.features.push_back(std::move(f));
    }
    geo::io::WriteOptions write;
    write.mode = geo::io::WriteMode::overwrite;
    write.crs = parents.crs;
    write.layer = "grids";
    auto written = geo::io::write_layer(o.out, grids, write);
    write.layer = "jurisdictions";
    auto written_j = geo::io::write_layer(o.out, jurisdictions, write);
    for (const auto* w : {&written, &written_j}) {
        for (const auto& warning : w->warnings) {
            std::fprintf(stderr, "geogrid: warning: %s\n", warning.c_str());
        }
    }

    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (!o.report.empty()) {
        std::ofstream report(o.report);
        if (!report) {
            throw geo::IoError("cannot write the report", {o.report, {}, {}});
        }
        report << gp::markdown_report(results, options, prepared.issues, seconds, "Red-grid partition report", retired);
        report << "Local metric CRS: " << metric.label() << "; parents' CRS: " << parents.crs.label()
               << ". Inputs: parents " << o.parents << ", weights " << o.weights << " (" << weights.points.size()
               << " points, " << weights.polygons.size() << " polygons), " << barriers.size() << " barrier features.\n";
        if (!outside_note.empty()) {
            report << "\n**Warning:** " << outside_note << ".\n";
        }
    }
    std::cout << "wrote " << grid_count << " grids for " << results.size() << " parents to " << o.out << " ("
              << (grid_count ? 100.0 * static_cast<double>(in_band) / static_cast<double>(grid_count) : 0.0)
              << " % in band, " << metric.label() << " used for the work, output in " << parents.crs.label() << ")\n";
}

void setup(CLI::App& app) {
    auto o = std::make_shared<PartitionOptions>();
    auto* cmd = app.add_subcommand("partition",
                                   "Divide jurisdictions into coded, balanced, contiguous red grids whose cuts follow "
                                   "roads and rivers (writes layers grids + jurisdictions)");
    cmd->add_option("--parents", o->parents, "Parent polygons (streets or communities)")->required();
    cmd->add_option("--parents-layer", o->parents_layer, "Layer of --parents when it has several");
    cmd->add_option("--code-field", o->code_field, "Attribute with the parent code (e.g. 12-digit community code)")
        ->required();
    cmd->add_option("--name-field", o->name_field, "Attribute with the parent name");
    cmd->add_option("--weights", o->weights, "Points (households, residents, incidents) or polygons with a count")
        ->required();
    cmd->add_option("--weights-layer", o->weights_layer, "Layer of --weights when it has several");
    cmd->add_option("--weight-field", o->weight_field, "Numeric attribute for the weight (points default to 1)");
    cmd->add_option("--barriers", o->barriers, "Roads, rivers, railways the cuts should follow (one or more files)");
    cmd->add_option("--barriers-layer", o->barriers_layer,
                    "Layer to read from each --barriers file that has several (e.g. roads of a geogrid osm output)");
    cmd->add_option("--target", o->target, "Wanted weight per grid")->required();
    cmd->add_option("--min", o->min, "Lowest weight per grid (default 0.5 × target)");
    cmd->add_option("--max", o->max, "Highest weight per grid (default 1.5 × target)");
    cmd->add_option("--seq-width", o->seq_width, "Digits of the grid sequence after the parent code")
        ->check(CLI::Range(1, 9));
    cmd->add_option("--previous", o->previous, "Earlier output (.gpkg with layer grids): keep grids still in band");
    cmd->add_option("--seed", o->seed, "Seed: the same seed gives the same grids");
    cmd->add_flag("--strict", o->strict, "Stop when a parent has no usable code or geometry");
    cmd->add_option("--out", o->out, "Output GeoPackage (layers grids and jurisdictions)")->required();
    cmd->add_option("--report", o->report, "Write a Markdown report here");
    cmd->add_option("--threads", o->threads, "Parents processed in parallel")->check(CLI::Range(1, 256));
    geogrid::add_input_options(*cmd, o->input);
    cmd->callback([o] { run(*o); });
}

} // namespace

GEOGRID_COMMAND("partition", setup);
