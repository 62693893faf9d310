#include "geo/io/validate.hpp"

#include "gdal.hpp"

#include "geo/core/detail/geos.hpp"
#include "geo/core/error.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <unordered_map>

namespace geo::io {

namespace {

std::string format_xy(core::XY p) {
    char buffer[80];
    std::snprintf(buffer, sizeof buffer, "(%.9g %.9g)", p.x, p.y);
    return buffer;
}

// Rings as the file has them: OGR hands them over unchanged, GEOS would
// refuse or silently need them closed. Curved polygons are skipped (their
// rings are curves whose closure OGR checks itself).
void check_rings(const OGRGeometry& geometry, std::vector<std::string>& problems, std::optional<core::XY>& first) {
    const OGRwkbGeometryType type = wkbFlatten(geometry.getGeometryType());
    if (type == wkbPolygon || type == wkbTriangle) {
        const auto& polygon = *geometry.toPolygon();
        for (int r = 0; r <= polygon.getNumInteriorRings(); ++r) {
            const OGRLinearRing* ring = r == 0 ? polygon.getExteriorRing() : polygon.getInteriorRing(r - 1);
            if (ring == nullptr || ring->getNumPoints() == 0) {
                continue;
            }
            const int last = ring->getNumPoints() - 1;
            const core::XY a{ring->getX(0), ring->getY(0)};
            const core::XY b{ring->getX(last), ring->getY(last)};
            if (!(a == b)) {
                problems.push_back((r == 0 ? std::string("exterior ring") : "interior ring " + std::to_string(r)) +
                                   " is not closed: last point " + format_xy(b) + " differs from first point");
                if (!first) {
                    first = a;
                }
            }
        }
    } else if (OGR_GT_IsSubClassOf(type, wkbGeometryCollection)) {
        for (const OGRGeometry* part : *geometry.toGeometryCollection()) {
            check_rings(*part, problems, first);
        }
    }
}

struct Validity {
    bool valid = true;
    std::string reason;
    std::optional<core::XY> location;
};

Validity geos_validity(const core::Geometry& geometry) {
    using namespace core::detail;
    GEOSContextHandle_t ctx = geos_context();
    char* reason = nullptr;
    GEOSGeometry* location = nullptr;
    const char result = GEOSisValidDetail_r(ctx, geos_ptr(geometry), 0, &reason, &location);
    Validity validity;
    if (result == 2) {
        throw_geos_error("checking validity");
    }
    validity.valid = result == 1;
    if (reason != nullptr) {
        validity.reason = reason;
        GEOSFree_r(ctx, reason);
    }
    if (location != nullptr) {
        double x = 0;
        double y = 0;
        if (GEOSGeomGetX_r(ctx, location, &x) == 1 && GEOSGeomGetY_r(ctx, location, &y) == 1) {
            validity.location = core::XY{x, y};
        }
        GEOSGeom_destroy_r(ctx, location);
    }
    return validity;
}

/// Points, lines and polygons (single or multi) are the kinds commands tell apart.
OGRwkbGeometryType family_of(OGRwkbGeometryType type) {
    switch (wkbFlatten(type)) {
    case wkbPoint:
    case wkbMultiPoint: return wkbPoint;
    case wkbLineString:
    case wkbMultiLineString:
    case wkbCircularString:
    case wkbCompoundCurve:
    case wkbMultiCurve: return wkbLineString;
    case wkbPolygon:
    case wkbMultiPolygon:
    case wkbCurvePolygon:
    case wkbMultiSurface: return wkbPolygon;
    default: return wkbGeometryCollection;
    }
}

/// Every feature whose kind differs from the layer's most common kind.
void report_mixed_kinds(const std::vector<std::pair<std::int64_t, OGRwkbGeometryType>>& kinds,
                        ValidationReport& report) {
    std::map<OGRwkbGeometryType, std::size_t> count;
    std::vector<OGRwkbGeometryType> order; // kinds by first appearance: ties go to the earlier one
    for (const auto& [fid, kind] : kinds) {
        if (count[kind]++ == 0) {
            order.push_back(kind);
        }
    }
    if (count.size() < 2) {
        return;
    }
    OGRwkbGeometryType main = order.front();
    for (const OGRwkbGeometryType kind : order) {
        if (count.at(kind) > count.at(main)) {
            main = kind;
        }
    }
    const std::string main_name = OGRGeometryTypeToName(main);
    for (const auto& [fid, kind] : kinds) {
        if (kind != main) {
            report.issues.push_back({IssueKind::mixed_geometry_types, fid, {},
                                     std::string("a ") + OGRGeometryTypeToName(kind) + " in a layer of " +
                                         std::to_string(count.at(main)) + " " + main_name +
                                         " features (split it with geogrid convert --where)",
                                     {}});
        }
    }
}

} // namespace

const char* to_string(IssueKind kind) noexcept {
    switch (kind) {
    case IssueKind::invalid_geometry: return "invalid_geometry";
    case IssueKind::unclosed_ring: return "unclosed_ring";
    case IssueKind::empty_geometry: return "empty_geometry";
    case IssueKind::null_geometry: return "null_geometry";
    case IssueKind::duplicate_id: return "duplicate_id";
    case IssueKind::missing_id: return "missing_id";
    case IssueKind::invalid_utf8: return "invalid_utf8";
    case IssueKind::non_finite_coordinate: return "non_finite_coordinate";
    case IssueKind::out_of_range: return "out_of_range";
    case IssueKind::mixed_geometry_types: return "mixed_geometry_types";
    case IssueKind::missing_crs: return "missing_crs";
    }
    return "unknown";
}

std::size_t ValidationReport::count(IssueKind kind) const noexcept {
    std::size_t n = 0;
    for (const auto& issue : issues) {
        n += issue.kind == kind ? 1 : 0;
    }
    return n;
}

std::size_t ValidationReport::features_with_geometry_issues() const {
    std::set<std::int64_t> features;
    for (const auto& issue : issues) {
        if (issue.kind == IssueKind::invalid_geometry || issue.kind == IssueKind::unclosed_ring ||
            issue.kind == IssueKind::empty_geometry || issue.kind == IssueKind::null_geometry ||
            issue.kind == IssueKind::non_finite_coordinate || issue.kind == IssueKind::out_of_range ||
            issue.kind == IssueKind::mixed_geometry_types) {
            features.insert(issue.feature_id);
        }
    }
    return features.size();
}

ValidationReport validate_layer(const std::string& path, const ValidateOptions& options) {
    const std::string encoding = detail::checked_encoding(options.read.encoding);
    detail::OpenDataset open = detail::open_dataset(path, encoding);
    OGRLayer& source = detail::choose_layer(*open.dataset, path, options.read.layer);

    ValidationReport report;
    report.file = path;
    report.layer = source.GetName();
    const std::vector<Field> fields = detail::read_fields(*source.GetLayerDefn());
    int id_index = -1;
    if (!options.id_field.empty()) {
        id_index = source.GetLayerDefn()->GetFieldIndex(options.id_field.c_str());
        if (id_index < 0) {
            std::string names;
            for (const auto& field : fields) {
                names += (names.empty() ? "" : ", ") + field.name;
            }
            throw InputError("no field named '" + options.id_field + "' for --id-field", detail::at(path, report.layer),
                             names.empty() ? "the layer has no attribute fields" : "fields: " + names);
        }
    }
    const std::string recode_from = detail::needs_recoding(open, encoding) ? encoding : std::string();

    std::string crs_problem;
    const std::optional<crs::Crs> crs = detail::layer_crs(source, options.read.crs_override, crs_problem);
    const bool has_geometry_field = source.GetLayerDefn()->GetGeomFieldCount() > 0;
    if (!crs && has_geometry_field) {
        report.issues.push_back({IssueKind::missing_crs, -1, {}, crs_problem + " (commands will ask for --crs)", {}});
    }
    const bool geographic = crs && crs->is_geographic();
    // Geometry kind per feature (point, line or polygon family), to find the odd ones out.
    std::vector<std::pair<std::int64_t, OGRwkbGeometryType>> kinds;

    std::unordered_map<std::string, std::int64_t> first_with_id;
    detail::GdalErrorScope errors;
    source.ResetReading();
    const GIntBig expected = source.GetFeatureCount(FALSE);
    for (OGRFeatureUniquePtr feature(source.GetNextFeature()); feature; feature.reset(source.GetNextFeature())) {
        ++report.features_checked;
        if (expected > 0 && report.features_checked % 1024 == 0) {
            core::report(options.read.progress,
                         static_cast<double>(report.features_checked) / static_cast<double>(expected), "validating");
        }
        const std::int64_t fid = feature->GetFID();
        std::string id_value;
        if (id_index >= 0) {
            id_value = to_string(
                detail::read_value(*feature, id_index, fields[static_cast<std::size_t>(id_index)].type, recode_from));
        }
        auto add = [&](IssueKind kind, std::string message, std::optional<core::XY> location = std::nullopt) {
            report.issues.push_back({kind, fid, id_value, std::move(message), location});
        };

        // Ids: the id field when given, else the FID.
        if (id_index >= 0 && !feature->IsFieldSetAndNotNull(id_index)) {
            add(IssueKind::missing_id, "field '" + options.id_field + "' is NULL");
        } else {
            const std::string key = id_index >= 0 ? id_value : std::to_string(fid);
            auto [it, inserted] = first_with_id.emplace(key, fid);
            if (!inserted) {
                add(IssueKind::duplicate_id, (id_index >= 0 ? options.id_field : std::string("FID")) + " " + key +
                                                 " is also used by feature " + std::to_string(it->second));
            }
        }

        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (fields[i].type != FieldType::string) {
                continue;
            }
            const Value value = detail::read_value(*feature, static_cast<int>(i), FieldType::string, recode_from);
            if (const auto* text = std::get_if<std::string>(&value); text != nullptr && !is_valid_utf8(*text)) {
                add(IssueKind::invalid_utf8, "field '" + fields[i].name + "' is not valid UTF-8 (try --encoding)");
                break;
            }
        }

        OGRGeometry* raw = feature->GetGeometryRef();
        if (raw == nullptr) {
            if (options.require_geometry && source.GetLayerDefn()->GetGeomFieldCount() > 0) {
                add(IssueKind::null_geometry, "the feature has no geometry");
            }
            continue;
        }
        if (raw->IsEmpty()) {
            add(IssueKind::empty_geometry, "the geometry is empty");
            continue;
        }
        kinds.emplace_back(fid, family_of(raw->getGeometryType()));
        if (const auto problem = detail::coordinate_problem(*raw, geographic)) {
            add(problem->kind == detail::CoordinateProblem::Kind::non_finite ? IssueKind::non_finite_coordinate
                                                                             : IssueKind::out_of_range,
                problem->message, problem->at);
            continue;
        }
        std::vector<std::string> ring_problems;
        std::optional<core::XY> ring_location;
        check_rings(*raw, ring_problems, ring_location);
        for (auto& problem : ring_problems) {
            add(IssueKind::unclosed_ring, std::move(problem), ring_location);
        }
        std::unique_ptr<OGRGeometry> owned(feature->StealGeometry());
        core::Geometry geometry;
        try {
            geometry = detail::to_geometry(*owned);
        } catch (const GeometryError& e) {
            add(IssueKind::invalid_geometry, e.message());
            continue;
        }
        const Validity validity = geos_validity(geometry);
        if (!validity.valid) {
            add(IssueKind::invalid_geometry, validity.reason.empty() ? "invalid geometry" : validity.reason,
                validity.location);
        }
    }
    report_mixed_kinds(kinds, report);
    core::report(options.read.progress, 1.0, "validating");
    if (errors.failed()) {
        throw IoError("reading failed after " + std::to_string(report.features_checked) +
                          " features: " + errors.error(),
                      detail::at(path, report.layer), "the file may be truncated or corrupt");
    }
    return report;
}

} // namespace geo::io
