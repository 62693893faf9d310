// geogrid info FILE: what is in a vector dataset, before anything else is run
// on it: layers, geometry types, counts, CRS, extent, broken geometries and
// the attribute text encoding (with a sample so wrong encodings show).

#include "command.hpp"
#include "common_options.hpp"

#include "geo/io/reader.hpp"
#include "geo/io/validate.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <string>

namespace {

struct InfoOptions {
    std::string file;
    std::string layer;
    geogrid::InputOptions input;
    bool json = false;
    std::size_t sample = 3;
};

nlohmann::json value_json(const geo::io::Value& value) {
    if (std::holds_alternative<std::monostate>(value)) {
        return nullptr;
    }
    if (const auto* v = std::get_if<std::int64_t>(&value)) {
        return *v;
    }
    if (const auto* v = std::get_if<double>(&value)) {
        return *v;
    }
    if (const auto* v = std::get_if<bool>(&value)) {
        return *v;
    }
    return std::get<std::string>(value);
}

std::string crs_text(const geo::io::LayerInfo& info) {
    if (!info.crs) {
        return "none — " + info.crs_problem + " (pass --crs to use this layer)";
    }
    std::string text = info.crs->name();
    if (auto code = info.crs->epsg()) {
        text += " (EPSG:" + std::to_string(*code) + ")";
    }
    return text;
}

std::string number(double v) {
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%.9g", v);
    return buffer;
}

void run(const InfoOptions& options) {
    geo::io::ReadOptions read;
    read.layer = options.layer;
    read.crs_override = options.input.crs;
    read.encoding = options.input.encoding;
    const auto layers = geo::io::list_layers(options.file, read, options.sample);

    nlohmann::json out;
    out["file"] = options.file;
    out["driver"] = layers.empty() ? "" : layers.front().driver;
    out["layers"] = nlohmann::json::array();
    if (!options.json) {
        std::cout << options.file << " (" << (layers.empty() ? "" : layers.front().driver) << ", " << layers.size()
                  << (layers.size() == 1 ? " layer" : " layers") << ")\n";
    }

    for (const auto& info : layers) {
        geogrid::ProgressBar bar;
        geo::io::ValidateOptions check;
        check.read.layer = info.name;
        check.read.encoding = options.input.encoding;
        check.read.progress = bar.callback();
        const auto report = geo::io::validate_layer(options.file, check);
        bar.finish();
        const auto invalid = report.count(geo::io::IssueKind::invalid_geometry);
        const auto unclosed = report.count(geo::io::IssueKind::unclosed_ring);
        const auto empty = report.count(geo::io::IssueKind::empty_geometry);
        const auto missing = report.count(geo::io::IssueKind::null_geometry);
        const auto bad_text = report.count(geo::io::IssueKind::invalid_utf8);
        // Some drivers (OSM) cannot count without reading; validation just did.
        const std::int64_t feature_count = info.feature_count >= 0 ? info.feature_count : report.features_checked;

        if (options.json) {
            nlohmann::json layer;
            layer["name"] = info.name;
            layer["geometry_type"] = info.geometry_type;
            layer["feature_count"] = feature_count;
            if (info.crs) {
                layer["crs"] = {{"name", info.crs->name()},
                                {"epsg", info.crs->epsg() ? nlohmann::json(*info.crs->epsg()) : nlohmann::json()},
                                {"geographic", info.crs->is_geographic()}};
            } else {
                layer["crs"] = nullptr;
                layer["crs_problem"] = info.crs_problem;
            }
            layer["extent"] = info.extent.empty() ? nlohmann::json()
                                                  : nlohmann::json::array({info.extent.min_x, info.extent.min_y,
                                                                           info.extent.max_x, info.extent.max_y});
            layer["fields"] = nlohmann::json::array();
            for (const auto& field : info.fields) {
                layer["fields"].push_back({{"name", field.name}, {"type", geo::io::to_string(field.type)}});
            }
            layer["encoding"] = info.encoding;
            layer["text_is_utf8"] = bad_text == 0;
            layer["features_with_invalid_utf8"] = bad_text;
            layer["invalid_geometries"] = invalid;
            layer["unclosed_rings"] = unclosed;
            layer["empty_geometries"] = empty;
            layer["missing_geometries"] = missing;
            layer["sample"] = nlohmann::json::array();
            for (const auto& feature : info.sample) {
                nlohmann::json attributes = nlohmann::json::object();
                for (std::size_t i = 0; i < info.fields.size() && i < feature.attributes.size(); ++i) {
                    attributes[info.fields[i].name] = value_json(feature.attributes[i]);
                }
                layer["sample"].push_back({{"id", feature.id}, {"attributes", attributes}});
            }
            out["layers"].push_back(std::move(layer));
            continue;
        }

        std::cout << "\nlayer " << info.name << "\n";
        std::cout << "  geometry:  " << info.geometry_type << ", " << feature_count << " features\n";
        std::cout << "  crs:       " << crs_text(info) << "\n";
        std::cout << "  extent:    "
                  << (info.extent.empty() ? std::string("empty")
                                          : number(info.extent.min_x) + ", " + number(info.extent.min_y) + " – " +
                                                number(info.extent.max_x) + ", " + number(info.extent.max_y))
                  << "\n";
        std::cout << "  encoding:  " << info.encoding << "; "
                  << (bad_text == 0 ? std::string("all text is valid UTF-8")
                                    : std::to_string(bad_text) + (bad_text == 1 ? " feature has" : " features have") +
                                          " text that is not UTF-8: pass --encoding (e.g. GBK, LATIN1)")
                  << "\n";
        std::cout << "  geometry problems: " << invalid << " invalid, " << unclosed << " unclosed rings, " << empty
                  << " empty, " << missing << " missing" << (report.ok() ? "" : " (geogrid validate lists them)")
                  << "\n";
        std::cout << "  fields:   ";
        if (info.fields.empty()) {
            std::cout << " (none)";
        }
        for (std::size_t i = 0; i < info.fields.size(); ++i) {
            std::cout << (i == 0 ? " " : ", ") << info.fields[i].name << " (" << geo::io::to_string(info.fields[i].type)
                      << ")";
        }
        std::cout << "\n";
        if (!info.sample.empty()) {
            std::cout << "  first features:\n";
            for (const auto& feature : info.sample) {
                std::cout << "    #" << feature.id;
                for (std::size_t i = 0; i < info.fields.size() && i < feature.attributes.size(); ++i) {
                    std::cout << "  " << info.fields[i].name << "=" << geo::io::to_string(feature.attributes[i]);
                }
                std::cout << "\n";
            }
        }
    }
    if (options.json) {
        std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    }
}

void setup(CLI::App& app) {
    auto options = std::make_shared<InfoOptions>();
    auto* cmd = app.add_subcommand("info", "Show layers, geometry types, feature counts, CRS, extent, invalid "
                                           "geometries and attribute encoding of a vector file");
    cmd->add_option("file", options->file, "Vector dataset (GeoPackage, GeoJSON, Shapefile, FlatGeobuf, CSV, ...)")
        ->required();
    cmd->add_option("--layer", options->layer, "Only this layer");
    cmd->add_flag("--json", options->json, "Machine-readable output (JSON on stdout)");
    cmd->add_option("--sample", options->sample, "Number of features whose attributes are shown")
        ->default_val(3)
        ->check(CLI::Range(0, 1000));
    geogrid::add_input_options(*cmd, options->input);
    cmd->callback([options] { run(*options); });
}

GEOGRID_COMMAND("info", setup);

} // namespace
