// geogrid validate FILE: list everything in a layer that later steps would
// trip over (invalid geometries with the GEOS reason and location, unclosed
// rings, empty or missing geometries, duplicate or missing ids, text that is
// not UTF-8), each with its feature id. Exit status 1 when anything is found.

#include "command.hpp"
#include "common_options.hpp"

#include "geo/io/reader.hpp"
#include "geo/io/validate.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <map>
#include <string>

namespace {

struct ValidateCliOptions {
    std::string file;
    std::string layer;
    std::string id_field;
    geogrid::InputOptions input;
    bool json = false;
};

std::string xy(const geo::core::XY& p) {
    char buffer[80];
    std::snprintf(buffer, sizeof buffer, "%.9g %.9g", p.x, p.y);
    return buffer;
}

void run(const ValidateCliOptions& options) {
    // Every layer when none is named: a GeoPackage scenario is checked whole.
    std::vector<std::string> layers;
    if (!options.layer.empty()) {
        layers.push_back(options.layer);
    } else {
        geo::io::ReadOptions read;
        read.encoding = options.input.encoding;
        for (const auto& info : geo::io::list_layers(options.file, read)) {
            layers.push_back(info.name);
        }
    }

    nlohmann::json out;
    out["file"] = options.file;
    out["layers"] = nlohmann::json::array();
    bool all_ok = true;
    for (const auto& name : layers) {
        geo::io::ValidateOptions check;
        check.read.layer = name;
        check.read.encoding = options.input.encoding;
        check.read.crs_override = options.input.crs;
        check.id_field = options.id_field;
        geogrid::ProgressBar bar;
        check.read.progress = bar.callback();
        const auto report = geo::io::validate_layer(options.file, check);
        bar.finish();
        all_ok = all_ok && report.ok();

        std::map<std::string, std::size_t> counts;
        for (const auto& issue : report.issues) {
            ++counts[geo::io::to_string(issue.kind)];
        }
        if (options.json) {
            nlohmann::json layer;
            layer["layer"] = report.layer;
            layer["features_checked"] = report.features_checked;
            layer["ok"] = report.ok();
            layer["counts"] = counts;
            layer["issues"] = nlohmann::json::array();
            for (const auto& issue : report.issues) {
                nlohmann::json item = {{"kind", geo::io::to_string(issue.kind)},
                                       {"feature_id", issue.feature_id},
                                       {"message", issue.message}};
                if (!options.id_field.empty()) {
                    item["id"] = issue.id_value;
                }
                item["location"] =
                    issue.location ? nlohmann::json::array({issue.location->x, issue.location->y}) : nlohmann::json();
                layer["issues"].push_back(std::move(item));
            }
            out["layers"].push_back(std::move(layer));
            continue;
        }
        for (const auto& issue : report.issues) {
            std::cout << options.file << ": layer " << report.layer;
            if (issue.feature_id >= 0) { // layer-wide issues (missing CRS) have no feature
                std::cout << ", feature " << issue.feature_id;
            }
            if (!options.id_field.empty() && !issue.id_value.empty()) {
                std::cout << " (" << options.id_field << "=" << issue.id_value << ")";
            }
            std::cout << ": " << geo::io::to_string(issue.kind) << ": " << issue.message;
            if (issue.location) {
                std::cout << " at (" << xy(*issue.location) << ")";
            }
            std::cout << "\n";
        }
        std::cout << "layer " << report.layer << ": " << report.features_checked << " features checked, ";
        if (report.ok()) {
            std::cout << "no problems\n";
        } else {
            std::cout << report.issues.size() << " problems (";
            bool first = true;
            for (const auto& [kind, n] : counts) {
                std::cout << (first ? "" : ", ") << n << " " << kind;
                first = false;
            }
            std::cout << ")\n";
        }
    }
    if (options.json) {
        out["ok"] = all_ok;
        std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    }
    if (!all_ok) {
        geogrid::command_exit_code() = 1;
    }
}

void setup(CLI::App& app) {
    auto options = std::make_shared<ValidateCliOptions>();
    auto* cmd = app.add_subcommand(
        "validate", "Report invalid geometries (GEOS reason and location), unclosed rings, empty/missing geometries, "
                    "duplicate ids and non-UTF-8 text, with feature ids; exit status 1 when any is found");
    cmd->add_option("file", options->file, "Vector dataset to check")->required();
    cmd->add_option("--layer", options->layer, "Only this layer (default: every layer)");
    cmd->add_option("--id-field", options->id_field, "Field whose values must be unique and set (default: the FID)");
    cmd->add_flag("--json", options->json, "Machine-readable output (JSON on stdout)");
    geogrid::add_input_options(*cmd, options->input);
    cmd->callback([options] { run(*options); });
}

GEOGRID_COMMAND("validate", setup);

} // namespace
