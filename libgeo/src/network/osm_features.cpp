#include "geo/network/osm_features.hpp"

#include "geo/core/error.hpp"

// GCC 12 reports a false -Wstringop-overread inside libosmium's AreaBuilder
// (strlen on the user name of an object it just built) once the assembler is
// inlined here; the warning is about library code, so it is silenced for
// this file only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wstringop-overread"
#endif

#include <osmium/area/assembler.hpp>
#include <osmium/area/multipolygon_manager.hpp>
#include <osmium/handler.hpp>
#include <osmium/handler/node_locations_for_ways.hpp>
#include <osmium/index/map/flex_mem.hpp>
#include <osmium/io/any_input.hpp>
#include <osmium/osm/area.hpp>
#include <osmium/osm/node.hpp>
#include <osmium/osm/way.hpp>
#include <osmium/relations/manager_util.hpp>
#include <osmium/tags/tags_filter.hpp>
#include <osmium/visitor.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <numbers>
#include <string>

namespace geo::network {

namespace {

constexpr double earth_radius_m = 6371008.8; // mean Earth radius (IUGG)

bool equals_any(const char* value, std::initializer_list<const char*> set) {
    if (value == nullptr) {
        return false;
    }
    return std::any_of(set.begin(), set.end(), [value](const char* s) { return std::strcmp(value, s) == 0; });
}

// building=* values that mark a use where nobody lives.
bool non_residential_building(const char* value) {
    return equals_any(value,
                      {"commercial",    "industrial",     "retail",     "office",     "warehouse",    "church",
                       "cathedral",     "chapel",         "mosque",     "temple",     "synagogue",    "shrine",
                       "religious",     "school",         "university", "college",    "kindergarten", "hospital",
                       "garage",        "garages",        "parking",    "shed",       "roof",         "hangar",
                       "train_station", "transportation", "public",     "civic",      "government",   "stadium",
                       "sports_hall",   "sports_centre",  "service",    "kiosk",      "supermarket",  "hotel",
                       "construction",  "ruins",          "bunker",     "greenhouse", "barn",         "farm_auxiliary",
                       "toilets",       "bridge",         "carport",    "grandstand", "pavilion",     "military",
                       "fire_station",  "water_tower",    "tower",      "stable",     "power",        "digester",
                       "silo",          "storage_tank",   "castle",     "museum",     "theatre",      "casino"});
}

double parse_levels(const char* value) {
    if (value == nullptr) {
        return 0.0;
    }
    char* end = nullptr;
    const double levels = std::strtod(value, &end);
    if (end == value || !std::isfinite(levels) || levels <= 0.0 || levels > 200.0) {
        return 0.0; // "2;3", "-1", garbage: treat as untagged
    }
    return levels;
}

core::Path ring_path(const osmium::NodeRefList& ring) {
    core::Path path;
    path.reserve(ring.size());
    for (const auto& ref : ring) {
        path.push_back({ref.location().lon(), ref.location().lat()});
    }
    return path;
}

core::Geometry area_geometry(const osmium::Area& area) {
    std::vector<core::Geometry> polygons;
    for (const auto& outer : area.outer_rings()) {
        std::vector<core::Path> rings{ring_path(outer)};
        for (const auto& inner : area.inner_rings(outer)) {
            rings.push_back(ring_path(inner));
        }
        if (rings.front().size() >= 4) {
            polygons.push_back(core::Geometry::polygon(rings));
        }
    }
    if (polygons.empty()) {
        return {};
    }
    core::Geometry g =
        polygons.size() == 1 ? std::move(polygons.front()) : core::Geometry::collect(std::move(polygons));
    if (!g.is_valid()) {
        g = g.make_valid().polygonal_parts();
    }
    return g;
}

std::string name_of(const osmium::TagList& tags) {
    const char* name = tags.get_value_by_key("name");
    return name ? name : "";
}

// The shelter-candidate kind for a tag set, or nullptr.
const char* shelter_kind(const osmium::TagList& tags) {
    if (equals_any(tags.get_value_by_key("emergency"), {"assembly_point"})) {
        return "assembly_point";
    }
    if (equals_any(tags.get_value_by_key("amenity"), {"shelter"})) {
        return "shelter";
    }
    if (equals_any(tags.get_value_by_key("leisure"), {"park"})) {
        return "park";
    }
    if (equals_any(tags.get_value_by_key("place"), {"square"}) ||
        (equals_any(tags.get_value_by_key("highway"), {"pedestrian"}) &&
         equals_any(tags.get_value_by_key("area"), {"yes"}))) {
        return "square";
    }
    if (equals_any(tags.get_value_by_key("amenity"), {"school"})) {
        return "school";
    }
    return nullptr;
}

class FeatureHandler : public osmium::handler::Handler {
  public:
    FeatureHandler(OsmExtract& out, const ResidentRule& rule) : m_out(out), m_rule(rule) {}

