#pragma once
// Writing a geo::io::Layer to GeoPackage, GeoJSON, FlatGeobuf or Shapefile.
//
// The driver follows the file extension: .gpkg → GPKG, .geojson/.json →
// GeoJSON, .fgb → FlatGeobuf, .shp → ESRI Shapefile (UTF-8, with a .cpg).
// A GeoPackage holds several layers: writing one keeps the others. Features
// are written inside a transaction where the driver has one, so a failure
// leaves no half-written layer behind.

#include "geo/core/progress.hpp"
#include "geo/crs/crs.hpp"
#include "geo/io/feature.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace geo::io {

enum class WriteMode {
    create,    ///< the layer (or single-layer file) must not exist yet
    overwrite, ///< replace the layer (or file) when it exists
    append,    ///< add features to an existing layer with the same fields
};

struct WriteOptions {
    /// Layer name in the output; defaults to Layer::name, then to the file stem.
    std::string layer;
    WriteMode mode = WriteMode::create;
    /// Output CRS. When set and different from Layer::crs the features are
    /// transformed on the way out; otherwise they are written in Layer::crs.
    std::optional<crs::Crs> crs;
    /// Called with the fraction of features written.
    core::Progress progress;
};

struct WriteResult {
    std::string driver;
    std::string layer;
    std::int64_t features_written = 0;
    /// Things the caller should tell the user (e.g. a pseudo-CRS tagged as WGS 84).
    std::vector<std::string> warnings;
};

/// Write `layer` to `path`. Throws IoError (with file and layer) when the
/// output cannot be created or a feature cannot be written, InputError for an
/// unsupported extension or an existing output with WriteMode::create.
WriteResult write_layer(const std::string& path, const Layer& layer, const WriteOptions& options = {});

/// OGR driver short name for an output path, from its extension; throws InputError.
[[nodiscard]] std::string driver_for_path(const std::string& path);

/// Transform every geometry of the layer into `to` (no-op when already there).
void transform_layer(Layer& layer, const crs::Crs& to);

} // namespace geo::io
