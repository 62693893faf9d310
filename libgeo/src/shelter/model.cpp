#include "geo/shelter/model.hpp"

#include "geo/core/error.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace geo::shelter {

const char* to_string(ShelterClass c) noexcept {
    switch (c) {
    case ShelterClass::emergency: return "emergency";
    case ShelterClass::fixed: return "fixed";
    case ShelterClass::central: return "central";
    }
    return "emergency";
}

const char* to_chinese(ShelterClass c) noexcept {
    switch (c) {
    case ShelterClass::emergency: return "紧急";
    case ShelterClass::fixed: return "固定";
    case ShelterClass::central: return "中心";
    }
    return "紧急";
}

ShelterClass parse_shelter_class(std::string_view text) {
    std::string t;
    for (char ch : text) {
        if (!std::isspace(static_cast<unsigned char>(ch))) {
            t.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
        }
    }
    // Chinese names may carry the suffix 避难场所 (or 应急避难场所).
    for (std::string_view suffix : {"应急避难场所", "避难场所"}) {
        if (t.size() > suffix.size() && t.ends_with(suffix)) {
            t.resize(t.size() - suffix.size());
            break;
        }
    }
    if (t == "emergency" || t == "紧急" || t == "1") {
        return ShelterClass::emergency;
    }
    if (t == "fixed" || t == "固定" || t == "2" || t == "短期固定" || t == "中期固定" || t == "长期固定") {
        return ShelterClass::fixed;
    }
    if (t == "central" || t == "中心" || t == "3") {
        return ShelterClass::central;
    }
    throw InputError("unknown shelter class '" + std::string(text) + "'", {},
                     "use emergency/fixed/central, 紧急/固定/中心 or 1/2/3");
}

ClassTable::ClassTable() : m_rules{ClassRule{500.0, 1.5}, ClassRule{2000.0, 2.0}, ClassRule{2500.0, 2.0}} {}

void ClassTable::set(ShelterClass c, ClassRule rule) {
    const bool ok = std::isfinite(rule.max_walk_m) && rule.max_walk_m > 0.0 && std::isfinite(rule.area_per_person_m2) &&
                    rule.area_per_person_m2 > 0.0;
    if (!ok) {
        throw InputError(std::string("the walking limit and per-capita area of class ") + to_string(c) +
                         " must be positive numbers");
    }
    m_rules[static_cast<int>(c)] = rule;
}

double ClassTable::max_walk_m() const noexcept {
    double m = 0.0;
    for (const auto& r : m_rules) {
        m = std::max(m, r.max_walk_m);
    }
    return m;
}

double capacity_from_area(double effective_area_m2, ShelterClass c, const ClassTable& table) {
    if (std::isnan(effective_area_m2)) {
        throw InputError("shelter effective area is not a number");
    }
    if (effective_area_m2 <= 0.0) {
        return 0.0;
    }
    return std::floor(effective_area_m2 / table.at(c).area_per_person_m2);
}

} // namespace geo::shelter