    void node(const osmium::Node& node) {
        const auto& tags = node.tags();
        if (tags.empty() || !node.location().valid()) {
            return;
        }
        const core::XY p{node.location().lon(), node.location().lat()};
        add_facility(tags, 'n', node.id(), p);
        if (const char* kind = shelter_kind(tags)) {
            m_out.shelter_candidates.push_back({'n', node.id(), kind, name_of(tags), core::Geometry::point(p), 0.0});
        }
    }

    void way(const osmium::Way& way) {
        const auto& tags = way.tags();
        const char* kind = nullptr;
        const char* value = nullptr;
        for (const char* key : {"highway", "railway", "waterway"}) {
            if ((value = tags.get_value_by_key(key)) != nullptr) {
                kind = key;
                break;
            }
        }
        if (kind == nullptr || equals_any(tags.get_value_by_key("area"), {"yes"})) {
            return;
        }
        OsmLine line{way.id(), kind, value, name_of(tags), {}};
        std::size_t missing = 0;
        for (const auto& ref : way.nodes()) {
            if (ref.location().valid()) {
                line.lon_lat.push_back({ref.location().lon(), ref.location().lat()});
                continue;
            }
            // A node the file lacks: end the piece here rather than draw a straight line across
            // the gap (a road that does not exist).
            ++missing;
            flush_line(line);
        }
        flush_line(line);
        if (missing > 0) {
            m_out.missing_node_refs += missing;
            if (m_out.ways_with_missing_nodes++ < 10) {
                m_out.first_ways_with_missing_nodes.push_back(way.id());
            }
        }
    }

    void flush_line(OsmLine& line) {
        if (line.lon_lat.size() >= 2) {
            m_out.lines.push_back(line);
        }
        line.lon_lat.clear();
    }

    void area(const osmium::Area& area) {
        const auto& tags = area.tags();
        const char* building = tags.get_value_by_key("building");
        const char* kind = shelter_kind(tags);
        const bool boundary = equals_any(tags.get_value_by_key("boundary"), {"administrative"}) &&
                              tags.get_value_by_key("admin_level") != nullptr;
        std::string tag;
        const std::string category = facility_category(tags.get_value_by_key("amenity"), tags.get_value_by_key("shop"),
                                                       tags.get_value_by_key("leisure"), tag);
        const bool wanted = (building != nullptr && std::strcmp(building, "no") != 0) || kind != nullptr || boundary ||
                            !category.empty();
        if (!wanted) {
            return;
        }
        core::Geometry geometry;
        try {
            geometry = area_geometry(area);
        } catch (const GeometryError&) {
            return; // an unrepairable ring: skip this one feature, keep the rest
        }
        if (geometry.is_null() || geometry.is_empty()) {
            return;
        }
        const char type = area.from_way() ? 'w' : 'r';
        const std::int64_t id = area.orig_id();
        if (!category.empty()) {
            m_out.facilities.push_back({type, id, category, tag, name_of(tags), geometry.point_on_surface()});
        }
        if (kind != nullptr) {
            m_out.shelter_candidates.push_back({type, id, kind, name_of(tags), geometry, lon_lat_area_m2(geometry)});
        }
        if (boundary) {
            m_out.boundaries.push_back({id, name_of(tags), std::atoi(tags.get_value_by_key("admin_level")), geometry});
        }
        if (building != nullptr && std::strcmp(building, "no") != 0) {
            OsmBuilding b;
            b.osm_type = type;
            b.osm_id = id;
            b.building = building;
            b.footprint_m2 = lon_lat_area_m2(geometry);
            const double tagged = parse_levels(tags.get_value_by_key("building:levels"));
            b.levels_tagged = tagged > 0.0;
            b.levels = b.levels_tagged ? tagged : m_rule.default_levels;
            b.residential = !non_residential_building(building);
            b.residents_estimate = b.residential ? estimate_residents(b.footprint_m2, tagged, m_rule) : 0.0;
            b.footprint = std::move(geometry);
            m_out.buildings.push_back(std::move(b));
        }
    }

