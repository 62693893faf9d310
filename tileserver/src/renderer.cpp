#include "renderer.hpp"

#include "geo/core/error.hpp"
#include "geo/tile/decoder.hpp"
#include "geo/tile/encoder.hpp"

#include <cmath>
#include <map>

namespace tileserver {

namespace {

using geo::tile::TilePoint;

struct PointItem {
    std::uint64_t id;
    TilePoint at;
    geo::tile::Properties properties;
};

void write_points(geo::tile::LayerBuilder& layer, std::vector<PointItem>& items, const RenderOptions& options) {
    if (items.size() <= options.cluster_threshold) {
        for (auto& item : items) {
            auto f = layer.feature(item.id);
            f.properties(item.properties);
            f.set_points(std::span<const TilePoint>(&item.at, 1));
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
    const auto size = static_cast<std::int32_t>(options.cluster_cell);
    auto floor_div = [size](std::int32_t v) { return v >= 0 ? v / size : -((-v + size - 1) / size); };
    for (const auto& item : items) {
        auto& c = cells[{floor_div(item.at.x), floor_div(item.at.y)}];
        c.sx += item.at.x;
        c.sy += item.at.y;
        ++c.n;
        c.min_id = std::min(c.min_id, item.id);
    }
    for (const auto& [key, c] : cells) {
        // Cluster ids live above 2^52 so they never collide with incident ids.
        auto f = layer.feature((1ULL << 52U) + c.min_id);
        f.property("cluster", true);
        f.property("point_count", c.n);
        const TilePoint p{static_cast<std::int32_t>(std::lround(c.sx / static_cast<double>(c.n))),
                          static_cast<std::int32_t>(std::lround(c.sy / static_cast<double>(c.n)))};
        f.set_points(std::span<const TilePoint>(&p, 1));
        f.commit();
    }
}

/// Grids from the prepared index, each with the live incident count of its code added.
void write_grids_with_counts(geo::tile::TileBuilder& builder, const Layer& grids, const IncidentService& incidents,
                             const geo::tile::TileId& tile, std::uint32_t extent) {
    geo::tile::TileBuilder prepared;
    if (grids.tiles().encode(prepared, tile) == 0) {
        return;
    }
    const auto decoded = geo::tile::decode_tile(prepared.serialize());
    const auto* layer = decoded.find(grids.name());
    if (layer == nullptr) {
        return;
    }
    auto& out = builder.add_layer(grids.name(), extent);
    for (const auto& f : layer->features) {
        auto feature = f.id ? out.feature(*f.id) : out.feature();
        std::int64_t count = 0;
        for (const auto& [key, value] : f.properties) {
            if (key == "code") {
                count = incidents.count_in_grid(value.is_string() ? value.as_string() : value.to_string());
            }
        }
        feature.properties(f.properties);
        feature.property("incident_count", count);
        if (feature.set_geometry(f.geometry)) {
            feature.commit();
        }
    }
}

} // namespace

double TileRenderer::buffer_metres(int z) const {
    const double size = 2 * mercator_half_world / static_cast<double>(1ULL << z);
    return size * m_options.buffer / m_options.extent;
}

std::string TileRenderer::render(const Scenario& scenario, const std::vector<std::string>& layers, const TileId& tile,
                                 const IncidentQuery& query) const {
    const geo::tile::TileId tid{static_cast<std::uint32_t>(tile.z), tile.x, tile.y};
    const geo::core::Box bounds = tile_bounds(tile);
    const double scale = m_options.extent / bounds.width(); // tile units per metre
    const geo::core::Box clip_box = bounds.buffered(buffer_metres(tile.z));

    geo::tile::TileBuilder builder;
    for (const auto& name : layers) {
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
                const TilePoint at{static_cast<std::int32_t>(std::lround((live.mercator.x - bounds.min_x) * scale)),
                                   static_cast<std::int32_t>(std::lround((bounds.max_y - live.mercator.y) * scale))};
                items.push_back({static_cast<std::uint64_t>(i.id), at, std::move(props)});
            });
            if (!items.empty()) {
                write_points(builder.add_layer(name, m_options.extent), items, m_options);
            }
            continue;
        }
        const Layer* layer = scenario.layer(name);
        if (layer == nullptr) {
            continue;
        }
        if (name == "grids" && scenario.incidents && layer->field_index("code")) {
            write_grids_with_counts(builder, *layer, *scenario.incidents, tid, m_options.extent);
        } else {
            layer->tiles().encode(builder, tid);
        }
    }
    return builder.serialize();
}

} // namespace tileserver
