#include "renderer.hpp"

#include "geo/core/error.hpp"
#include "geo/tile/encoder.hpp"

#include <cmath>
#include <map>

namespace tileserver {

namespace {

using geo::tile::TilePoint;

struct Frame {
    geo::core::Box bounds; // the tile square in EPSG:3857
    double scale = 1.0;    // tile units per metre
    [[nodiscard]] TilePoint at(const geo::core::XY& p) const {
        return {static_cast<std::int32_t>(std::lround((p.x - bounds.min_x) * scale)),
                static_cast<std::int32_t>(std::lround((bounds.max_y - p.y) * scale))};
    }
};

std::optional<geo::tile::Value> to_tile_value(const geo::io::Value& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) {
        return geo::tile::Value(*i);
    }
    if (const auto* d = std::get_if<double>(&v)) {
        return geo::tile::Value(*d);
    }
    if (const auto* s = std::get_if<std::string>(&v)) {
        return geo::tile::Value(*s);
    }
    if (const auto* b = std::get_if<bool>(&v)) {
        return geo::tile::Value(*b);
    }
    return std::nullopt;
}

geo::tile::TileGeometry to_tile_geometry(const geo::core::Geometry& g, const Frame& frame) {
    geo::tile::TileGeometry out;
    for (const auto& poly : g.polygons()) {
        geo::tile::TilePolygon tp;
        for (const auto& ring : poly.rings) {
            geo::tile::TilePath path;
            path.reserve(ring.size());
            for (const auto& p : ring) {
                path.push_back(frame.at(p));
            }
            tp.rings.push_back(std::move(path));
        }
        out.polygons.push_back(std::move(tp));
    }
    if (!out.polygons.empty()) {
        out.type = geo::tile::GeomType::polygon;
        return out;
    }
    for (const auto& line : g.paths()) {
        geo::tile::TilePath path;
        for (const auto& p : line) {
            path.push_back(frame.at(p));
        }
        out.lines.push_back(std::move(path));
    }
    if (!out.lines.empty()) {
        out.type = geo::tile::GeomType::linestring;
        return out;
    }
    for (const auto& p : g.points()) {
        out.points.push_back(frame.at(p));
    }
    if (!out.points.empty()) {
        out.type = geo::tile::GeomType::point;
    }
    return out;
}

// Clip a polygon or line to the buffered tile; a geometry GEOS refuses is repaired once.
geo::core::Geometry clip(const LayerFeature& f, const geo::core::Box& clip_box, const geo::core::Geometry& clip_geom) {
    const bool inside = f.box.min_x >= clip_box.min_x && f.box.max_x <= clip_box.max_x &&
                        f.box.min_y >= clip_box.min_y && f.box.max_y <= clip_box.max_y;
    if (inside) {
        return f.mercator;
    }
    try {
        return f.mercator.intersection(clip_geom);
    } catch (const geo::GeometryError&) {
        return f.mercator.make_valid().intersection(clip_geom);
    }
}

struct PointItem {
    std::uint64_t id;
    geo::core::XY mercator;
    geo::tile::Properties properties;
};

void write_points(geo::tile::LayerBuilder& layer, std::vector<PointItem>& items, const Frame& frame,
                  const RenderOptions& options) {
    if (items.size() <= options.cluster_threshold) {
        for (auto& item : items) {
            auto f = layer.feature(item.id);
            f.properties(item.properties);
            const TilePoint p = frame.at(item.mercator);
            f.set_points(std::span<const TilePoint>(&p, 1));
            f.commit();
        }
        return;
    }
    // Cluster: one feature per cell at the members' mean position, with their count.
    struct Cell {
        double sx = 0, sy = 0;
        std::int64_t n = 0;
        std::uint64_t min_id = UINT64_MAX;
    };
    std::map<std::pair<std::int32_t, std::int32_t>, Cell> cells;
    const auto cell_size = static_cast<std::int32_t>(options.cluster_cell);
    for (const auto& item : items) {
        const TilePoint p = frame.at(item.mercator);
        auto floor_div = [cell_size](std::int32_t v) { return v >= 0 ? v / cell_size : -((-v + cell_size - 1) / cell_size); };
        auto& c = cells[{floor_div(p.x), floor_div(p.y)}];
        c.sx += p.x;
        c.sy += p.y;
        ++c.n;
        c.min_id = std::min(c.min_id, item.id);
    }
    for (const auto& [key, c] : cells) {
        // Cluster ids live above 2^48 so they never collide with feature ids.
        auto f = layer.feature((1ULL << 48U) + c.min_id);
        f.property("cluster", true);
        f.property("point_count", c.n);
        const TilePoint p{static_cast<std::int32_t>(std::lround(c.sx / static_cast<double>(c.n))),
                          static_cast<std::int32_t>(std::lround(c.sy / static_cast<double>(c.n)))};
        f.set_points(std::span<const TilePoint>(&p, 1));
        f.commit();
    }
}

} // namespace

