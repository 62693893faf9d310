#pragma once
// TileRenderer: one Mapbox Vector Tile for one or more layers of a scenario. Features come from
// the LayerCatalog and the IncidentService; encoding is geo::tile's TileBuilder (MVT 2.1).
//
// Per tile: polygons and lines are clipped to the tile plus a buffer; coverage layers (grids,
// jurisdictions, coverage) are only snapped to the tile grid, never simplified one by one, so
// neighbouring polygons keep identical shared edges (no gaps or slivers); other layers are
// simplified to about a tile pixel. Dense points are clustered into cells with a point_count.

#include "catalog.hpp"
#include "incidents.hpp"
#include "tile_math.hpp"

#include <string>
#include <vector>

namespace tileserver {

struct RenderOptions {
    std::uint32_t extent = 4096;
    std::uint32_t buffer = 64;            ///< tile units around the tile kept by the clip
    std::size_t cluster_threshold = 400;  ///< more points than this in one tile layer → clusters
    std::uint32_t cluster_cell = 64;      ///< cluster cell size in tile units
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

/// Layers whose features are a coverage: snapped, never simplified one by one.
[[nodiscard]] bool is_coverage_layer(const std::string& name);

} // namespace tileserver
