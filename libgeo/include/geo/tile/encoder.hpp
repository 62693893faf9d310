#pragma once
// Writing Mapbox Vector Tiles 2.1 (vector_tile.proto, written by hand with
// protozero). RAII builders in the style of vtzero:
//
//   geo::tile::TileBuilder tile;
//   auto& grids = tile.add_layer("grids");          // unique names enforced
//   {
//       auto f = grids.feature(42);                 // stable, non-negative id
//       f.property("code", "120116001001001");
//       f.set_polygons({poly});                     // tile coordinates
//       f.commit();                                 // or rolled back at scope end
//   }
//   std::string bytes = tile.serialize();
//
// The encoder guarantees the spec's geometry rules whatever it is given:
// command integers (id & 0x7) | (count << 3), zig-zag deltas, no repeated
// consecutive points, exterior rings with positive surveyor's area in tile
// coordinates (y down) and holes negative, degenerate rings and lines
// dropped (a hole whose exterior was dropped is dropped too).

#include "geo/tile/geometry.hpp"
#include "geo/tile/value.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace geo::tile {

inline constexpr std::uint32_t default_extent = 4096;

class FeatureBuilder;

/// One layer of a tile: its features, and keys/values de-duplicated.
class LayerBuilder {
  public:
    LayerBuilder(std::string name, std::uint32_t extent);
    LayerBuilder(const LayerBuilder&) = delete;
    LayerBuilder& operator=(const LayerBuilder&) = delete;
    LayerBuilder(LayerBuilder&&) = delete;
    LayerBuilder& operator=(LayerBuilder&&) = delete;
    ~LayerBuilder() = default;

    [[nodiscard]] const std::string& name() const noexcept { return m_name; }
    [[nodiscard]] std::uint32_t extent() const noexcept { return m_extent; }
    [[nodiscard]] std::size_t feature_count() const noexcept { return m_feature_count; }
    [[nodiscard]] std::size_t key_count() const noexcept { return m_keys.size(); }
    [[nodiscard]] std::size_t value_count() const noexcept { return m_values.size(); }

    /// Start a feature with a stable id (written as the feature's id field).
    [[nodiscard]] FeatureBuilder feature(std::uint64_t id);
    /// Start a feature without an id.
    [[nodiscard]] FeatureBuilder feature();

    /// The serialized Layer message (without the Tile framing).
    [[nodiscard]] std::string serialize() const;
    /// Append the layer to a Tile message in `out` (field 3, framed).
    void append_to_tile(std::string& out) const;

    /// Index of a key in this layer's key table, added when new. For
    /// callers that cache indexes across features (FeatureBuilder::tag);
    /// keys added this way stay even if no feature uses them.
    std::uint32_t key_index(std::string_view key);
    /// Index of a value in this layer's value table (equal type and value
    /// share one entry), added when new.
    std::uint32_t value_index(const Value& value);
    /// Make room for about this many distinct values (avoids rehashing).
    void reserve_values(std::size_t count);

  private:
    friend class FeatureBuilder;
    friend class TileBuilder;

    std::string m_name;
    std::uint32_t m_extent;
    std::string m_features; // serialized Feature messages, each framed as field 2
    std::size_t m_feature_count = 0;
    std::vector<std::string> m_keys;
    std::unordered_map<std::string, std::uint32_t> m_key_index;
    // Serialized Value messages, each stored once as a key of m_value_index
    // (node-based: the pointers in m_values stay valid as it grows).
    std::unordered_map<std::string, std::uint32_t> m_value_index;
    std::vector<const std::string*> m_values;
    std::string m_value_scratch;
    TilePath m_scratch; // ring cleaning buffer shared by this layer's features
    // Buffers a FeatureBuilder borrows and gives back, so that encoding a
    // feature allocates nothing once they have grown.
    std::vector<std::uint32_t> m_geometry_pool;
    std::vector<std::uint32_t> m_tags_pool;
};

/// A feature being written. Nothing reaches the layer until commit(); when
/// the builder goes out of scope uncommitted, the feature is rolled back.
class FeatureBuilder {
  public:
    FeatureBuilder(LayerBuilder& layer, std::optional<std::uint64_t> id);
    ~FeatureBuilder(); // uncommitted content is discarded
    FeatureBuilder(const FeatureBuilder&) = delete;
    FeatureBuilder& operator=(const FeatureBuilder&) = delete;
    FeatureBuilder(FeatureBuilder&& other) noexcept; ///< the moved-from builder is rolled back
    FeatureBuilder& operator=(FeatureBuilder&& other) noexcept = delete;

    /// Add a property; a key given twice keeps the last value.
    FeatureBuilder& property(std::string key, Value value);
    FeatureBuilder& properties(const Properties& props);
    /// Add a property by indexes from LayerBuilder::key_index/value_index
    /// (the fast path for encoders that intern once per tile).
    FeatureBuilder& tag(std::uint32_t key_index, std::uint32_t value_index);

    /// Set the geometry (replaces any earlier one). Each returns false when
    /// nothing drawable is left after cleaning (repeated points removed,
    /// degenerate parts dropped); commit() then writes nothing.
    bool set_points(std::span<const TilePoint> points);
    bool set_lines(std::span<const TilePath> lines);
    bool set_polygons(std::span<const TilePolygon> polygons);
    bool set_geometry(const TileGeometry& geometry);

    /// Write the feature to the layer. Returns false (and writes nothing)
    /// when the geometry is empty. Throws InputError when called twice.
    bool commit();
    /// Discard the feature now.
    void rollback() noexcept;
    [[nodiscard]] bool committed() const noexcept { return m_state == State::committed; }

  private:
    enum class State { open, committed, rolled_back };
    LayerBuilder* m_layer;
    std::optional<std::uint64_t> m_id;
    Properties m_properties;
    std::vector<std::uint32_t> m_tags; // from tag(), written before m_properties
    GeomType m_type = GeomType::unknown;
    std::vector<std::uint32_t> m_geometry; // command + parameter integers
    State m_state = State::open;
};

/// A whole tile: an ordered set of uniquely named layers.
class TileBuilder {
  public:
    TileBuilder() = default;
    TileBuilder(const TileBuilder&) = delete;
    TileBuilder& operator=(const TileBuilder&) = delete;
    TileBuilder(TileBuilder&&) noexcept = default;
    TileBuilder& operator=(TileBuilder&&) noexcept = default;
    ~TileBuilder() = default;

    /// Add a layer; throws InputError when the name is empty or already used.
    LayerBuilder& add_layer(std::string name, std::uint32_t extent = default_extent);
    /// The layer with this name, or nullptr.
    [[nodiscard]] LayerBuilder* find_layer(std::string_view name) noexcept;

    /// Number of features over all layers.
    [[nodiscard]] std::size_t feature_count() const noexcept;
    /// Serialize the tile. Layers without features are left out (encoders
    /// should not write them); a tile without features is an empty string.
    [[nodiscard]] std::string serialize() const;

  private:
    std::vector<std::unique_ptr<LayerBuilder>> m_layers;
};

/// Geometry command integer: (id & 0x7) | (count << 3).
[[nodiscard]] constexpr std::uint32_t command_integer(std::uint32_t id, std::uint32_t count) noexcept {
    return (id & 0x7U) | (count << 3U);
}
/// Zig-zag encoding of a parameter integer.
[[nodiscard]] constexpr std::uint32_t zigzag(std::int32_t n) noexcept {
    return (static_cast<std::uint32_t>(n) << 1U) ^ static_cast<std::uint32_t>(n >> 31);
}

} // namespace geo::tile
