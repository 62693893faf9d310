#pragma once
// Reading Mapbox Vector Tiles, strictly. decode_tile() checks everything the
// 2.1 specification requires and throws FormatError naming the first
// problem (layer, feature and what was wrong) instead of guessing:
// truncated or malformed varints, wrong wire types, unknown fields in Value
// messages, missing layer name/version, unsupported versions, duplicate
// layer names, odd tag counts, key/value indexes out of range, values with
// no or several fields, features without a type or geometry, unknown
// geometry commands, command counts not matched by parameters, ClosePath
// with count != 1, zero-length segments, degenerate rings, and polygons
// starting with a hole. Nothing is allocated from a count read in the
// tile before the bytes backing it have been seen.

#include "geo/core/error.hpp"
#include "geo/tile/geometry.hpp"
#include "geo/tile/value.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace geo::tile {

/// A tile (or one of its messages) is malformed.
class FormatError : public geo::Error {
  public:
    using Error::Error;
};

struct DecodedFeature {
    std::optional<std::uint64_t> id;
    GeomType type = GeomType::unknown;
    std::vector<std::uint32_t> tags;     ///< raw key/value index pairs
    std::vector<std::uint32_t> commands; ///< raw geometry integers
    Properties properties;               ///< tags resolved against the layer
    /// Geometry in tile coordinates. Polygons are grouped by winding: a ring
    /// with positive area starts a polygon, negative rings are its holes.
    /// Empty for GeomType::unknown (whose geometry cannot be interpreted).
    TileGeometry geometry;
};

struct DecodedLayer {
    std::uint32_t version = 1;
    std::string name;
    std::uint32_t extent = 4096;
    std::vector<std::string> keys;
    std::vector<Value> values;
    std::vector<DecodedFeature> features;
};

struct DecodedTile {
    std::vector<DecodedLayer> layers;
    /// The layer with this name, or nullptr.
    [[nodiscard]] const DecodedLayer* find(std::string_view name) const noexcept;
};

/// Decode and validate a whole tile (uncompressed protobuf bytes).
[[nodiscard]] DecodedTile decode_tile(std::string_view data);

/// Decode one feature's geometry integers (exposed for tests and tools).
/// The 2.x geometry rules apply to every layer, version 1 included: a
/// version 1 tile that breaks them (e.g. a ClosePath in a linestring) is
/// rejected, as mvt-fixtures expects of a 2.x decoder.
[[nodiscard]] TileGeometry decode_geometry(GeomType type, const std::vector<std::uint32_t>& commands);

} // namespace geo::tile
