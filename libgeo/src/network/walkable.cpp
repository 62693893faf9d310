#include "geo/network/walkable.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace geo::network {

namespace {

bool one_of(std::string_view value, std::initializer_list<std::string_view> set) {
    return std::find(set.begin(), set.end(), value) != set.end();
}

} // namespace

bool is_walkable_way(const TagLookup& tags) {
    const char* highway = tags("highway");
    if (highway == nullptr) {
        return false;
    }
    const char* foot_value = tags("foot");
    const std::string_view foot = foot_value ? foot_value : "";
    const bool foot_allowed = one_of(foot, {"yes", "designated", "permissive"});
    if (one_of(foot, {"no", "use_sidepath"})) {
        return false;
    }
    const std::string_view kind = highway;
    const bool ordinary =
        one_of(kind, {"footway",       "pedestrian",    "path",           "steps",     "corridor",
                      "elevator",      "living_street", "residential",    "service",   "unclassified",
                      "road",          "track",         "cycleway",       "bridleway", "tertiary",
                      "tertiary_link", "secondary",     "secondary_link", "primary",   "primary_link"});
    const bool fast_road = one_of(kind, {"motorway", "motorway_link", "trunk", "trunk_link"});
    if (!ordinary && !(fast_road && foot_allowed)) {
        return false;
    }
    const char* access_value = tags("access");
    if (access_value != nullptr && one_of(access_value, {"no", "private"}) && !foot_allowed) {
        return false;
    }
    return true;
}

} // namespace geo::network
