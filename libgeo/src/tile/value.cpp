#include "geo/tile/value.hpp"

#include "geo/core/error.hpp"

#include <sstream>

namespace geo::tile {

namespace {
[[noreturn]] void wrong_type(const Value& v, const char* wanted) {
    throw InputError(std::string("tile value ") + v.to_string() + " is not " + wanted);
}
} // namespace

const std::string& Value::as_string() const {
    if (const auto* s = std::get_if<0>(&m_v)) {
        return *s;
    }
    wrong_type(*this, "a string");
}

float Value::as_float() const {
    if (const auto* f = std::get_if<1>(&m_v)) {
        return *f;
    }
    wrong_type(*this, "a float");
}

double Value::as_double() const {
    if (const auto* d = std::get_if<2>(&m_v)) {
        return *d;
    }
    wrong_type(*this, "a double");
}

std::int64_t Value::as_int() const {
    if (const auto* i = std::get_if<3>(&m_v)) {
        return *i;
    }
    if (const auto* s = std::get_if<5>(&m_v)) {
        return s->value;
    }
    wrong_type(*this, "a signed integer");
}

std::uint64_t Value::as_uint() const {
    if (const auto* u = std::get_if<4>(&m_v)) {
        return *u;
    }
    wrong_type(*this, "an unsigned integer");
}

bool Value::as_bool() const {
    if (const auto* b = std::get_if<6>(&m_v)) {
        return *b;
    }
    wrong_type(*this, "a bool");
}

double Value::to_number() const {
    switch (m_v.index()) {
    case 1: return static_cast<double>(std::get<1>(m_v));
    case 2: return std::get<2>(m_v);
    case 3: return static_cast<double>(std::get<3>(m_v));
    case 4: return static_cast<double>(std::get<4>(m_v));
    case 5: return static_cast<double>(std::get<5>(m_v).value);
    case 6: return std::get<6>(m_v) ? 1.0 : 0.0;
    default: wrong_type(*this, "a number");
    }
}

std::string Value::to_string() const {
    std::ostringstream out;
    out.precision(17);
    switch (m_v.index()) {
    case 0: return std::get<0>(m_v);
    case 1: out << std::get<1>(m_v); break;
    case 2: out << std::get<2>(m_v); break;
    case 3: out << std::get<3>(m_v); break;
    case 4: out << std::get<4>(m_v); break;
    case 5: out << std::get<5>(m_v).value; break;
    default: return std::get<6>(m_v) ? "true" : "false";
    }
    return out.str();
}

} // namespace geo::tile