  private:
    void add_facility(const osmium::TagList& tags, char type, std::int64_t id, core::XY p) {
        std::string tag;
        const std::string category = facility_category(tags.get_value_by_key("amenity"), tags.get_value_by_key("shop"),
                                                       tags.get_value_by_key("leisure"), tag);
        if (!category.empty()) {
            m_out.facilities.push_back({type, id, category, tag, name_of(tags), p});
        }
    }

    OsmExtract& m_out;
    const ResidentRule& m_rule;
};

} // namespace

std::string facility_category(const char* amenity, const char* shop, const char* leisure, std::string& tag) {
    auto hit = [&tag](const char* key, const char* value, const char* category) {
        tag = std::string(key) + "=" + value;
        return std::string(category);
    };
    if (equals_any(amenity, {"clinic", "doctors", "hospital"})) {
        return hit("amenity", amenity, "clinic");
    }
    if (equals_any(amenity, {"pharmacy"})) {
        return hit("amenity", amenity, "pharmacy");
    }
    if (equals_any(amenity, {"school"})) {
        return hit("amenity", amenity, "school");
    }
    if (equals_any(amenity, {"kindergarten"})) {
        return hit("amenity", amenity, "kindergarten");
    }
    if (equals_any(amenity, {"social_facility", "nursing_home"})) {
        return hit("amenity", amenity, "elderly_care");
    }
    if (equals_any(amenity, {"marketplace"})) {
        return hit("amenity", amenity, "market");
    }
    if (equals_any(shop, {"supermarket", "convenience", "greengrocer"})) {
        return hit("shop", shop, "market");
    }
    if (equals_any(leisure, {"park", "garden", "playground"})) {
        return hit("leisure", leisure, "park");
    }
    tag.clear();
    return {};
}

double lon_lat_area_m2(const core::Geometry& polygon) {
    if (polygon.is_null() || polygon.is_empty()) {
        return 0.0;
    }
    const double lat0 = polygon.bounds().center().y * std::numbers::pi / 180.0;
    const double kx = earth_radius_m * std::cos(lat0) * std::numbers::pi / 180.0;
    const double ky = earth_radius_m * std::numbers::pi / 180.0;
    return polygon
        .transformed([kx, ky](double& x, double& y) {
            x *= kx;
            y *= ky;
        })
        .area();
}

double estimate_residents(double footprint_m2, double levels, const ResidentRule& rule) {
    if (!(rule.floor_area_per_person > 0.0)) {
        throw InputError("floor area per person must be positive");
    }
    const double storeys = levels > 0.0 ? levels : rule.default_levels;
    return footprint_m2 * storeys / rule.floor_area_per_person;
}

OsmExtract read_osm_features(const std::string& path, const ResidentRule& rule) {
    OsmExtract out;
    try {
        const osmium::io::File file{path};
        osmium::TagsFilter filter{false};
        for (const char* key :
             {"building", "amenity", "leisure", "place", "emergency", "boundary", "shop", "highway"}) {
            filter.add_rule(true, osmium::TagMatcher{key});
        }
        osmium::area::Assembler::config_type config;
        osmium::area::MultipolygonManager<osmium::area::Assembler> manager{config, filter};
        osmium::relations::read_relations(file, manager);

        using Index = osmium::index::map::FlexMem<osmium::unsigned_object_id_type, osmium::Location>;
        Index index;
        osmium::handler::NodeLocationsForWays<Index> locations{index};
        locations.ignore_errors();
        FeatureHandler handler{out, rule};
        osmium::io::Reader reader{file};
        const auto header_box = reader.header().box();
        if (header_box.valid()) {
            out.bounds.expand(core::XY{header_box.bottom_left().lon(), header_box.bottom_left().lat()});
            out.bounds.expand(core::XY{header_box.top_right().lon(), header_box.top_right().lat()});
        }
        osmium::apply(reader, locations, handler,
                      manager.handler([&handler](osmium::memory::Buffer&& buffer) { osmium::apply(buffer, handler); }));
        reader.close();
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        throw IoError(std::string("cannot read OpenStreetMap data: ") + e.what(), {path, {}, {}},
                      "give an .osm.pbf, .osm or .osm.bz2 file");
    }
    if (out.bounds.empty()) {
        for (const auto& line : out.lines) {
            for (const auto& p : line.lon_lat) {
                out.bounds.expand(p);
            }
        }
        for (const auto& b : out.buildings) {
            out.bounds.expand(b.footprint.bounds());
        }
    }
    return out;
}

} // namespace geo::network
