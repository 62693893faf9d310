#include "catalog.hpp"

#include "incidents.hpp"
#include "tile_math.hpp"

#include "geo/core/error.hpp"
#include "geo/crs/crs.hpp"
#include "geo/crs/transformer.hpp"
#include "geo/io/reader.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <iostream>
#include <set>

namespace tileserver {

namespace {

GeometryKind kind_of(const std::vector<LayerFeature>& features) {
    for (const auto& f : features) {
        switch (f.mercator.type()) {
        case geo::core::GeometryType::point:
        case geo::core::GeometryType::multi_point: return GeometryKind::point;
        case geo::core::GeometryType::line_string:
        case geo::core::GeometryType::linear_ring:
        case geo::core::GeometryType::multi_line_string: return GeometryKind::line;
        default: return GeometryKind::polygon;
        }
    }
    return GeometryKind::polygon;
}

bool mentions(const std::string& text, const char* needle) {
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    return lower.find(needle) != std::string::npos;
}

// OSM-derived: a field such as osm_id / osm_type, or a source value naming OpenStreetMap.
bool looks_osm_derived(const geo::io::Layer& layer) {
    for (std::size_t i = 0; i < layer.fields.size(); ++i) {
        const auto& name = layer.fields[i].name;
        if (name.rfind("osm", 0) == 0) {
            return true;
        }
        if (name == "source" || name == "attribution" || name == "provenance") {
            for (std::size_t k = 0; k < std::min<std::size_t>(layer.features.size(), 50); ++k) {
                const auto text = geo::io::to_string(layer.features[k].attributes[i]);
                if (mentions(text, "openstreetmap") || mentions(text, "osm")) {
                    return true;
                }
            }
        }
    }
    return false;
}

bool looks_synthetic(const geo::io::Layer& layer) {
    if (const auto i = layer.find_field("synthetic")) {
        for (const auto& f : layer.features) {
            const auto v = geo::io::to_int64(f.attributes[*i]);
            if (v && *v != 0) {
                return true;
            }
        }
    }
    for (std::size_t i = 0; i < layer.fields.size(); ++i) {
        if (layer.fields[i].name == "source" && !layer.features.empty() &&
            mentions(geo::io::to_string(layer.features.front().attributes[i]), "synthetic")) {
            return true;
        }
    }
    return false;
}

std::unique_ptr<Layer> load_layer(const std::string& path, const std::string& name) {
    geo::io::ReadOptions options;
    options.layer = name;
    geo::io::Layer source = geo::io::read_layer(path, options);
    geo::crs::Transformer to_wgs84(source.crs, geo::crs::Crs::wgs84());
    const bool identity = to_wgs84.is_identity();
    const bool osm_derived = looks_osm_derived(source); // before the attributes move out
    const bool synthetic = looks_synthetic(source);

    std::vector<LayerFeature> features;
    features.reserve(source.features.size());
    for (auto& f : source.features) {
        if (f.geometry.is_null() || f.geometry.is_empty() || f.id < 0) {
            continue;
        }
        geo::core::Geometry lonlat = identity ? std::move(f.geometry) : to_wgs84.transform(f.geometry);
        LayerFeature lf;
        lf.id = static_cast<std::uint64_t>(f.id);
        lf.mercator = lonlat.transformed([](double& x, double& y) {
            const auto m = lonlat_to_mercator(x, y);
            x = m.x;
            y = m.y;
        });
        lf.box = lf.mercator.bounds();
        lf.attributes = std::move(f.attributes);
        features.push_back(std::move(lf));
    }
    auto layer = std::make_unique<Layer>(name, source.fields, std::move(features));
    layer->osm_derived = osm_derived;
    layer->synthetic = synthetic;
    return layer;
}

std::unique_ptr<geo::tile::LayerIndex> build_tile_index(const std::string& name, GeometryKind kind,
                                                        const std::vector<geo::io::Field>& fields,
                                                        const std::vector<LayerFeature>& features) {
    std::vector<geo::tile::SourceFeature> source;
    source.reserve(features.size());
    for (const auto& f : features) {
        geo::tile::SourceFeature sf;
        sf.id = f.id;
        sf.geometry = f.mercator;
        for (std::size_t i = 0; i < fields.size(); ++i) {
            const auto& v = f.attributes[i];
            if (const auto* n = std::get_if<std::int64_t>(&v))
                sf.properties.emplace_back(fields[i].name, *n);
            else if (const auto* d = std::get_if<double>(&v))
                sf.properties.emplace_back(fields[i].name, *d);
            else if (const auto* t = std::get_if<std::string>(&v))
                sf.properties.emplace_back(fields[i].name, *t);
            else if (const auto* b = std::get_if<bool>(&v))
                sf.properties.emplace_back(fields[i].name, *b);
        }
        source.push_back(std::move(sf));
    }
    geo::tile::LayerOptions options;
    options.name = name;
    options.kind = kind == GeometryKind::point                                 ? geo::tile::LayerKind::points
                   : (kind == GeometryKind::polygon && is_coverage_name(name)) ? geo::tile::LayerKind::coverage
                                                                               : geo::tile::LayerKind::automatic;
    if (options.kind != geo::tile::LayerKind::coverage) {
        return std::make_unique<geo::tile::LayerIndex>(options, std::move(source));
    }
    try {
        return std::make_unique<geo::tile::LayerIndex>(options, source);
    } catch (const geo::Error& e) {
        // Not a clean coverage (overlaps, bad rings): serve it, simplified feature by feature.
        std::cerr << "tileserver: layer " << name << " is served without coverage simplification: " << e.message()
                  << '\n';
        options.kind = geo::tile::LayerKind::automatic;
        return std::make_unique<geo::tile::LayerIndex>(options, std::move(source));
    }
}

} // namespace

bool is_coverage_name(const std::string& name) {
    return name == "grids" || name == "jurisdictions" || name == "coverage";
}

bool is_layer_name(const std::string& name) {
    if (name.empty() || name.size() > 64) {
        return false;
    }
    return std::all_of(name.begin(), name.end(),
                       [](unsigned char c) { return (std::islower(c) != 0) || (std::isdigit(c) != 0) || c == '_'; });
}

Layer::Layer(std::string name, std::vector<geo::io::Field> fields, std::vector<LayerFeature> features)
    : m_name(std::move(name)), m_fields(std::move(fields)), m_features(std::move(features)) {
    m_kind = kind_of(m_features);
    for (const auto& f : m_features) {
        m_index.insert(f.box);
        m_bounds_lonlat.expand(mercator_to_lonlat({f.box.min_x, f.box.min_y}));
        m_bounds_lonlat.expand(mercator_to_lonlat({f.box.max_x, f.box.max_y}));
    }
    if (!m_features.empty()) {
        m_index.build();
    }
    m_tiles = build_tile_index(m_name, m_kind, m_fields, m_features);
    if (const auto code = field_index("code")) {
        for (std::size_t k = 0; k < m_features.size(); ++k) {
            m_by_code.emplace(geo::io::to_string(m_features[k].attributes[*code]), k);
        }
    }
}

std::optional<std::size_t> Layer::field_index(const std::string& name) const {
    for (std::size_t i = 0; i < m_fields.size(); ++i) {
        if (m_fields[i].name == name) {
            return i;
        }
    }
    return std::nullopt;
}

std::vector<std::size_t> Layer::query(const geo::core::Box& box) const {
    if (m_features.empty()) {
        return {};
    }
    std::lock_guard lock(m_index_mutex);
    return m_index.query(box);
}

std::optional<std::size_t> Layer::find(const std::string& field, const std::string& value) const {
    if (field == "code" && !m_by_code.empty()) {
        const auto it = m_by_code.find(value);
        return it == m_by_code.end() ? std::nullopt : std::optional<std::size_t>(it->second);
    }
    const auto i = field_index(field);
    if (!i) {
        return std::nullopt;
    }
    for (std::size_t k = 0; k < m_features.size(); ++k) {
        if (geo::io::to_string(m_features[k].attributes[*i]) == value) {
            return k;
        }
    }
    return std::nullopt;
}

Scenario::~Scenario() = default;
Scenario::Scenario(Scenario&&) noexcept = default;
Scenario& Scenario::operator=(Scenario&&) noexcept = default;

const Layer* Scenario::layer(const std::string& name) const {
    const auto it = layers.find(name);
    return it == layers.end() ? nullptr : it->second.get();
}

bool Scenario::has_layer(const std::string& name) const {
    return layers.count(name) != 0 || (name == "incidents" && incidents != nullptr);
}

std::vector<std::string> Scenario::layer_names() const {
    std::vector<std::string> names;
    for (const auto& n : standard_layers()) {
        if (has_layer(n)) {
            names.push_back(n);
        }
    }
    for (const auto& [n, layer] : layers) {
        if (std::find(names.begin(), names.end(), n) == names.end()) {
            names.push_back(n);
        }
    }
    return names;
}

LayerCatalog::LayerCatalog(const std::vector<ScenarioSource>& sources) {
    for (const auto& source : sources) {
        for (const auto& other : m_scenarios) {
            if (other->name == source.name) {
                throw geo::InputError("two scenarios are named '" + source.name + "'", {source.path, {}, {}},
                                      "name them explicitly: NAME=PATH");
            }
        }
        if (!std::filesystem::exists(source.path)) {
            throw geo::IoError("scenario file does not exist", {source.path, {}, {}});
        }
        auto scenario = std::make_unique<Scenario>();
        scenario->name = source.name;
        scenario->path = source.path;
        scenario->label = source.name;
        bool had_incidents_layer = false;
        for (const auto& info : geo::io::list_layers(source.path)) {
            if (info.name == "incidents") {
                had_incidents_layer = true;
                continue; // live: served from the incident store
            }
            if (info.name == "incident_history" || info.geometry_type == "None" || !is_layer_name(info.name)) {
                continue;
            }
            auto layer = load_layer(source.path, info.name);
            if (const auto field = layer->field_index("category")) {
                std::set<std::string> values;
                for (const auto& f : layer->features()) {
                    if (values.size() >= 64) {
                        break;
                    }
                    if (auto v = geo::io::to_string(f.attributes[*field]); !v.empty()) {
                        values.insert(std::move(v));
                    }
                }
                scenario->categories[info.name].assign(values.begin(), values.end());
            }
            scenario->synthetic = scenario->synthetic || layer->synthetic;
            scenario->osm_derived = scenario->osm_derived || layer->osm_derived;
            scenario->bounds_lonlat.expand(layer->bounds_lonlat());
            scenario->layers.emplace(info.name, std::move(layer));
        }
        if (source.synthetic || mentions(source.name, "synthetic") || mentions(source.path, "synthetic")) {
            scenario->synthetic = true;
        }
        if (!source.label.empty()) {
            scenario->label = source.label;
        }
        scenario->attribution = scenario->osm_derived ? "© OpenStreetMap contributors" : "";
        if (!source.attribution.empty() && scenario->attribution.find(source.attribution) == std::string::npos) {
            scenario->attribution += (scenario->attribution.empty() ? "" : " · ") + source.attribution;
        }
        try {
            scenario->incidents = std::make_unique<IncidentService>(source.path, scenario->layer("grids"));
        } catch (const geo::Error& e) {
            // A read-only scenario still serves its layers; writes answer 503.
            std::cerr << "tileserver: " << source.name << ": incidents unavailable: " << e.message() << '\n';
            if (had_incidents_layer) {
                throw;
            }
        }
        if (scenario->incidents) {
            scenario->incidents->visit_all({}, [&](const LiveIncident& i) {
                scenario->bounds_lonlat.expand(i.incident.location);
                scenario->synthetic = scenario->synthetic || i.incident.synthetic;
            });
        }
        m_scenarios.push_back(std::move(scenario));
    }
}

Scenario* LayerCatalog::find(const std::string& name) const {
    if (name.empty()) {
        return m_scenarios.empty() ? nullptr : m_scenarios.front().get();
    }
    for (const auto& s : m_scenarios) {
        if (s->name == name) {
            return s.get();
        }
    }
    return nullptr;
}

} // namespace tileserver
