#include "geo/io/writer.hpp"

#include "gdal.hpp"

#include "geo/core/error.hpp"
#include "geo/crs/transformer.hpp"

#include <ogr_spatialref.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>

namespace geo::io {

namespace {

namespace fs = std::filesystem;

void define_field(OGRFieldDefn& definition, const Field& field) {
    switch (field.type) {
    case FieldType::int64: definition.SetType(OFTInteger64); break;
    case FieldType::real: definition.SetType(OFTReal); break;
    case FieldType::string: break;
    case FieldType::boolean:
        definition.SetType(OFTInteger);
        definition.SetSubType(OFSTBoolean);
        break;
    case FieldType::datetime: definition.SetType(OFTDateTime); break;
    }
}

// The layer geometry type: the common type of all features, with single and
// multi parts of one family promoted to the multi type (GeoPackage and
// FlatGeobuf want one declared type; Shapefile does not distinguish them).
OGRwkbGeometryType common_type(const Layer& layer) {
    std::set<OGRwkbGeometryType> types;
    for (const auto& feature : layer.features) {
        if (feature.geometry.is_null()) {
            continue;
        }
        switch (feature.geometry.type()) {
        case core::GeometryType::point: types.insert(wkbPoint); break;
        case core::GeometryType::multi_point: types.insert(wkbMultiPoint); break;
        case core::GeometryType::line_string:
        case core::GeometryType::linear_ring: types.insert(wkbLineString); break;
        case core::GeometryType::multi_line_string: types.insert(wkbMultiLineString); break;
        case core::GeometryType::polygon: types.insert(wkbPolygon); break;
        case core::GeometryType::multi_polygon: types.insert(wkbMultiPolygon); break;
        case core::GeometryType::collection: types.insert(wkbGeometryCollection); break;
        }
    }
    if (types.empty()) {
        return layer.features.empty() ? wkbUnknown : wkbNone;
    }
    if (types.size() == 1) {
        return *types.begin();
    }
    std::set<OGRwkbGeometryType> families;
    for (const auto type : types) {
        families.insert(OGR_GT_IsSubClassOf(type, wkbGeometryCollection) ? type : OGR_GT_GetCollection(type));
    }
    // A family of single and multi parts: promote. A genuine mix: any geometry.
    return families.size() == 1 && *families.begin() != wkbGeometryCollection ? *families.begin() : wkbUnknown;
}

OGRSpatialReference spatial_reference(const crs::Crs& crs) {
    OGRSpatialReference srs;
    OGRErr error = OGRERR_FAILURE;
    if (crs.is_pseudo()) {
        error = srs.importFromEPSG(4326);
    } else if (auto code = crs.epsg()) {
        error = srs.importFromEPSG(*code);
    }
    if (error != OGRERR_NONE) {
        const std::string wkt = crs.to_wkt();
        error = srs.importFromWkt(wkt.c_str());
    }
    if (error != OGRERR_NONE) {
        throw CrsError("GDAL cannot use the CRS " + crs.name());
    }
    // Coordinates in libgeo are always x = longitude/easting.
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

void set_value(OGRFeature& feature, int i, const Value& value) {
    if (std::holds_alternative<std::monostate>(value)) {
        feature.SetFieldNull(i);
    } else if (const auto* v = std::get_if<std::int64_t>(&value)) {
        feature.SetField(i, static_cast<GIntBig>(*v));
    } else if (const auto* d = std::get_if<double>(&value)) {
        feature.SetField(i, *d);
    } else if (const auto* s = std::get_if<std::string>(&value)) {
        feature.SetField(i, s->c_str());
    } else if (const auto* b = std::get_if<bool>(&value)) {
        feature.SetField(i, *b ? 1 : 0);
    }
}

bool ids_are_unique(const Layer& layer) {
    std::set<std::int64_t> seen;
    for (const auto& feature : layer.features) {
        if (feature.id < 0 || !seen.insert(feature.id).second) {
            return false;
        }
    }
    return true;
}

std::string stem(const std::string& path) {
    return fs::path(path).stem().string();
}

} // namespace

std::string driver_for_path(const std::string& path) {
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    if (ext == ".gpkg") {
        return "GPKG";
    }
    if (ext == ".geojson" || ext == ".json") {
        return "GeoJSON";
    }
    if (ext == ".fgb") {
        return "FlatGeobuf";
    }
    if (ext == ".shp") {
        return "ESRI Shapefile";
    }
    throw InputError("unsupported output format '" + (ext.empty() ? std::string("no extension") : ext) + "'",
                     detail::at(path), "name the output .gpkg, .geojson, .fgb or .shp");
}

void transform_layer(Layer& layer, const crs::Crs& to) {
    if (layer.crs == to) {
        return;
    }
    const crs::Transformer transformer(layer.crs, to);
    for (auto& feature : layer.features) {
        if (!feature.geometry.is_null()) {
            feature.geometry = transformer.transform(feature.geometry);
        }
    }
    layer.crs = to;
}

WriteResult write_layer(const std::string& path, const Layer& layer, const WriteOptions& options) {
    detail::ensure_gdal_registered();
    WriteResult result;
    result.driver = driver_for_path(path);
    result.layer = !options.layer.empty() ? options.layer : !layer.name.empty() ? layer.name : stem(path);
    if (result.driver == "ESRI Shapefile") {
        result.layer = stem(path); // a Shapefile's layer is its file name
    }
    const auto where = detail::at(path, result.layer);
    const crs::Crs& target = options.crs ? *options.crs : layer.crs;
    if (target.is_pseudo()) {
        result.warnings.push_back("coordinates are in " + target.name() +
                                  ", which no file format can declare: the file is tagged as WGS 84 (EPSG:4326); "
                                  "read it back with --crs " +
                                  target.name());
    }

    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(result.driver.c_str());
    if (driver == nullptr) {
        throw IoError("GDAL has no " + result.driver + " driver", where);
    }
    const bool multi_layer = result.driver == "GPKG";
    const bool exists = fs::exists(path);

    detail::GdalErrorScope errors;
    GDALDatasetUniquePtr dataset;
    bool created_file = false;
    if (exists && (multi_layer || options.mode == WriteMode::append)) {
        dataset.reset(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE | GDAL_OF_VERBOSE_ERROR));
        if (!dataset) {
            throw IoError("cannot open for update: " + errors.error(), where,
                          "is it a " + result.driver + " file, and writable?");
        }
    } else {
        if (exists) {
            if (options.mode == WriteMode::create) {
                throw InputError("the output exists already", where, "pass --overwrite to replace it");
            }
            if (driver->Delete(path.c_str()) != CE_None && fs::exists(path)) {
                throw IoError("cannot replace the existing file: " + errors.error(), where);
            }
        }
        dataset.reset(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!dataset) {
            throw IoError("cannot create: " + errors.error(), where, "check that the folder exists and is writable");
        }
        created_file = true;
    }

