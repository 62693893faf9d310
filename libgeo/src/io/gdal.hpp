#pragma once
// Internal to geo_io: the GDAL/OGR plumbing shared by reader, writer and
// validate. Nothing here is installed or visible to library users.

#include "geo/core/error.hpp"
#include "geo/core/geometry.hpp"
#include "geo/crs/crs.hpp"
#include "geo/io/feature.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <memory>
#include <optional>
#include <string>

namespace geo::io::detail {

/// ErrorContext without spelling out every member (-Wmissing-field-initializers).
inline ErrorContext at(std::string file, std::string layer = {}, std::optional<std::int64_t> feature = {}) {
    ErrorContext context;
    context.file = std::move(file);
    context.layer = std::move(layer);
    context.feature = feature;
    return context;
}

/// Registers the GDAL drivers once per process.
void ensure_gdal_registered();

/// Silences GDAL's default stderr printing for its lifetime (the library never
/// prints) and remembers the first error so it can go into an exception.
class GdalErrorScope {
  public:
    GdalErrorScope();
    ~GdalErrorScope();
    GdalErrorScope(const GdalErrorScope&) = delete;
    GdalErrorScope& operator=(const GdalErrorScope&) = delete;
    GdalErrorScope(GdalErrorScope&&) = delete;
    GdalErrorScope& operator=(GdalErrorScope&&) = delete;

    /// The first CE_Failure/CE_Fatal message since construction or reset().
    [[nodiscard]] const std::string& error() const noexcept { return m_error; }
    [[nodiscard]] bool failed() const noexcept { return !m_error.empty(); }
    /// Warnings seen (e.g. a character CPLRecode could not convert).
    [[nodiscard]] const std::string& warning() const noexcept { return m_warning; }
    void reset() noexcept;

  private:
    static void CPL_STDCALL handler(CPLErr level, CPLErrorNum number, const char* message);
    std::string m_error;
    std::string m_warning;
};

/// normalize_encoding(user) after checking that iconv knows it; throws
/// InputError naming common encodings otherwise. Empty stays empty.
std::string checked_encoding(const std::string& user);

/// An open dataset plus what was needed to open it.
struct OpenDataset {
    GDALDatasetUniquePtr dataset;
    std::string driver;
    bool shapefile_encoding_option = false; ///< --encoding went to the Shapefile driver
};

/// Open `path` read-only as a vector dataset; `encoding` (normalised) goes to
/// the Shapefile driver as its ENCODING open option. Throws IoError with a
/// clear reason for missing, empty, unreadable and unsupported files.
OpenDataset open_dataset(const std::string& path, const std::string& encoding);

/// The layer named `name`, or the only layer when `name` is empty. Throws
/// InputError listing the layers when the choice is ambiguous or wrong.
OGRLayer& choose_layer(GDALDataset& dataset, const std::string& path, const std::string& name);

/// The layer's CRS: `override_text` when given, else the file's. nullopt with
/// `problem` set when the layer has none or it cannot be understood.
std::optional<crs::Crs> layer_crs(OGRLayer& layer, const std::string& override_text, std::string& problem);

/// Human readable encoding of the layer's attribute text (see LayerInfo::encoding).
std::string describe_encoding(const OpenDataset& open, OGRLayer& layer, const std::string& encoding);

/// True when string fields must be recoded from `encoding` by us (drivers
/// other than Shapefile, and an encoding other than UTF-8).
bool needs_recoding(const OpenDataset& open, const std::string& encoding);

/// Our field type for an OGR field definition.
FieldType field_type(const OGRFieldDefn& definition);

/// The fields of a layer definition, in order.
std::vector<Field> read_fields(OGRFeatureDefn& definition);

/// The value of field i. `recode_from` non-empty: recode text from it to UTF-8.
Value read_value(const OGRFeature& feature, int i, FieldType type, const std::string& recode_from);

/// OGR → GEOS through ISO WKB, after linearising curves, dropping Z/M and
/// closing open rings. Modifies `geometry` (the caller owns it).
core::Geometry to_geometry(OGRGeometry& geometry);

/// What is wrong with a geometry's coordinates, if anything: NaN or infinite values, magnitudes
/// no CRS uses (> 1e9), or — when the layer's CRS is geographic — longitudes outside ±180 or
/// latitudes outside ±90, with a guess at why (swapped axes, metres in a degree CRS).
struct CoordinateProblem {
    enum class Kind { non_finite, out_of_range } kind;
    std::string message;
    core::XY at;
};
std::optional<CoordinateProblem> coordinate_problem(const OGRGeometry& geometry, bool geographic);

/// GEOS → OGR through WKB.
std::unique_ptr<OGRGeometry> to_ogr(const core::Geometry& geometry);

/// Name of the OGR geometry type ("Polygon", "Multi Polygon", ...).
std::string geometry_type_name(OGRwkbGeometryType type);

} // namespace geo::io::detail
