#pragma once
// Checking a layer for the problems that break analyses later: invalid
// geometries (with the GEOS reason and location), rings left open in the file,
// empty or missing geometries, NaN/infinite or out-of-range coordinates (swapped
// lat/lon, metres labelled as degrees), a layer mixing geometry kinds, a missing
// CRS, duplicate ids and attribute text that is not UTF-8. Works on the raw OGR
// geometry, before anything is repaired.

#include "geo/core/coords.hpp"
#include "geo/io/reader.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace geo::io {

enum class IssueKind {
    invalid_geometry, ///< GEOS says invalid (self-intersection, ring self-intersection, too few points...)
    unclosed_ring,    ///< a polygon ring whose first and last points differ in the file
    empty_geometry,   ///< an empty geometry (POLYGON EMPTY)
    null_geometry,    ///< no geometry at all
    duplicate_id,     ///< the id field (or FID) repeats an earlier feature's value
    missing_id,       ///< the id field is NULL
    invalid_utf8,     ///< attribute text is not UTF-8 after decoding
    non_finite_coordinate, ///< NaN or infinity in a coordinate
    out_of_range,          ///< coordinates no CRS uses, or outside ±180/±90 in a geographic CRS
    mixed_geometry_types,  ///< a point among polygons (or any minority kind): commands expect one kind
    missing_crs,           ///< the layer has no CRS (reported once, feature_id -1)
};

[[nodiscard]] const char* to_string(IssueKind kind) noexcept;

struct Issue {
    IssueKind kind = IssueKind::invalid_geometry;
    std::int64_t feature_id = -1; ///< OGR FID
    std::string id_value;         ///< value of the id field ("" when none was given)
    std::string message;          ///< human readable detail
    std::optional<core::XY> location;
};

struct ValidateOptions {
    ReadOptions read;     ///< layer, encoding, crs_override (for the CRS checks); make_valid is ignored
    std::string id_field; ///< field whose values must be unique; FID when empty
    /// Report null geometries as issues (off for attribute-only tables).
    bool require_geometry = true;
};

struct ValidationReport {
    std::string file;
    std::string layer;
    std::int64_t features_checked = 0;
    std::vector<Issue> issues;

    [[nodiscard]] bool ok() const noexcept { return issues.empty(); }
    [[nodiscard]] std::size_t count(IssueKind kind) const noexcept;
    /// Number of distinct features with at least one invalid/unclosed/empty/null geometry issue.
    [[nodiscard]] std::size_t features_with_geometry_issues() const;
};

/// Check one layer (ValidateOptions::read.layer, or the only layer).
[[nodiscard]] ValidationReport validate_layer(const std::string& path, const ValidateOptions& options = {});

} // namespace geo::io
