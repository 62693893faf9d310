#pragma once
// LayerCatalog: the scenarios this server holds and their layers, loaded once at start-up from
// scenario GeoPackages through geo::io and kept in memory in EPSG:3857 with a spatial index.
// This is the server's only view of the files; the incidents layer is live and lives in
// IncidentService instead (see incidents.hpp).

#include "config.hpp"

#include "geo/core/coords.hpp"
#include "geo/core/geometry.hpp"
#include "geo/core/strtree.hpp"
#include "geo/io/feature.hpp"
#include "geo/tile/layer_index.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace tileserver {

class IncidentService;

/// Standard layer names (DESIGN.md §3), in drawing order: polygons first, points last.
inline const std::vector<std::string>& standard_layers() {
    static const std::vector<std::string> names{"jurisdictions",      "grids",      "coverage", "service_areas",
                                                "shelter_allocation", "facilities", "shelters", "incidents"};
    return names;
}

enum class GeometryKind { polygon, line, point };

struct LayerFeature {
    std::uint64_t id = 0;                   ///< stable: the GeoPackage FID (MapLibre feature-state)
    geo::core::Geometry mercator;           ///< EPSG:3857
    geo::core::Box box;                     ///< bounds of `mercator`
    std::vector<geo::io::Value> attributes; ///< aligned with Layer::fields
};

class Layer {
  public:
    Layer(std::string name, std::vector<geo::io::Field> fields, std::vector<LayerFeature> features);

    [[nodiscard]] const std::string& name() const noexcept { return m_name; }
    [[nodiscard]] const std::vector<geo::io::Field>& fields() const noexcept { return m_fields; }
    [[nodiscard]] const std::vector<LayerFeature>& features() const noexcept { return m_features; }
    [[nodiscard]] GeometryKind kind() const noexcept { return m_kind; }
    [[nodiscard]] const geo::core::Box& bounds_lonlat() const noexcept { return m_bounds_lonlat; }
    [[nodiscard]] std::optional<std::size_t> field_index(const std::string& name) const;
    /// Feature indexes whose box meets `box` (EPSG:3857), ascending. Thread-safe.
    [[nodiscard]] std::vector<std::size_t> query(const geo::core::Box& box) const;
    /// Index of the feature whose `field` equals `value` (string compare), if any.
    [[nodiscard]] std::optional<std::size_t> find(const std::string& field, const std::string& value) const;
    /// The layer prepared for every zoom by geo::tile (simplified, coverage-aware, clustered).
    [[nodiscard]] const geo::tile::LayerIndex& tiles() const noexcept { return *m_tiles; }

    bool osm_derived = false; ///< show "© OpenStreetMap contributors"
    bool synthetic = false;   ///< label "synthetic" on the map

  private:
    std::string m_name;
    std::vector<geo::io::Field> m_fields;
    std::vector<LayerFeature> m_features;
    GeometryKind m_kind = GeometryKind::polygon;
    geo::core::Box m_bounds_lonlat;
    std::unique_ptr<geo::tile::LayerIndex> m_tiles;
    std::unordered_map<std::string, std::size_t> m_by_code; // "code" field → feature index
    mutable geo::core::StrTree m_index;
    mutable std::mutex m_index_mutex; // StrTree::query is not const; GEOS queries are cheap
};

struct Scenario {
    std::string name;
    std::string path;
    std::string label;       ///< human title for the page switcher
    std::string attribution; ///< all attribution text for the scenario's tiles and page
    bool synthetic = false;
    bool osm_derived = false;
    geo::core::Box bounds_lonlat;
    std::map<std::string, std::unique_ptr<Layer>> layers; ///< static layers (not incidents)
    std::unique_ptr<IncidentService> incidents;           ///< null when the store cannot be opened
    /// Distinct values of the `category` field per layer (at most 64), for the page's filters.
    std::map<std::string, std::vector<std::string>> categories;

    [[nodiscard]] const Layer* layer(const std::string& name) const;
    /// Static layers plus "incidents" when a store is attached, standard names first.
    [[nodiscard]] std::vector<std::string> layer_names() const;
    [[nodiscard]] bool has_layer(const std::string& name) const;

    Scenario() = default;
    ~Scenario();
    Scenario(const Scenario&) = delete;
    Scenario& operator=(const Scenario&) = delete;
    Scenario(Scenario&&) noexcept;
    Scenario& operator=(Scenario&&) noexcept;
};

class LayerCatalog {
  public:
    /// Load every scenario; throws geo::Error (with the file) when one cannot be read.
    explicit LayerCatalog(const std::vector<ScenarioSource>& sources);

    [[nodiscard]] const std::vector<std::unique_ptr<Scenario>>& scenarios() const noexcept { return m_scenarios; }
    /// The named scenario, or the first one when `name` is empty; nullptr when unknown.
    [[nodiscard]] Scenario* find(const std::string& name) const;

  private:
    std::vector<std::unique_ptr<Scenario>> m_scenarios;
};

/// Layers whose polygons form a coverage (grids, jurisdictions, coverage): shared edges are
/// simplified once so neighbours never show gaps or slivers.
[[nodiscard]] bool is_coverage_name(const std::string& name);

/// Layer names usable in URLs: 1-64 of [a-z0-9_].
[[nodiscard]] bool is_layer_name(const std::string& name);

} // namespace tileserver
