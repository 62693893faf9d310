// geogrid osm FILE.osm.pbf --out SCENARIO.gpkg: the layers a scenario needs
// from an OpenStreetMap extract — roads (partition barriers), buildings with
// a documented resident estimate, facilities by category, shelter
// candidates, and the admin boundary (or the extract's bounds). Output is
// WGS84; every layer's description carries "© OpenStreetMap contributors".

#include "command.hpp"

#include "geo/core/error.hpp"
#include "geo/io/writer.hpp"
#include "geo/network/osm_features.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <string>

namespace {

using geo::io::Feature;
using geo::io::FieldType;
using geo::io::Layer;

struct OsmOptions {
    std::string input;
    std::string output;
    double default_levels = 3.0;
    double floor_area_per_person = 35.0;
};

const char* const attribution = "© OpenStreetMap contributors (ODbL 1.0)";

std::string type_text(char t) {
    return std::string(1, t);
}

void write(const std::string& path, const Layer& layer, std::map<std::string, std::string>& descriptions,
           const std::string& description) {
    geo::io::WriteOptions options;
    options.mode = geo::io::WriteMode::overwrite;
    const auto result = geo::io::write_layer(path, layer, options);
    for (const auto& warning : result.warnings) {
        std::fprintf(stderr, "geogrid: warning: %s\n", warning.c_str());
    }
    descriptions[layer.name] = description + " Data " + attribution + ".";
    std::cout << "  " << layer.name << ": " << result.features_written << " features\n";
}

// GeoPackage keeps a description per layer (gpkg_contents.description):
// that is where QGIS shows the attribution and the resident rule.
void set_descriptions(const std::string& path, const std::map<std::string, std::string>& descriptions) {
    GDALAllRegister();
    std::unique_ptr<GDALDataset> ds{GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE)};
    if (!ds) {
        throw geo::IoError("cannot reopen the output to set layer descriptions", {path, {}, {}});
    }
    for (const auto& [layer_name, text] : descriptions) {
        if (OGRLayer* layer = ds->GetLayerByName(layer_name.c_str())) {
            layer->SetMetadataItem("DESCRIPTION", text.c_str());
        }
    }
    ds->SetMetadataItem("ATTRIBUTION", attribution);
}

