#pragma once
// Building the walking Graph from an OpenStreetMap file (.osm.pbf, .osm,
// .osm.bz2; read with libosmium). Walkable ways (see walkable.hpp) are split
// at every node shared with another walkable way (or repeated in the same
// way) and at their ends; the nodes in between become the edge's shape.
// Coordinates go through the caller's projector (WGS84 lon/lat → a local
// metric CRS), and edge lengths are the planar lengths in that CRS.

#include "geo/core/coords.hpp"
#include "geo/network/graph.hpp"

#include <cstddef>
#include <functional>
#include <string>

namespace geo::network {

/// Maps WGS84 (x = longitude, y = latitude) to planar metres.
using Projector = std::function<core::XY(core::XY lon_lat)>;

struct OsmNetworkStats {
    std::size_t ways_read = 0;     ///< ways with a highway tag
    std::size_t ways_walkable = 0; ///< of those, kept by the walking rules
    std::size_t missing_nodes = 0; ///< node references without a location (cut at the extract edge)
};

struct OsmNetwork {
    Graph graph;
    OsmNetworkStats stats;
};

/// Reads the walking network. Throws IoError when the file cannot be read
/// and InputError when it holds no walkable way.
[[nodiscard]] OsmNetwork read_osm_walking_network(const std::string& path, const Projector& project);

/// Same, when the projection depends on where the data is: `choose` gets the
/// lon/lat bounds of the walkable ways and returns the projector to use
/// (e.g. into crs::local_metric_crs of those bounds).
[[nodiscard]] OsmNetwork read_osm_walking_network(const std::string& path,
                                                  const std::function<Projector(const core::Box&)>& choose);

/// True for file names libosmium reads (.osm.pbf, .pbf, .osm, .osm.bz2, .osm.gz, .osc…).
[[nodiscard]] bool is_osm_file(const std::string& path);

} // namespace geo::network
