#include "geo/io/feature.hpp"

#include "geo/core/error.hpp"

#include <charconv>
#include <cmath>

namespace geo::io {

namespace {

ErrorContext context(const std::string& layer, std::optional<std::int64_t> feature = {}) {
    ErrorContext c;
    c.layer = layer;
    c.feature = feature;
    return c;
}

} // namespace

const char* to_string(FieldType type) noexcept {
    switch (type) {
    case FieldType::int64: return "int64";
    case FieldType::real: return "double";
    case FieldType::string: return "string";
    case FieldType::boolean: return "bool";
    case FieldType::datetime: return "datetime";
    }
    return "unknown";
}

std::string to_string(const Value& value) {
    struct Visitor {
        std::string operator()(std::monostate) const { return {}; }
        std::string operator()(std::int64_t v) const { return std::to_string(v); }
        std::string operator()(double v) const {
            char buffer[32];
            const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
            return std::string(buffer, result.ptr);
        }
        std::string operator()(const std::string& v) const { return v; }
        std::string operator()(bool v) const { return v ? "true" : "false"; }
    };
    return std::visit(Visitor{}, value);
}

std::optional<std::int64_t> to_int64(const Value& value) {
    if (const auto* v = std::get_if<std::int64_t>(&value)) {
        return *v;
    }
    if (const auto* v = std::get_if<bool>(&value)) {
        return *v ? 1 : 0;
    }
    if (const auto* v = std::get_if<double>(&value)) {
        if (std::isfinite(*v) && std::trunc(*v) == *v && std::fabs(*v) < 9.2e18) {
            return static_cast<std::int64_t>(*v);
        }
        return std::nullopt;
    }
    if (const auto* v = std::get_if<std::string>(&value)) {
        std::int64_t out = 0;
        const char* end = v->data() + v->size();
        const auto result = std::from_chars(v->data(), end, out);
        if (result.ec == std::errc() && result.ptr == end && !v->empty()) {
            return out;
        }
    }
    return std::nullopt;
}

std::optional<double> to_double(const Value& value) {
    if (const auto* v = std::get_if<double>(&value)) {
        return *v;
    }
    if (const auto* v = std::get_if<std::int64_t>(&value)) {
        return static_cast<double>(*v);
    }
    if (const auto* v = std::get_if<bool>(&value)) {
        return *v ? 1.0 : 0.0;
    }
    if (const auto* v = std::get_if<std::string>(&value)) {
        double out = 0;
        const char* end = v->data() + v->size();
        const auto result = std::from_chars(v->data(), end, out);
        if (result.ec == std::errc() && result.ptr == end && !v->empty()) {
            return out;
        }
    }
    return std::nullopt;
}

std::optional<std::size_t> Layer::find_field(std::string_view field) const noexcept {
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (fields[i].name == field) {
            return i;
        }
    }
    return std::nullopt;
}

std::size_t Layer::field_index(std::string_view field) const {
    if (auto i = find_field(field)) {
        return *i;
    }
    std::string available;
    for (const auto& f : fields) {
        available += (available.empty() ? "" : ", ") + f.name;
    }
    throw InputError("no field named '" + std::string(field) + "'", context(name),
                     available.empty() ? "the layer has no attribute fields" : "fields: " + available);
}

const Value& Layer::attribute(const Feature& feature, std::string_view field) const {
    const std::size_t i = field_index(field);
    if (i >= feature.attributes.size()) {
        throw InputError("feature has fewer attributes than the layer has fields", context(name, feature.id));
    }
    return feature.attributes[i];
}

std::size_t Layer::add_field(std::string field, FieldType type) {
    if (find_field(field)) {
        throw InputError("field '" + field + "' exists already", context(name));
    }
    fields.push_back({std::move(field), type});
    for (auto& feature : features) {
        feature.attributes.resize(fields.size());
    }
    return fields.size() - 1;
}

core::Box Layer::bounds() const {
    core::Box box;
    for (const auto& feature : features) {
        if (!feature.geometry.is_null() && !feature.geometry.is_empty()) {
            box.expand(feature.geometry.bounds());
        }
    }
    return box;
}

} // namespace geo::io
