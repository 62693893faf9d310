#include "geo/io/reader.hpp"

#include "gdal.hpp"

#include "geo/core/error.hpp"

#include <algorithm>
#include <cctype>
#include <memory>

namespace geo::io {

namespace {

const char* kCrsHint = "pass --crs with the CRS the coordinates are in, e.g. --crs EPSG:4326, --crs EPSG:4547 "
                       "or --crs gcj02; geogrid never guesses a CRS";

std::string utf8_hint(const std::string& encoding_description) {
    return "the text encoding is " + encoding_description +
           "; pass --encoding with the real one, e.g. --encoding GBK (Chinese) or --encoding LATIN1 (Western "
           "European)";
}

} // namespace

namespace {

// Length of the valid UTF-8 sequence starting at text[i], or 0 when invalid.
std::size_t utf8_sequence(std::string_view text, std::size_t i) noexcept {
    const std::size_t n = text.size();
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t extra = 0;
    std::uint32_t code = 0;
    if (c < 0x80) {
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        extra = 1;
        code = c & 0x1FU;
    } else if (c >= 0xE0 && c <= 0xEF) {
        extra = 2;
        code = c & 0x0FU;
    } else if (c >= 0xF0 && c <= 0xF4) {
        extra = 3;
        code = c & 0x07U;
    } else {
        return 0; // continuation byte first, overlong 0xC0/0xC1, or > U+10FFFF
    }
    if (i + extra >= n) {
        return 0;
    }
    for (std::size_t k = 1; k <= extra; ++k) {
        const auto cc = static_cast<unsigned char>(text[i + k]);
        if ((cc & 0xC0U) != 0x80U) {
            return 0;
        }
        code = (code << 6U) | (cc & 0x3FU);
    }
    // Reject overlong forms, UTF-16 surrogates and code points past U+10FFFF.
    if ((extra == 2 && code < 0x800) || (extra == 3 && (code < 0x10000 || code > 0x10FFFF)) ||
        (code >= 0xD800 && code <= 0xDFFF)) {
        return 0;
    }
    return extra + 1;
}

} // namespace

bool is_valid_utf8(std::string_view text) noexcept {
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = utf8_sequence(text, i);
        if (length == 0) {
            return false;
        }
        i += length;
    }
    return true;
}

std::string sanitize_utf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = utf8_sequence(text, i);
        if (length == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
        } else {
            out.append(text.substr(i, length));
            i += length;
        }
    }
    return out;
}

