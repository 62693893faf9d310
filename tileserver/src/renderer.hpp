#pragma once
// TileRenderer: one Mapbox Vector Tile for one or more layers of a scenario, encoded with
// geo::tile (MVT 2.1).
//
// Static layers come from each layer's geo::tile::LayerIndex, prepared per zoom at start-up
// (simplified to about a pixel; grids and jurisdictions as a coverage, so neighbours never show
// gaps or slivers; points clustered at low zoom). The grids layer gets a live incident_count per
// grid. Incidents are live: their points are filtered (?category, ?since, ?until) and, where
// dense, clustered into cells with a point_count, at request time.

#include "catalog.hpp"
#include "incidents.hpp"
#include "tile_math.hpp"

#include <string>
#include <vector>

namespace tileserver {

struct RenderOptions {
    std::uint32_t extent = 4096;
    std::uint32_t buffer = 64;           ///< tile units around the tile kept by the clip
    std::size_t cluster_threshold = 400; ///< more incidents than this in one tile → clusters
    std::uint32_t cluster_cell = 64;     ///< incident cluster cell size in tile units
};

class TileRenderer {
  public:
    explicit TileRenderer(RenderOptions options = {}) : m_options(options) {}

    /// Encoded tile; empty string when no layer has a feature in the tile.
    [[nodiscard]] std::string render(const Scenario& scenario, const std::vector<std::string>& layers,
                                     const TileId& tile, const IncidentQuery& query) const;

    /// Buffer of a tile in EPSG:3857 metres (for invalidation: a point this close shows in the tile).
    [[nodiscard]] double buffer_metres(int z) const;

    [[nodiscard]] const RenderOptions& options() const noexcept { return m_options; }

  private:
    RenderOptions m_options;
};

} // namespace tileserver
