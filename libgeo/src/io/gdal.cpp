#include "gdal.hpp"

#include "geo/core/error.hpp"
#include "geo/io/reader.hpp"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>

namespace geo::io::detail {

void ensure_gdal_registered() {
    static std::once_flag once;
    std::call_once(once, [] { GDALAllRegister(); });
}

GdalErrorScope::GdalErrorScope() {
    CPLPushErrorHandlerEx(&GdalErrorScope::handler, this);
    CPLErrorReset();
}

GdalErrorScope::~GdalErrorScope() {
    CPLPopErrorHandler();
}

void GdalErrorScope::reset() noexcept {
    m_error.clear();
    m_warning.clear();
    CPLErrorReset();
}

void CPL_STDCALL GdalErrorScope::handler(CPLErr level, CPLErrorNum, const char* message) {
    auto* self = static_cast<GdalErrorScope*>(CPLGetErrorHandlerUserData());
    if (self == nullptr || message == nullptr) {
        return;
    }
    if ((level == CE_Failure || level == CE_Fatal) && self->m_error.empty()) {
        self->m_error = message;
    } else if (level == CE_Warning && self->m_warning.empty()) {
        self->m_warning = message;
    }
}

namespace {

// GDAL also opens things that are not plain files: /vsizip/..., /vsicurl/...,
// and connection strings such as "PG:dbname=x". Only plain paths are checked
// for existence up front (GDAL's own message for a missing file is vague).
bool is_plain_path(const std::string& path) {
    if (path.starts_with("/vsi")) {
        return false;
    }
    const auto colon = path.find(':');
    return colon == std::string::npos || path.find('/') < colon;
}

std::string layer_names(GDALDataset& dataset) {
    std::string names;
    for (auto* layer : dataset.GetLayers()) {
        names += (names.empty() ? "" : ", ") + std::string(layer->GetName());
    }
    return names;
}

const char* kSupported = "readable: GeoPackage, GeoJSON, Shapefile, FlatGeobuf, CSV and the other OGR vector formats";

} // namespace

std::string checked_encoding(const std::string& user) {
    std::string encoding = normalize_encoding(user);
    if (encoding.empty() || encoding == "UTF-8" || encoding == "ISO-8859-1") {
        return encoding; // handled by CPLRecode without iconv
    }
    GdalErrorScope errors;
    char* probe = CPLRecode("A", encoding.c_str(), CPL_ENC_UTF8);
    CPLFree(probe);
    if (errors.failed() || !errors.warning().empty()) {
        throw InputError("unknown text encoding '" + user + "'", ErrorContext{},
                         "use a name iconv knows, e.g. UTF-8, LATIN1, CP1252, GBK, GB18030, BIG5");
    }
    return encoding;
}

OpenDataset open_dataset(const std::string& path, const std::string& encoding) {
    ensure_gdal_registered();
    if (is_plain_path(path)) {
        std::error_code ec;
        const auto status = std::filesystem::status(path, ec);
        if (!std::filesystem::exists(status)) {
            throw IoError("file not found", at(path), "check the path");
        }
        if (std::filesystem::is_regular_file(status) && std::filesystem::file_size(path, ec) == 0) {
            throw IoError("file is empty (0 bytes)", at(path), "the file was not written completely; recreate it");
        }
    }

    OpenDataset open;
    GdalErrorScope errors;
    const unsigned flags = GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR;
    open.dataset.reset(GDALDataset::Open(path.c_str(), flags));
    if (!open.dataset) {
        const std::string reason = errors.failed() ? errors.error() : "not a vector dataset GDAL can read";
        throw IoError("cannot open as a vector dataset: " + reason, at(path), kSupported);
    }
    open.driver = open.dataset->GetDriver() != nullptr ? open.dataset->GetDriver()->GetDescription() : "";

    // The Shapefile driver recodes DBF text itself; --encoding replaces the
    // code page it found (or did not find) in the .cpg / LDID.
    if (open.driver == "ESRI Shapefile" && !encoding.empty()) {
        open.dataset.reset();
        const std::string option = "ENCODING=" + encoding;
        const char* const options[] = {option.c_str(), nullptr};
        open.dataset.reset(GDALDataset::Open(path.c_str(), flags, nullptr, options));
        if (!open.dataset) {
            throw IoError("cannot open with encoding " + encoding + ": " + errors.error(), at(path));
        }
        open.shapefile_encoding_option = true;
    }
    // CSV point tables (facilities, 12345 incidents) name their coordinate
    // columns lon/lat or x/y: make those the geometry. A CSV has no CRS, so
    // reading it needs --crs (WGS 84 or GCJ-02 is exactly what must be said).
    // Columns stay text (no type guessing), so codes keep leading zeros.
    if (open.driver == "CSV") {
        open.dataset.reset();
        const char* const options[] = {"X_POSSIBLE_NAMES=lon,lng,long,longitude,x", "Y_POSSIBLE_NAMES=lat,latitude,y",
                                       "KEEP_GEOM_COLUMNS=YES", nullptr};
        open.dataset.reset(GDALDataset::Open(path.c_str(), flags, nullptr, options));
        if (!open.dataset) {
            throw IoError("cannot open as CSV: " + errors.error(), at(path));
        }
    }
    if (open.dataset->GetLayerCount() == 0) {
        throw IoError("the dataset has no vector layers", at(path), kSupported);
    }
    return open;
}

OGRLayer& choose_layer(GDALDataset& dataset, const std::string& path, const std::string& name) {
    if (!name.empty()) {
        OGRLayer* layer = dataset.GetLayerByName(name.c_str());
        if (layer == nullptr) {
            throw InputError("no layer named '" + name + "'", at(path), "layers in this file: " + layer_names(dataset));
        }
        return *layer;
    }
    if (dataset.GetLayerCount() > 1) {
        throw InputError("the dataset has " + std::to_string(dataset.GetLayerCount()) + " layers; choose one", at(path),
                         "pass --layer NAME with one of: " + layer_names(dataset));
    }
    return *dataset.GetLayer(0);
}

std::optional<crs::Crs> layer_crs(OGRLayer& layer, const std::string& override_text, std::string& problem) {
    problem.clear();
    if (!override_text.empty()) {
        return crs::Crs::parse(override_text); // a bad --crs is the user's error: let CrsError through
    }
    const OGRSpatialReference* srs = layer.GetSpatialRef();
    if (srs == nullptr) {
        problem = "the layer has no CRS";
        return std::nullopt;
    }
    // Prefer the EPSG definition when the file's CRS is one (a .prj in ESRI
    // WKT, a GeoJSON CRS84): names and axis handling are then the standard ones.
    const char* authority = srs->GetAuthorityName(nullptr);
    const char* code = srs->GetAuthorityCode(nullptr);
    std::string epsg;
    if (authority != nullptr && code != nullptr && EQUAL(authority, "EPSG")) {
        epsg = code;
    } else {
        OGRSpatialReference* match = srs->FindBestMatch(90, "EPSG", nullptr);
        if (match != nullptr) {
            const char* match_authority = match->GetAuthorityName(nullptr);
            const char* match_code = match->GetAuthorityCode(nullptr);
            if (match_authority != nullptr && match_code != nullptr && EQUAL(match_authority, "EPSG")) {
                epsg = match_code;
            }
            match->Release();
        }
    }
    try {
        if (!epsg.empty()) {
            return crs::Crs::parse("EPSG:" + epsg);
        }
        char* wkt = nullptr;
        const char* const options[] = {"FORMAT=WKT2_2019", nullptr};
        if (srs->exportToWkt(&wkt, options) != OGRERR_NONE || wkt == nullptr) {
            CPLFree(wkt);
            problem = "the layer's CRS cannot be exported as WKT";
            return std::nullopt;
        }
        std::string text(wkt);
        CPLFree(wkt);
        return crs::Crs::from_wkt(text);
    } catch (const geo::Error& e) {
        problem = std::string("the layer's CRS is not usable: ") + e.message();
        return std::nullopt;
    }
}

std::string describe_encoding(const OpenDataset& open, OGRLayer& layer, const std::string& encoding) {
    if (open.shapefile_encoding_option) {
        return encoding + " (--encoding)";
    }
    if (open.driver == "ESRI Shapefile") {
        const char* cpg = layer.GetMetadataItem("ENCODING_FROM_CPG", "SHAPEFILE");
        if (cpg != nullptr && *cpg != '\0') {
            return std::string(cpg) + " (from .cpg)";
        }
        const char* ldid = layer.GetMetadataItem("ENCODING_FROM_LDID", "SHAPEFILE");
        if (ldid != nullptr && *ldid != '\0') {
            return std::string(ldid) + " (from DBF LDID)";
        }
        return "unknown (no .cpg, no DBF LDID: text is passed through and checked for UTF-8)";
    }
    if (!encoding.empty() && encoding != "UTF-8") {
        return encoding + " (--encoding)";
    }
    if (layer.TestCapability(OLCStringsAsUTF8) != 0) {
        return "UTF-8 (" + open.driver + " stores UTF-8)";
    }
    return "unknown (" + open.driver + " does not say: text is checked for UTF-8)";
}

bool needs_recoding(const OpenDataset& open, const std::string& encoding) {
    return !open.shapefile_encoding_option && !encoding.empty() && encoding != "UTF-8";
}

FieldType field_type(const OGRFieldDefn& definition) {
    switch (definition.GetType()) {
    case OFTInteger: return definition.GetSubType() == OFSTBoolean ? FieldType::boolean : FieldType::int64;
    case OFTInteger64: return definition.GetSubType() == OFSTBoolean ? FieldType::boolean : FieldType::int64;
    case OFTReal: return FieldType::real;
    case OFTDate:
    case OFTTime:
    case OFTDateTime: return FieldType::datetime;
    default: return FieldType::string; // strings, lists and binary arrive as text
    }
}

std::vector<Field> read_fields(OGRFeatureDefn& definition) {
    std::vector<Field> fields;
    fields.reserve(static_cast<std::size_t>(definition.GetFieldCount()));
    for (int i = 0; i < definition.GetFieldCount(); ++i) {
        const OGRFieldDefn* field = definition.GetFieldDefn(i);
        fields.push_back({field->GetNameRef(), field_type(*field)});
    }
    return fields;
}

namespace {

std::string iso8601(const OGRFeature& feature, int i, OGRFieldType ogr_type) {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, tz = 0;
    float second = 0;
    if (!const_cast<OGRFeature&>(feature).GetFieldAsDateTime(i, &year, &month, &day, &hour, &minute, &second, &tz)) {
        return feature.GetFieldAsString(i);
    }
    char buffer[64];
    if (ogr_type == OFTDate) {
        std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
        return buffer;
    }
    const int whole = static_cast<int>(second);
    const int millis = static_cast<int>((second - static_cast<float>(whole)) * 1000.0F + 0.5F);
    std::string text;
    if (ogr_type == OFTTime) {
        std::snprintf(buffer, sizeof buffer, "%02d:%02d:%02d", hour, minute, whole);
    } else {
        std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d", year, month, day, hour, minute, whole);
    }
    text = buffer;
    if (millis > 0) {
        std::snprintf(buffer, sizeof buffer, ".%03d", std::min(millis, 999));
        text += buffer;
    }
    // OGR time zone flag: 0 unknown, 1 local, 100 = UTC, 100 ± 4 per hour.
    if (tz == 100) {
        text += "Z";
    } else if (tz > 1) {
        const int offset = (tz - 100) * 15;
        std::snprintf(buffer, sizeof buffer, "%c%02d:%02d", offset < 0 ? '-' : '+', std::abs(offset) / 60,
                      std::abs(offset) % 60);
        text += buffer;
    }
    return text;
}

} // namespace

Value read_value(const OGRFeature& feature, int i, FieldType type, const std::string& recode_from) {
    if (!feature.IsFieldSetAndNotNull(i)) {
        return std::monostate{};
    }
    switch (type) {
    case FieldType::int64: return static_cast<std::int64_t>(feature.GetFieldAsInteger64(i));
    case FieldType::real: return feature.GetFieldAsDouble(i);
    case FieldType::boolean: return feature.GetFieldAsInteger64(i) != 0;
    case FieldType::datetime: return iso8601(feature, i, feature.GetFieldDefnRef(i)->GetType());
    case FieldType::string: break;
    }
    const char* raw = feature.GetFieldAsString(i);
    if (recode_from.empty()) {
        return std::string(raw);
    }
    char* recoded = CPLRecode(raw, recode_from.c_str(), CPL_ENC_UTF8);
    std::string text(recoded != nullptr ? recoded : raw);
    CPLFree(recoded);
    return text;
}

core::Geometry to_geometry(OGRGeometry& geometry) {
    OGRGeometry* work = &geometry;
    std::unique_ptr<OGRGeometry> linear;
    if (geometry.hasCurveGeometry(TRUE)) {
        linear.reset(geometry.getLinearGeometry());
        if (!linear) {
            throw GeometryError("cannot linearise a curved geometry");
        }
        work = linear.get();
    }
    work->flattenTo2D();
    work->closeRings();
    std::string wkb(static_cast<std::size_t>(work->WkbSize()), '\0');
    if (work->exportToWkb(wkbNDR, reinterpret_cast<unsigned char*>(wkb.data()), wkbVariantIso) != OGRERR_NONE) {
        throw GeometryError("cannot export the OGR geometry as WKB");
    }
    return core::Geometry::from_wkb(std::string_view(wkb));
}

std::unique_ptr<OGRGeometry> to_ogr(const core::Geometry& geometry) {
    const std::string wkb = geometry.to_wkb();
    OGRGeometry* out = nullptr;
    if (OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &out, wkb.size(), wkbVariantIso) != OGRERR_NONE ||
        out == nullptr) {
        throw GeometryError("cannot convert the geometry to OGR");
    }
    return std::unique_ptr<OGRGeometry>(out);
}