std::string normalize_encoding(std::string_view name) {
    std::string upper;
    for (const char c : name) {
        if (!std::isspace(static_cast<unsigned char>(c))) {
            upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
    }
    if (upper == "LATIN1" || upper == "LATIN-1" || upper == "ISO8859-1" || upper == "ISO88591" ||
        upper == "ISO-8859-1" || upper == "ISO_8859-1" || upper == "L1") {
        return "ISO-8859-1";
    }
    if (upper == "UTF8" || upper == "UTF-8") {
        return "UTF-8";
    }
    return upper;
}

std::vector<LayerInfo> list_layers(const std::string& path, const ReadOptions& options, std::size_t sample_size) {
    const std::string encoding = detail::checked_encoding(options.encoding);
    detail::OpenDataset open = detail::open_dataset(path, encoding);
    std::vector<OGRLayer*> layers;
    if (!options.layer.empty()) {
        layers.push_back(&detail::choose_layer(*open.dataset, path, options.layer));
    } else {
        for (auto* layer : open.dataset->GetLayers()) {
            layers.push_back(layer);
        }
    }
    std::vector<LayerInfo> infos;
    for (OGRLayer* layer : layers) {
        detail::GdalErrorScope errors;
        LayerInfo info;
        info.name = layer->GetName();
        info.driver = open.driver;
        info.geometry_type = detail::geometry_type_name(layer->GetGeomType());
        info.feature_count = layer->GetFeatureCount(TRUE);
        OGREnvelope envelope;
        if (layer->GetLayerDefn()->GetGeomFieldCount() > 0 && layer->GetExtent(&envelope, TRUE) == OGRERR_NONE &&
            envelope.IsInit()) {
            info.extent = {envelope.MinX, envelope.MinY, envelope.MaxX, envelope.MaxY};
        }
        info.crs = detail::layer_crs(*layer, options.crs_override, info.crs_problem);
        info.fields = detail::read_fields(*layer->GetLayerDefn());
        info.encoding = detail::describe_encoding(open, *layer, encoding);
        const std::string recode_from = detail::needs_recoding(open, encoding) ? encoding : std::string();
        layer->ResetReading();
        while (info.sample.size() < sample_size) {
            OGRFeatureUniquePtr feature(layer->GetNextFeature());
            if (!feature) {
                break;
            }
            Feature row;
            row.id = feature->GetFID();
            for (std::size_t i = 0; i < info.fields.size(); ++i) {
                Value value = detail::read_value(*feature, static_cast<int>(i), info.fields[i].type, recode_from);
                if (auto* text = std::get_if<std::string>(&value); text != nullptr && !is_valid_utf8(*text)) {
                    *text = sanitize_utf8(*text);
                }
                row.attributes.push_back(std::move(value));
            }
            info.sample.push_back(std::move(row));
        }
        if (errors.failed()) {
            throw IoError("cannot read the layer: " + errors.error(), detail::at(path, info.name),
                          "the file may be truncated or corrupt");
        }
        infos.push_back(std::move(info));
    }
    return infos;
}

Layer read_layer(const std::string& path, const ReadOptions& options) {
    const std::string encoding = detail::checked_encoding(options.encoding);
    detail::OpenDataset open = detail::open_dataset(path, encoding);
    OGRLayer& source = detail::choose_layer(*open.dataset, path, options.layer);

    Layer layer;
    layer.name = source.GetName();
    std::string problem;
    std::optional<crs::Crs> crs = detail::layer_crs(source, options.crs_override, problem);
    if (!crs && source.GetLayerDefn()->GetGeomFieldCount() == 0) {
        crs = crs::Crs::wgs84(); // an attribute-only table: no coordinates to misplace
    }
    if (!crs) {
        throw CrsError(problem, detail::at(path, layer.name), kCrsHint);
    }
    layer.crs = *crs;
    layer.fields = detail::read_fields(*source.GetLayerDefn());
    const std::string recode_from = detail::needs_recoding(open, encoding) ? encoding : std::string();

    detail::GdalErrorScope errors;
    if (!options.where.empty()) {
        // Some drivers (GeoPackage) only compile the condition on the first
        // read, so read one feature now: a bad filter is the user's mistake,
        // not a corrupt file, and must be reported as such.
        bool accepted = source.SetAttributeFilter(options.where.c_str()) == OGRERR_NONE;
        if (accepted) {
            source.ResetReading();
            OGRFeatureUniquePtr probe(source.GetNextFeature());
            accepted = !errors.failed();
        }
        if (!accepted) {
            throw InputError("cannot use the filter '" + options.where + "': " + errors.error(),
                             detail::at(path, layer.name),
                             "--where takes an OGR SQL condition on the layer's fields, such as \"code = '120116'\"");
        }
    }
    source.ResetReading();
    const GIntBig expected = source.GetFeatureCount(FALSE);
    if (expected > 0) {
        layer.features.reserve(static_cast<std::size_t>(expected));
    }
    for (OGRFeatureUniquePtr feature(source.GetNextFeature()); feature; feature.reset(source.GetNextFeature())) {
        Feature out;
        out.id = feature->GetFID();
        const ErrorContext where = detail::at(path, layer.name, out.id);
        if (options.on_feature_error && errors.failed()) {
            // GDAL failed on this row but went on (a GeoPackage blob it cannot decode comes back
            // as a null geometry with "Unable to read geometry"): the row's problem, not the file's.
            options.on_feature_error(
                {out.id, FeatureProblem::geometry, "cannot read the feature: " + errors.error(), {}});
            errors.reset();
            continue;
        }
        out.attributes.reserve(layer.fields.size());
        bool skipped = false;
        for (std::size_t i = 0; i < layer.fields.size() && !skipped; ++i) {
            Value value = detail::read_value(*feature, static_cast<int>(i), layer.fields[i].type, recode_from);
            if (const auto* text = std::get_if<std::string>(&value); text != nullptr && !is_valid_utf8(*text)) {
                std::string message = "attribute '" + layer.fields[i].name + "' is not valid UTF-8 text";
                std::string hint = utf8_hint(detail::describe_encoding(open, source, encoding));
                if (!options.on_feature_error) {
                    throw InputError(std::move(message), where, std::move(hint));
                }
                options.on_feature_error({out.id, FeatureProblem::text_encoding, std::move(message), std::move(hint)});
                skipped = true;
            }
            out.attributes.push_back(std::move(value));
        }
        if (!skipped && feature->GetGeometryRef() != nullptr) {
            if (const auto problem = options.check_coordinates ? detail::coordinate_problem(*feature->GetGeometryRef(),
                                                                                            layer.crs.is_geographic())
                                                               : std::nullopt) {
                throw InputError(problem->message, where, "geogrid validate lists every feature with this problem");
            }
            std::unique_ptr<OGRGeometry> geometry(feature->StealGeometry());
            try {
                out.geometry = detail::to_geometry(*geometry);
                if (options.make_valid && !out.geometry.is_valid()) {
                    out.geometry = out.geometry.make_valid();
                }
            } catch (const GeometryError& e) {
                if (!options.on_feature_error) {
                    throw GeometryError(e.message(), where, "geogrid validate lists every broken geometry");
                }
                options.on_feature_error({out.id, FeatureProblem::geometry, e.message(), {}});
                skipped = true;
            }
        }
        if (skipped) {
            continue;
        }
        layer.features.push_back(std::move(out));
        if (expected > 0 && layer.features.size() % 1024 == 0) {
            core::report(options.progress, static_cast<double>(layer.features.size()) / static_cast<double>(expected),
                         "reading");
        }
    }
    core::report(options.progress, 1.0, "reading");
    if (errors.failed()) {
        throw IoError("reading failed after " + std::to_string(layer.features.size()) + " features: " + errors.error(),
                      detail::at(path, layer.name), "the file may be truncated or corrupt");
    }
    return layer;
}

} // namespace geo::io
