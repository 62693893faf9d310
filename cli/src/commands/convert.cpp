// geogrid convert IN OUT: any OGR vector layer to GeoPackage, GeoJSON,
// FlatGeobuf or Shapefile, optionally into another CRS (gcj02/bd09 included),
// with attribute text decoded to UTF-8 and, on request, geometries repaired.

#include "command.hpp"
#include "common_options.hpp"

#include "geo/crs/crs.hpp"
#include "geo/io/reader.hpp"
#include "geo/io/writer.hpp"

#include <cstdio>
#include <iostream>
#include <string>

namespace {

struct ConvertOptions {
    std::string input;
    std::string output;
    std::string layer;
    std::string out_layer;
    std::string to_crs;
    std::string where;
    geogrid::InputOptions source;
    bool make_valid = false;
    bool overwrite = false;
    bool append = false;
};

void run(const ConvertOptions& options) {
    geo::io::ReadOptions read;
    read.layer = options.layer;
    read.crs_override = options.source.crs;
    read.encoding = options.source.encoding;
    read.make_valid = options.make_valid;
    read.where = options.where;
    geogrid::ProgressBar read_bar;
    read.progress = read_bar.callback();
    const geo::io::Layer layer = geo::io::read_layer(options.input, read);
    read_bar.finish();

    geo::io::WriteOptions write;
    write.layer = options.out_layer;
    write.mode = options.append      ? geo::io::WriteMode::append
                 : options.overwrite ? geo::io::WriteMode::overwrite
                                     : geo::io::WriteMode::create;
    if (!options.to_crs.empty()) {
        write.crs = geo::crs::Crs::parse(options.to_crs);
    }
    geogrid::ProgressBar write_bar;
    write.progress = write_bar.callback();
    const auto result = geo::io::write_layer(options.output, layer, write);
    write_bar.finish();

    for (const auto& warning : result.warnings) {
        std::fprintf(stderr, "geogrid: warning: %s\n", warning.c_str());
    }
    const geo::crs::Crs& crs = write.crs ? *write.crs : layer.crs;
    std::cout << "wrote " << result.features_written << " features to " << options.output << " (" << result.driver
              << ", layer " << result.layer << ", " << crs.label() << ")\n";
}

void setup(CLI::App& app) {
    auto options = std::make_shared<ConvertOptions>();
    auto* cmd = app.add_subcommand(
        "convert", "Convert a vector layer to GeoPackage (.gpkg), GeoJSON (.geojson), FlatGeobuf (.fgb) or "
                   "Shapefile (.shp), optionally into another CRS (EPSG codes, WKT, PROJ strings, gcj02, bd09)");
    cmd->add_option("input", options->input, "Input vector dataset")->required();
    cmd->add_option("output", options->output, "Output file; the extension chooses the format")->required();
    cmd->add_option("--layer", options->layer, "Input layer (needed when the input has several)");
    cmd->add_option("--where", options->where,
                    "Keep only features matching this OGR SQL condition, e.g. \"code = '120116'\"");
    cmd->add_option("--out-layer", options->out_layer, "Layer name in the output (default: the input layer's)");
    cmd->add_option("--to-crs", options->to_crs,
                    "Transform to this CRS. gcj02/bd09 outputs are tagged as WGS 84 (no format can declare them)");
    cmd->add_flag("--make-valid", options->make_valid, "Repair invalid geometries (GEOS make-valid)");
    auto* overwrite =
        cmd->add_flag("--overwrite", options->overwrite, "Replace the output file, or the layer in a GeoPackage");
    cmd->add_flag("--append", options->append, "Add the features to an existing output layer")->excludes(overwrite);
    geogrid::add_input_options(*cmd, options->source);
    cmd->callback([options] { run(*options); });
}

GEOGRID_COMMAND("convert", setup);

} // namespace
