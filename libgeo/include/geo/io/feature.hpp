#pragma once
// geo::io::Layer and Feature: what a vector dataset looks like once read, and
// what write_layer() accepts. Plain value types: geometry is a core::Geometry,
// attributes are a small variant indexed like the layer's fields, text is
// always UTF-8.

#include "geo/core/geometry.hpp"
#include "geo/crs/crs.hpp"

#include <cstdint>
#include <optional>
#include <initializer_list>
#include <string>
#include <utility>
#include <string_view>
#include <variant>
#include <vector>

namespace geo::io {

/// Attribute types the library keeps apart. Dates and times travel as ISO 8601
/// text ("2024-05-01T08:30:00" or "2024-05-01") in a std::string value.
enum class FieldType { int64, real, string, boolean, datetime };

[[nodiscard]] const char* to_string(FieldType type) noexcept;

struct Field {
    std::string name;
    FieldType type = FieldType::string;
    friend bool operator==(const Field&, const Field&) = default;
};

/// One attribute value. std::monostate is NULL (unset or SQL NULL).
using Value = std::variant<std::monostate, std::int64_t, double, std::string, bool>;

/// The value as display text ("" for NULL, "true"/"false", shortest round-trip
/// text for doubles).
[[nodiscard]] std::string to_string(const Value& value);
/// Integer value of an int64, bool, integral double or integer text; nullopt otherwise.
[[nodiscard]] std::optional<std::int64_t> to_int64(const Value& value);
/// Numeric value of an int64, double, bool or numeric text; nullopt otherwise.
[[nodiscard]] std::optional<double> to_double(const Value& value);
[[nodiscard]] inline bool is_null(const Value& value) noexcept {
    return std::holds_alternative<std::monostate>(value);
}

struct Feature {
    /// The dataset's feature id (OGR FID); -1 when the feature has none yet.
    std::int64_t id = -1;
    /// May be null (Geometry::is_null()) for features without geometry.
    core::Geometry geometry;
    /// attributes[i] belongs to Layer::fields[i].
    std::vector<Value> attributes;
};

struct Layer {
    std::string name;
    /// The CRS the coordinates are in. read_layer() always sets it from the
    /// file or from --crs; a Layer built by hand starts as WGS 84.
    crs::Crs crs = crs::Crs::wgs84();
    std::vector<Field> fields;
    std::vector<Feature> features;

    /// Index of the field called `name` (exact match); throws InputError that
    /// lists the available fields when there is none.
    [[nodiscard]] std::size_t field_index(std::string_view name) const;
    /// Index of the field, or nullopt (no exception).
    [[nodiscard]] std::optional<std::size_t> find_field(std::string_view name) const noexcept;
    /// The value of field `name` in `feature` (throws like field_index()).
    [[nodiscard]] const Value& attribute(const Feature& feature, std::string_view name) const;
    /// Append a field and a NULL value for it to every feature; returns its index.
    std::size_t add_field(std::string name, FieldType type);
    /// Bounds of all non-null, non-empty geometries.
    [[nodiscard]] core::Box bounds() const;
};

/// An empty layer with the given schema, ready for features: what commands
/// use to build the layers they write.
[[nodiscard]] inline Layer make_layer(std::string name, std::initializer_list<std::pair<const char*, FieldType>> fields,
                                      crs::Crs crs = crs::Crs::wgs84()) {
    Layer layer;
    layer.name = std::move(name);
    layer.crs = std::move(crs);
    for (const auto& [field, type] : fields) {
        layer.fields.push_back({field, type});
    }
    return layer;
}

} // namespace geo::io
