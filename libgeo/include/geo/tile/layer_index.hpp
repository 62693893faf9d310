#pragma once
// geo::tile::LayerIndex: a static layer prepared once for every zoom, so
// that serving a tile is an index query, a clip and an encode.
//
//   std::vector<geo::tile::SourceFeature> features = ...;   // EPSG:3857
//   geo::tile::LayerOptions options;
//   options.name = "grids";
//   options.kind = geo::tile::LayerKind::coverage;            // gap-free grids
//   geo::tile::LayerIndex grids(options, std::move(features));
//
//   geo::tile::TileBuilder tile;
//   grids.encode(tile, {14, 13716, 6396});
//   std::string bytes = tile.serialize();                     // "" when empty
//
// At build time, for each zoom: geometry goes to world units of that zoom
// (see mercator.hpp), is simplified to about one pixel (Douglas-Peucker),
// rounded to integers and stored; features smaller than a pixel are
// dropped. Coverage layers are simplified edge by edge (each boundary shared
// by two polygons is simplified once and used by both), so neighbours keep
// identical vertices at every zoom. Point layers are clustered at low zoom
// (a `point_count` property) so that no tile exceeds the feature count and
// byte budgets; at high zoom every point is kept with its properties.
//
// Thread safety: a built LayerIndex is read-only; encode() may be called
// from several threads at once.

#include "geo/core/geometry.hpp"
#include "geo/tile/encoder.hpp"
#include "geo/tile/geometry.hpp"
#include "geo/tile/mercator.hpp"
#include "geo/tile/value.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace geo::tile {

/// One input feature. Geometry in EPSG:3857 metres; id stable and
/// non-negative (below 2^52 so that it is exact in JavaScript and cannot
/// collide with cluster ids).
struct SourceFeature {
    std::uint64_t id = 0;
    core::Geometry geometry;
    Properties properties;
};

enum class LayerKind {
    automatic, ///< polygons, lines or points as they come, each simplified on its own
    coverage,  ///< polygons forming a coverage (grids, jurisdictions): shared edges simplified once
    points,    ///< points, clustered at low zoom to stay within the tile budgets
};

struct LayerOptions {
    std::string name; ///< layer name in the tile (required)
    LayerKind kind = LayerKind::automatic;
    std::uint32_t min_zoom = 0;
    std::uint32_t max_zoom = 14; ///< tiles above are over-zoomed from this level by clients
    std::uint32_t extent = 4096;
    std::uint32_t buffer = 64; ///< tile units around each tile
    /// Simplification tolerance and minimum feature size in pixels of a
    /// 256-pixel tile (1 pixel = extent/256 tile units). 0 disables both.
    double pixel_tolerance = 1.0;
    /// Point layers: no tile holds more features than this.
    std::size_t max_features_per_tile = 10000;
    /// Point layers: encoded layer size budget per tile, bytes.
    std::size_t max_tile_bytes = 500 * 1024;
};

/// Memory used by the prepared geometry (measured, not estimated).
struct IndexMemory {
    std::size_t stored_vertices = 0; ///< over all zooms
    std::size_t stored_features = 0; ///< feature entries over all zooms
    std::size_t geometry_bytes = 0;  ///< vertex, ring and part arrays
    std::size_t index_bytes = 0;     ///< per-zoom spatial index (packed R-tree)
    std::size_t property_bytes = 0;  ///< shared feature properties
    [[nodiscard]] double bytes_per_vertex() const noexcept {
        return stored_vertices == 0
                   ? 0.0
                   : static_cast<double>(geometry_bytes + index_bytes) / static_cast<double>(stored_vertices);
    }
};

/// Called for each feature LayerIndex::encode writes, before it is
/// committed, to add properties known only at request time (e.g. a live
/// incident count per grid): `feature.property("incident_count", n)`. A key
/// the feature already has gets the new value. Cluster features (ids from
/// 2^52) are passed too.
using FeatureHook = std::function<void(std::uint64_t id, FeatureBuilder& feature)>;

class LayerIndex {
  public:
    /// Build all zooms now. Throws InputError for bad options (empty name,
    /// min_zoom > max_zoom, max_zoom > 18) or features of the wrong kind.
    LayerIndex(LayerOptions options, std::vector<SourceFeature> features);
    ~LayerIndex();
    LayerIndex(const LayerIndex&) = delete;
    LayerIndex& operator=(const LayerIndex&) = delete;
    LayerIndex(LayerIndex&&) noexcept;
    LayerIndex& operator=(LayerIndex&&) noexcept;

    [[nodiscard]] const LayerOptions& options() const noexcept;
    /// Bounds of all features in EPSG:3857 (empty box when there are none).
    [[nodiscard]] const core::Box& bounds() const noexcept;
    [[nodiscard]] std::size_t feature_count() const noexcept;

    /// Add this layer's features for `tile` to the tile builder (as a new
    /// layer, which is not serialized when it stays empty). Tiles above
    /// max_zoom are cut from max_zoom geometry; below min_zoom nothing is
    /// written. Returns the number of features written.
    std::size_t encode(TileBuilder& builder, const TileId& tile, const FeatureHook& hook = {}) const;
    /// Same, into an existing layer (its extent must match options().extent).
    std::size_t encode(LayerBuilder& layer, const TileId& tile, const FeatureHook& hook = {}) const;

    [[nodiscard]] IndexMemory memory() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace geo::tile