void run(const OsmOptions& options) {
    if (geo::io::driver_for_path(options.output) != "GPKG") {
        throw geo::InputError("--out must be a GeoPackage (.gpkg): a scenario holds several layers");
    }
    geo::network::ResidentRule rule;
    rule.default_levels = options.default_levels;
    rule.floor_area_per_person = options.floor_area_per_person;
    if (!(rule.default_levels > 0.0) || !(rule.floor_area_per_person > 0.0)) {
        throw geo::InputError("--default-levels and --floor-area-per-person must be positive");
    }
    const geo::network::OsmExtract x = geo::network::read_osm_features(options.input, rule);
    std::cout << "read " << options.input << "\n";
    if (x.ways_with_missing_nodes > 0) {
        std::string ids;
        for (const std::int64_t id : x.first_ways_with_missing_nodes) {
            ids += (ids.empty() ? "" : ", ") + std::to_string(id);
        }
        std::fprintf(stderr,
                     "geogrid: warning: %zu ways refer to %zu nodes the file does not contain (ways %s%s); "
                     "they are split at the gaps (an extract cut at its border does this)\n",
                     x.ways_with_missing_nodes, x.missing_node_refs, ids.c_str(),
                     x.ways_with_missing_nodes > x.first_ways_with_missing_nodes.size() ? ", …" : "");
    }
    std::map<std::string, std::string> descriptions;

    Layer roads = geo::io::make_layer("roads", {{"osm_id", FieldType::int64},
                                                {"kind", FieldType::string},
                                                {"value", FieldType::string},
                                                {"name", FieldType::string}});
    for (const auto& line : x.lines) {
        roads.features.push_back({line.osm_id,
                                  geo::core::Geometry::line_string(line.lon_lat),
                                  {line.osm_id, line.kind, line.value, line.name}});
    }
    write(options.output, roads, descriptions,
          "OSM highway, railway and waterway lines (partition barriers; not filtered for walking).");

    Layer buildings = geo::io::make_layer("buildings", {{"osm_type", FieldType::string},
                                                        {"osm_id", FieldType::int64},
                                                        {"building", FieldType::string},
                                                        {"levels", FieldType::real},
                                                        {"levels_tagged", FieldType::boolean},
                                                        {"residential", FieldType::boolean},
                                                        {"footprint_m2", FieldType::real},
                                                        {"residents_estimate", FieldType::real}});
    double residents = 0.0;
    for (const auto& b : x.buildings) {
        residents += b.residents_estimate;
        buildings.features.push_back({b.osm_id,
                                      b.footprint,
                                      {type_text(b.osm_type), b.osm_id, b.building, b.levels, b.levels_tagged,
                                       b.residential, b.footprint_m2, b.residents_estimate}});
    }
    char rule_text[256];
    std::snprintf(rule_text, sizeof rule_text,
                  "residents_estimate is an ESTIMATE: footprint m2 x levels (building:levels, else %g) / %g m2 per "
                  "person; non-residential building types count 0.",
                  rule.default_levels, rule.floor_area_per_person);
    write(options.output, buildings, descriptions, std::string("OSM buildings. ") + rule_text);

    Layer facilities = geo::io::make_layer("facilities", {{"osm_type", FieldType::string},
                                                          {"osm_id", FieldType::int64},
                                                          {"category", FieldType::string},
                                                          {"tag", FieldType::string},
                                                          {"name", FieldType::string}});
    for (const auto& f : x.facilities) {
        facilities.features.push_back(
            {-1, geo::core::Geometry::point(f.lon_lat), {type_text(f.osm_type), f.osm_id, f.category, f.tag, f.name}});
    }
    write(options.output, facilities, descriptions,
          "OSM facilities by category (clinic, pharmacy, school, kindergarten, market, elderly_care, park; see "
          "docs/network.md); areas as their point on surface.");

    Layer candidates = geo::io::make_layer("shelter_candidates", {{"osm_type", FieldType::string},
                                                                  {"osm_id", FieldType::int64},
                                                                  {"kind", FieldType::string},
                                                                  {"name", FieldType::string},
                                                                  {"area_m2", FieldType::real}});
    Layer candidate_areas = geo::io::make_layer("shelter_candidate_areas", {{"osm_type", FieldType::string},
                                                                            {"osm_id", FieldType::int64},
                                                                            {"kind", FieldType::string},
                                                                            {"name", FieldType::string},
                                                                            {"area_m2", FieldType::real}});
    for (const auto& c : x.shelter_candidates) {
        std::vector<geo::io::Value> values{type_text(c.osm_type), c.osm_id, c.kind, c.name, c.area_m2};
        const bool is_area = c.area_m2 > 0.0;
        candidates.features.push_back(
            {-1, is_area ? geo::core::Geometry::point(c.geometry.point_on_surface()) : c.geometry, values});
        if (is_area) {
            candidate_areas.features.push_back({-1, c.geometry, values});
        }
    }
    write(options.output, candidates, descriptions,
          "Shelter candidate sites (emergency=assembly_point, amenity=shelter, leisure=park, place=square or "
          "pedestrian areas, amenity=school) as points; area_m2 from the polygon when mapped as an area.");
    write(options.output, candidate_areas, descriptions, "Polygons of the shelter candidates mapped as areas.");

    // `code` is what `geogrid partition --code-field code` numbers grids from:
    // the OSM relation id for admin boundaries, "0" for the extract's bounds.
    Layer boundary = geo::io::make_layer("boundary", {{"code", FieldType::string},
                                                      {"osm_id", FieldType::int64},
                                                      {"name", FieldType::string},
                                                      {"admin_level", FieldType::int64},
                                                      {"source", FieldType::string},
                                                      {"attribution", FieldType::string}});
    for (const auto& b : x.boundaries) {
        boundary.features.push_back(
            {b.osm_id,
             b.polygon,
             {std::to_string(b.osm_id), b.osm_id, b.name, static_cast<std::int64_t>(b.admin_level),
              std::string("boundary=administrative"), std::string(attribution)}});
    }
    if (boundary.features.empty() && !x.bounds.empty()) {
        boundary.features.push_back(
            {-1,
             geo::core::Geometry::box(x.bounds),
             {std::string("0"), std::monostate{}, std::string("extract bounds"), std::monostate{},
              std::string("extract bounds (no complete admin boundary in the file)"), std::string(attribution)}});
    }
    write(options.output, boundary, descriptions,
          "Administrative boundaries assembled from the extract, or the extract's bounds when none is complete.");
    set_descriptions(options.output, descriptions);
    std::printf("estimated residents: %.0f (estimate, see the buildings layer description)\n", residents);
}

void setup(CLI::App& app) {
    auto options = std::make_shared<OsmOptions>();
    CLI::App* cmd = app.add_subcommand(
        "osm", "Extract a scenario from OpenStreetMap: roads, buildings (with residents_estimate), facilities, "
               "shelter_candidates, boundary");
    cmd->add_option("input", options->input, "OpenStreetMap file (.osm.pbf, .osm, .osm.bz2)")->required();
    cmd->add_option("--out", options->output, "Output GeoPackage (layers are replaced, others kept)")->required();
    cmd->add_option("--default-levels", options->default_levels,
                    "Storeys assumed for buildings without building:levels (default 3)");
    cmd->add_option("--floor-area-per-person", options->floor_area_per_person,
                    "Gross floor area per resident in m2 (default 35; an estimate)");
    cmd->callback([options] { run(*options); });
}

} // namespace

GEOGRID_COMMAND("osm", setup);
