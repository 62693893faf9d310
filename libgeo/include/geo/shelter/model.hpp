#pragma once
// Shelter classes and the one table of their defaults (docs/shelter.md).
//
//   class      中文   max walk   per-capita effective area
//   emergency  紧急    500 m     1.5 m²
//   fixed      固定   2000 m     2.0 m²
//   central    中心   2500 m     2.0 m²
//
// Sources: GB 21734-2008 §5.4 requires more than 1.5 m² of living area per
// person in an earthquake emergency shelter (confirmed). Everything else in
// the table (the walking distances, 2.0 m² for fixed/central) is a DEFAULT,
// SET BY THE USER: GB 51143-2015 grades per-capita area and service range by
// class and opening period, but we could not confirm its figures here, so
// set them from the local plan (--max-walk, --area-per-person).
//
// Capacity (persons) = floor(effective area m² / per-capita area m²), where
// the effective area is the shelter polygon's area × a usable share, or an
// attribute.

#include <array>
#include <string>
#include <string_view>

namespace geo::shelter {

enum class ShelterClass { emergency = 0, fixed = 1, central = 2 };
inline constexpr std::array<ShelterClass, 3> all_classes{ShelterClass::emergency, ShelterClass::fixed,
                                                         ShelterClass::central};

/// "emergency", "fixed", "central".
[[nodiscard]] const char* to_string(ShelterClass c) noexcept;
/// "紧急", "固定", "中心".
[[nodiscard]] const char* to_chinese(ShelterClass c) noexcept;

/// Accepts the English names (any case), the Chinese names with or without
/// 避难场所 (紧急避难场所 …), and 1/2/3 (emergency/fixed/central). Throws
/// InputError listing the accepted names otherwise.
[[nodiscard]] ShelterClass parse_shelter_class(std::string_view text);

struct ClassRule {
    double max_walk_m = 0.0;         ///< walking distance limit, network metres incl. access legs
    double area_per_person_m2 = 0.0; ///< per-capita effective area
};

class ClassTable {
  public:
    /// The defaults of the table above.
    ClassTable();
    [[nodiscard]] const ClassRule& at(ShelterClass c) const noexcept { return m_rules[static_cast<int>(c)]; }
    /// Replace one rule. Throws InputError unless both values are positive and finite.
    void set(ShelterClass c, ClassRule rule);
    /// The largest walking limit over the classes.
    [[nodiscard]] double max_walk_m() const noexcept;

  private:
    std::array<ClassRule, 3> m_rules;
};

/// floor(effective_area_m2 / per-capita area of the class); 0 for a
/// non-positive area. Throws InputError for a NaN area.
[[nodiscard]] double capacity_from_area(double effective_area_m2, ShelterClass c, const ClassTable& table);

} // namespace geo::shelter
