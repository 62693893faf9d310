#pragma once
// Reading any OGR vector dataset (GeoPackage, GeoJSON, Shapefile, FlatGeobuf,
// CSV, ...) into a geo::io::Layer.
//
// Rules (see docs/io.md):
// - A dataset with several layers needs ReadOptions::layer; the error lists them.
// - A layer without a CRS is an error (CrsError naming the file and --crs)
//   unless ReadOptions::crs_override gives one; the library never guesses.
// - Attribute text comes back as UTF-8. Shapefiles honour their .cpg / DBF
//   code page; ReadOptions::encoding overrides it. Text that still is not
//   valid UTF-8 is an InputError suggesting --encoding, never mojibake.
// - Rings that the file leaves open are closed while converting to GEOS
//   (geo::io::validate_layer reports them); curves are linearised, Z/M dropped.
// - A feature with such text or a geometry that cannot be converted stops the
//   read, unless ReadOptions::on_feature_error is set: then it is reported
//   there and left out, and the read goes on (the incident importer).

#include "geo/core/coords.hpp"
#include "geo/core/progress.hpp"
#include "geo/crs/crs.hpp"
#include "geo/io/feature.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace geo::io {

/// Why read_layer left a feature out (only with ReadOptions::on_feature_error).
enum class FeatureProblem {
    text_encoding, ///< an attribute's text is not valid UTF-8 after decoding
    geometry,      ///< the geometry cannot be converted (e.g. a ring of two points)
};

/// One feature read_layer could not read and left out.
struct FeatureError {
    std::int64_t feature_id = -1; ///< the OGR FID
    FeatureProblem problem = FeatureProblem::geometry;
    std::string message; ///< e.g. "attribute 'name' is not valid UTF-8 text"
    std::string hint;    ///< what to do (--encoding ...), may be empty
};

struct ReadOptions {
    /// Layer to read; may be empty when the dataset has exactly one.
    std::string layer;
    /// --crs: the CRS of a layer that has none (EPSG:4326, WKT, PROJ string,
    /// gcj02, bd09). When the layer has a CRS too, this one wins: use it for
    /// files that lie (e.g. GCJ-02 coordinates tagged as WGS 84).
    std::string crs_override;
    /// --encoding: attribute text encoding (LATIN1, GBK, GB18030, CP1252, UTF-8...).
    std::string encoding;
    /// --where: OGR SQL attribute filter ("code = '120116'"); empty reads every feature.
    std::string where;
    /// Repair invalid geometries with GEOS make-valid while reading.
    bool make_valid = false;
    /// Refuse the layer at the first NaN, huge or (in a geographic CRS) out-of-range coordinate.
    /// Off for readers that judge every row themselves and skip bad ones (the incident importer).
    bool check_coordinates = true;
    /// Called with the fraction of features read (for the CLI's progress bar).
    core::Progress progress;
    /// Empty (the default): a feature with invalid UTF-8 text or an unconvertible geometry
    /// stops the read (InputError / GeometryError). Set: such a feature is passed here, left
    /// out of the layer, and the read goes on. For readers that report bad rows one by one
    /// and must not stop at the first (the incident importer).
    std::function<void(const FeatureError&)> on_feature_error;
};

/// What `geogrid info` shows about one layer without reading its features.
struct LayerInfo {
    std::string name;
    std::string driver;        ///< OGR driver short name ("GPKG", "ESRI Shapefile", ...)
    std::string geometry_type; ///< OGR name: "Polygon", "Multi Polygon", "Point", "Unknown (any)", "None"
    std::int64_t feature_count = 0;
    core::Box extent;            ///< in the layer's CRS; empty when there are no geometries
    std::optional<crs::Crs> crs; ///< nullopt when the layer has none and no override was given
    std::string crs_problem;     ///< why crs is missing or unusable ("" when fine)
    std::vector<Field> fields;
    /// Where the attribute text encoding comes from and what it is, e.g.
    /// "UTF-8 (GeoPackage stores UTF-8)", "ISO-8859-1 (from .cpg)", "CP936 (DBF LDID)",
    /// "GBK (--encoding)", "unknown (no .cpg, no LDID)".
    std::string encoding;
    /// The first features' id and attributes (no geometry), when asked for.
    /// Text that is not valid UTF-8 shows U+FFFD for each bad byte here.
    std::vector<Feature> sample;
};

/// Every layer of the dataset (only `options.layer` when it is set), each
/// with up to `sample_size` sample features.
[[nodiscard]] std::vector<LayerInfo> list_layers(const std::string& path, const ReadOptions& options = {},
                                                 std::size_t sample_size = 0);

/// Read one layer with all its features. Throws IoError (cannot open or read),
/// InputError (layer choice, invalid UTF-8), CrsError (no CRS), GeometryError.
[[nodiscard]] Layer read_layer(const std::string& path, const ReadOptions& options = {});

/// True when `text` is well-formed UTF-8.
[[nodiscard]] bool is_valid_utf8(std::string_view text) noexcept;

/// `text` with every byte that is not part of valid UTF-8 replaced by U+FFFD.
[[nodiscard]] std::string sanitize_utf8(std::string_view text);

/// Canonical spelling of a user's encoding name for GDAL/iconv: "LATIN1" and
/// "latin-1" → "ISO-8859-1", "utf8" → "UTF-8", "GBK"/"CP936" kept. Empty stays empty.
[[nodiscard]] std::string normalize_encoding(std::string_view name);

} // namespace geo::io
