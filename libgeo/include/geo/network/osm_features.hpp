#pragma once
// What the demo scenarios take from an OpenStreetMap extract besides the
// walking network: facilities, buildings with an estimate of their residents,
// shelter candidates, barrier lines for the partition, and the admin
// boundary. All geometry is WGS84 lon/lat. Polygons (buildings, parks,
// boundaries) are assembled by libosmium's MultipolygonManager from closed
// ways and multipolygon/boundary relations.
//
// Facility categories (tag → category):
//   amenity=clinic|doctors|hospital → clinic      amenity=pharmacy → pharmacy
//   amenity=school                  → school      amenity=kindergarten → kindergarten
//   amenity=marketplace, shop=supermarket|convenience|greengrocer → market
//   amenity=social_facility (any), amenity=nursing_home           → elderly_care
//   leisure=park|garden|playground  → park
// Nodes give their location; ways and relations their polygon's
// point-on-surface.
//
// Residents (an ESTIMATE, see docs/network.md): floor area = footprint area ×
// levels, where levels = building:levels when tagged (plus roof:levels is
// ignored), else ResidentRule::default_levels; residents = floor area /
// ResidentRule::floor_area_per_person. Buildings whose building=* value marks
// a non-residential use (commercial, industrial, school, church, garage, …)
// get 0 residents. Footprint areas use a local equirectangular projection at
// the building's latitude (error far below 0.1 % at building size).

#include "geo/core/coords.hpp"
#include "geo/core/geometry.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace geo::network {

struct ResidentRule {
    /// Storeys assumed when building:levels is missing. A default chosen for
    /// the dense Mediterranean and Chinese urban fabric of the demo
    /// scenarios, not a measured value.
    double default_levels = 3.0;
    /// Gross floor area per resident in m². ~35 m² is the order of magnitude
    /// of urban per-capita housing floor area in China (National Bureau of
    /// Statistics reports about 36–40 m² per urban resident around 2019-2020);
    /// used as an estimate.
    double floor_area_per_person = 35.0;
};

struct OsmFacility {
    char osm_type = 'n'; ///< n, w or r
    std::int64_t osm_id = 0;
    std::string category; ///< clinic, pharmacy, school, kindergarten, market, elderly_care, park
    std::string tag;      ///< the tag that made it a facility, e.g. "amenity=clinic"
    std::string name;
    core::XY lon_lat;
};

struct OsmBuilding {
    char osm_type = 'w';
    std::int64_t osm_id = 0;
    std::string building; ///< the building=* value
    core::Geometry footprint;
    double footprint_m2 = 0.0;
    double levels = 0.0;
    bool levels_tagged = false;
    bool residential = false;
    double residents_estimate = 0.0;
};

struct OsmShelterCandidate {
    char osm_type = 'n';
    std::int64_t osm_id = 0;
    std::string kind; ///< assembly_point, shelter, park, square, school
    std::string name;
    core::Geometry geometry; ///< point (nodes) or polygon (areas)
    double area_m2 = 0.0;    ///< 0 for points
};

struct OsmLine {
    std::int64_t osm_id = 0;
    std::string kind;  ///< highway, railway or waterway
    std::string value; ///< e.g. residential, rail, river
    std::string name;
    core::Path lon_lat;
};

struct OsmBoundary {
    std::int64_t osm_id = 0; ///< relation id (or way id)
    std::string name;
    int admin_level = 0;
    core::Geometry polygon;
};

struct OsmExtract {
    std::vector<OsmFacility> facilities;
    std::vector<OsmBuilding> buildings;
    std::vector<OsmShelterCandidate> shelter_candidates;
    std::vector<OsmLine> lines;
    std::vector<OsmBoundary> boundaries;
    core::Box bounds; ///< header bounds when present, else the data's bounds
    /// Node references of line ways whose node is not in the file (extracts cut at their
    /// border, or broken files). Such ways are split at the gaps, never bridged.
    std::size_t missing_node_refs = 0;
    std::size_t ways_with_missing_nodes = 0;
    std::vector<std::int64_t> first_ways_with_missing_nodes; ///< up to 10 way ids, for messages
};

/// Reads everything above in two passes (relations first, for the area
/// assembler). Throws IoError when the file cannot be read.
[[nodiscard]] OsmExtract read_osm_features(const std::string& path, const ResidentRule& rule = {});

/// The facility category for a tag set, or "" when it is not a facility.
/// `tag` receives the deciding "key=value".
[[nodiscard]] std::string facility_category(const char* amenity, const char* shop, const char* leisure,
                                            std::string& tag);

/// Area in m² of a lon/lat polygon (local equirectangular projection).
[[nodiscard]] double lon_lat_area_m2(const core::Geometry& polygon);

/// Residents for a footprint under the rule; `levels` ≤ 0 means untagged.
[[nodiscard]] double estimate_residents(double footprint_m2, double levels, const ResidentRule& rule);

} // namespace geo::network