    // Remove what we created when anything below fails, so no half-written
    // single-layer file is left for the next step to pick up.
    auto fail = [&](auto&& error) {
        dataset.reset();
        if (created_file) {
            detail::GdalErrorScope quiet;
            driver->Delete(path.c_str());
        }
        throw error;
    };

    OGRLayer* out = dataset->GetLayerByName(result.layer.c_str());
    if (out != nullptr && options.mode != WriteMode::append) {
        if (options.mode == WriteMode::create) {
            fail(InputError("the layer exists already", where, "pass --overwrite to replace it"));
        }
        for (int i = 0; i < dataset->GetLayerCount(); ++i) {
            if (dataset->GetLayer(i) == out) {
                if (dataset->DeleteLayer(i) != OGRERR_NONE) {
                    fail(IoError("cannot delete the existing layer: " + errors.error(), where));
                }
                break;
            }
        }
        out = nullptr;
    }

    const bool appending = out != nullptr;
    if (!appending) {
        OGRSpatialReference srs = spatial_reference(target);
        std::vector<const char*> creation;
        if (result.driver == "ESRI Shapefile") {
            creation.push_back("ENCODING=UTF-8"); // writes a .cpg saying UTF-8
        }
        creation.push_back(nullptr);
        const OGRwkbGeometryType type = common_type(layer);
        out = dataset->CreateLayer(result.layer.c_str(), type == wkbNone ? nullptr : &srs, type,
                                   const_cast<char**>(creation.data()));
        if (out == nullptr) {
            fail(IoError("cannot create the layer: " + errors.error(), where));
        }
    }

    // Field i of the input goes to output field mapping[i] (by name when appending).
    std::vector<int> mapping;
    for (const auto& field : layer.fields) {
        int index = appending ? out->GetLayerDefn()->GetFieldIndex(field.name.c_str()) : -1;
        if (index < 0) {
            OGRFieldDefn definition(field.name.c_str(), OFTString);
            define_field(definition, field);
            if (out->CreateField(&definition) != OGRERR_NONE) {
                fail(IoError("cannot create field '" + field.name + "': " + errors.error(), where));
            }
            index = out->GetLayerDefn()->GetFieldCount() - 1;
        }
        mapping.push_back(index);
    }

    std::optional<crs::Transformer> transformer;
    if (options.crs && !(layer.crs == *options.crs)) {
        transformer.emplace(layer.crs, *options.crs);
    }
    const OGRwkbGeometryType declared = out->GetGeomType();
    const bool keep_ids = !appending && ids_are_unique(layer);
    const bool transaction = dataset->StartTransaction(FALSE) == OGRERR_NONE;

    for (const auto& feature : layer.features) {
        OGRFeature row(out->GetLayerDefn());
        if (keep_ids) {
            row.SetFID(feature.id);
        }
        for (std::size_t i = 0; i < mapping.size() && i < feature.attributes.size(); ++i) {
            set_value(row, mapping[i], feature.attributes[i]);
        }
        if (!feature.geometry.is_null()) {
            std::unique_ptr<OGRGeometry> geometry =
                detail::to_ogr(transformer ? transformer->transform(feature.geometry) : feature.geometry);
            if (declared != wkbUnknown && OGR_GT_IsSubClassOf(declared, wkbGeometryCollection) &&
                wkbFlatten(geometry->getGeometryType()) != declared) {
                geometry.reset(OGRGeometryFactory::forceTo(geometry.release(), declared));
            }
            row.SetGeometryDirectly(geometry.release());
        }
        if (out->CreateFeature(&row) != OGRERR_NONE) {
            if (transaction) {
                dataset->RollbackTransaction();
            }
            fail(IoError("cannot write the feature: " + errors.error(), detail::at(path, result.layer, feature.id)));
        }
        ++result.features_written;
        if (result.features_written % 1024 == 0) {
            core::report(options.progress,
                         static_cast<double>(result.features_written) / static_cast<double>(layer.features.size()),
                         "writing");
        }
    }
    core::report(options.progress, 1.0, "writing");
    if (transaction && dataset->CommitTransaction() != OGRERR_NONE) {
        fail(IoError("cannot commit: " + errors.error(), where));
    }
    dataset.reset(); // GeoJSON and FlatGeobuf are written out when closed
    if (errors.failed()) {
        if (created_file) {
            detail::GdalErrorScope quiet;
            driver->Delete(path.c_str());
        }
        throw IoError("writing failed: " + errors.error(), where);
    }
    if (!errors.warning().empty()) {
        result.warnings.push_back(errors.warning());
    }
    return result;
}

} // namespace geo::io