std::string geometry_type_name(OGRwkbGeometryType type) {
    return OGRGeometryTypeToName(type);
}

namespace {

/// Collects the extreme coordinates of a geometry, NaN and infinities included (an OGREnvelope
/// would silently skip NaN in its comparisons).
class CoordinateScan : public OGRDefaultConstGeometryVisitor {
  public:
    using OGRDefaultConstGeometryVisitor::visit;
    void visit(const OGRPoint* point) override {
        if (point->IsEmpty()) {
            return;
        }
        const double x = point->getX();
        const double y = point->getY();
        if (!std::isfinite(x) || !std::isfinite(y)) {
            if (!non_finite) {
                non_finite = core::XY{x, y};
            }
            return;
        }
        if (!first) {
            first = core::XY{x, y};
        }
        box.expand(core::XY{x, y});
    }
    std::optional<core::XY> non_finite;
    std::optional<core::XY> first;
    core::Box box;
};

std::string number(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.9g", v);
    return text;
}

} // namespace

std::optional<CoordinateProblem> coordinate_problem(const OGRGeometry& geometry, bool geographic) {
    CoordinateScan scan;
    geometry.accept(&scan);
    if (scan.non_finite) {
        return CoordinateProblem{CoordinateProblem::Kind::non_finite,
                                 "a coordinate is not a number (" + number(scan.non_finite->x) + ", " +
                                     number(scan.non_finite->y) + ")",
                                 *scan.non_finite};
    }
    if (scan.box.empty()) {
        return std::nullopt;
    }
    const core::Box& b = scan.box;
    constexpr double huge = 1e9; // beyond every projected CRS's range (metres or feet)
    if (std::max({std::abs(b.min_x), std::abs(b.max_x), std::abs(b.min_y), std::abs(b.max_y)}) > huge) {
        return CoordinateProblem{CoordinateProblem::Kind::out_of_range,
                                 "coordinates up to " +
                                     number(std::max({std::abs(b.min_x), std::abs(b.max_x), std::abs(b.min_y),
                                                      std::abs(b.max_y)})) +
                                     " are beyond any coordinate reference system",
                                 *scan.first};
    }
    if (!geographic) {
        return std::nullopt;
    }
    const bool x_ok = b.min_x >= -180.0 && b.max_x <= 180.0;
    const bool y_ok = b.min_y >= -90.0 && b.max_y <= 90.0;
    if (x_ok && y_ok) {
        return std::nullopt;
    }
    std::string why;
    if (std::max({std::abs(b.min_x), std::abs(b.max_x), std::abs(b.min_y), std::abs(b.max_y)}) > 1000.0) {
        why = "they look like metres of a projected CRS: the file's CRS is wrong (give the right one with --crs)";
    } else if (!y_ok && b.min_x >= -90.0 && b.max_x <= 90.0) {
        why = "latitude and longitude look swapped (x must be the longitude)";
    } else {
        why = "the file's CRS may be wrong";
    }
    return CoordinateProblem{CoordinateProblem::Kind::out_of_range,
                             "coordinates (" + number(b.min_x) + " … " + number(b.max_x) + ", " + number(b.min_y) +
                                 " … " + number(b.max_y) + ") are outside longitude ±180 / latitude ±90: " + why,
                             *scan.first};
}

} // namespace geo::io::detail
