#pragma once
// Internal: GeoPackage geometry blobs (OGC 12-128r18, clause 2.1.3
// "GeoPackageBinary"): the 8-byte header 'G' 'P' version flags srs_id, an
// optional envelope, then standard ISO WKB. The store writes points as
// little-endian header + xy envelope + WKB Point (61 bytes).

#include "geo/core/coords.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <span>

namespace geo::incident::detail {

inline constexpr std::size_t gpkg_point_blob_size = 8 + 32 + 21;

/// Encode a point with an xy envelope (flags 0b0000'0011: little endian, envelope kind 1).
std::array<unsigned char, gpkg_point_blob_size> encode_gpkg_point(core::XY p, std::int32_t srs_id);

/// The envelope of a GeoPackage blob: the stored one, or for a point without
/// one, the point itself. nullopt for empty geometries and unreadable blobs.
std::optional<core::Box> gpkg_envelope(std::span<const unsigned char> blob);

/// The point of a blob that holds a WKB Point (any byte order); nullopt otherwise.
std::optional<core::XY> decode_gpkg_point(std::span<const unsigned char> blob);

/// Whether the blob's header says "empty" (flag bit 4) or its point is NaN.
bool gpkg_is_empty(std::span<const unsigned char> blob);

} // namespace geo::incident::detail