bool is_coverage_layer(const std::string& name) {
    return name == "grids" || name == "jurisdictions" || name == "coverage";
}

double TileRenderer::buffer_metres(int z) const {
    const double size = 2 * mercator_half_world / static_cast<double>(1ULL << z);
    return size * m_options.buffer / m_options.extent;
}

std::string TileRenderer::render(const Scenario& scenario, const std::vector<std::string>& layers,
                                 const TileId& tile, const IncidentQuery& query) const {
    Frame frame;
    frame.bounds = tile_bounds(tile);
    frame.scale = m_options.extent / frame.bounds.width();
    const geo::core::Box clip_box = frame.bounds.buffered(buffer_metres(tile.z));
    const geo::core::Geometry clip_geom = geo::core::Geometry::box(clip_box);
    const double tolerance = 1.0 / frame.scale; // one tile unit in metres

    geo::tile::TileBuilder builder;
    for (const auto& name : layers) {
        auto& out = builder.add_layer(name, m_options.extent);
        if (name == "incidents") {
            if (!scenario.incidents) {
                continue;
            }
            std::vector<PointItem> items;
            scenario.incidents->visit(clip_box, query, [&](const LiveIncident& live) {
                const auto& i = live.incident;
                geo::tile::Properties props{
                    {"id", i.id},
                    {"category", i.category},
                    {"status", geo::incident::to_string(i.status)},
                    {"open", geo::incident::is_open(i.status)},
                    {"reported_at", geo::incident::format_time(i.reported_at)},
                    {"synthetic", i.synthetic},
                };
                if (i.grid_code) {
                    props.emplace_back("grid_code", *i.grid_code);
                }
                items.push_back({static_cast<std::uint64_t>(i.id), live.mercator, std::move(props)});
            });
            write_points(out, items, frame, m_options);
            continue;
        }
        const Layer* layer = scenario.layer(name);
        if (layer == nullptr) {
            continue;
        }
        const auto code_field = layer->field_index("code");
        const bool with_counts = name == "grids" && scenario.incidents && code_field;
        auto properties_of = [&](const LayerFeature& f) {
            geo::tile::Properties props;
            for (std::size_t i = 0; i < layer->fields().size(); ++i) {
                if (auto v = to_tile_value(f.attributes[i])) {
                    props.emplace_back(layer->fields()[i].name, std::move(*v));
                }
            }
            if (with_counts) {
                props.emplace_back("incident_count",
                                   scenario.incidents->count_in_grid(geo::io::to_string(f.attributes[*code_field])));
            }
            return props;
        };
        const auto hits = layer->query(clip_box);
        if (layer->kind() == GeometryKind::point) {
            std::vector<PointItem> items;
            for (auto index : hits) {
                const auto& f = layer->features()[index];
                for (const auto& p : f.mercator.points()) {
                    if (clip_box.contains(p)) {
                        items.push_back({f.id, p, properties_of(f)});
                        break; // one representative point per feature
                    }
                }
            }
            write_points(out, items, frame, m_options);
            continue;
        }
        const bool coverage = is_coverage_layer(name);
        for (auto index : hits) {
            const auto& f = layer->features()[index];
            geo::core::Geometry g = clip(f, clip_box, clip_geom);
            if (g.is_null() || g.is_empty()) {
                continue;
            }
            if (!coverage) {
                g = g.simplify_preserve_topology(tolerance);
            }
            auto geometry = to_tile_geometry(g, frame);
            if (geometry.empty()) {
                continue;
            }
            auto feature = out.feature(f.id);
            feature.properties(properties_of(f));
            if (feature.set_geometry(geometry)) {
                feature.commit();
            }
        }
    }
    return builder.serialize();
}

} // namespace tileserver
