#pragma once
// geo::tile::Value: one typed property value of a vector tile feature.
//
// The seven MVT value types are kept apart (an int64 is not a uint64 nor a
// zig-zag sint64) because clients see the type: MapLibre filters compare
// numbers, QGIS shows the field type.

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace geo::tile {

/// The field numbers of vector_tile.proto's Value message.
enum class ValueType : std::uint8_t {
    string = 1,
    float_value = 2,
    double_value = 3,
    int64 = 4,
    uint64 = 5,
    sint64 = 6,
    boolean = 7,
};

class Value {
  public:
    Value() = default; ///< the empty string
    Value(std::string s) : m_v(std::in_place_index<0>, std::move(s)) {}
    Value(std::string_view s) : m_v(std::in_place_index<0>, std::string(s)) {}
    Value(const char* s) : m_v(std::in_place_index<0>, std::string(s)) {}
    Value(float f) : m_v(std::in_place_index<1>, f) {}
    Value(double d) : m_v(std::in_place_index<2>, d) {}
    Value(bool b) : m_v(std::in_place_index<6>, b) {}
    /// Signed integers become the `int_value` field (int64).
    template <std::signed_integral T> Value(T i) : m_v(std::in_place_index<3>, static_cast<std::int64_t>(i)) {}
    /// Unsigned integers become the `uint_value` field.
    template <std::unsigned_integral T>
    requires(!std::same_as<T, bool>) Value(T u) : m_v(std::in_place_index<4>, static_cast<std::uint64_t>(u)) {}
    /// The zig-zag encoded `sint_value` field (smaller for negative numbers).
    static Value sint(std::int64_t i) {
        Value v;
        v.m_v.emplace<5>(SInt{i});
        return v;
    }

    [[nodiscard]] ValueType type() const noexcept { return static_cast<ValueType>(m_v.index() + 1); }
    [[nodiscard]] bool is_string() const noexcept { return m_v.index() == 0; }
    /// Throws InputError when the value has another type.
    [[nodiscard]] const std::string& as_string() const;
    [[nodiscard]] float as_float() const;
    [[nodiscard]] double as_double() const;
    [[nodiscard]] std::int64_t as_int() const; ///< int64 or sint64
    [[nodiscard]] std::uint64_t as_uint() const;
    [[nodiscard]] bool as_bool() const;
    /// Any numeric type (and bool) as a double; throws for strings.
    [[nodiscard]] double to_number() const;
    /// Human readable, for messages and tests ("world", "42", "true").
    [[nodiscard]] std::string to_string() const;

    friend bool operator==(const Value&, const Value&) = default;

  private:
    struct SInt {
        std::int64_t value = 0;
        friend bool operator==(const SInt&, const SInt&) = default;
    };
    std::variant<std::string, float, double, std::int64_t, std::uint64_t, SInt, bool> m_v;
};

/// One property: key and typed value.
using Property = std::pair<std::string, Value>;
using Properties = std::vector<Property>;

} // namespace geo::tile
