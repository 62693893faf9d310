#pragma once
// Which OpenStreetMap ways a pedestrian may use. The rules (also in
// docs/network.md):
//  * highway = footway, pedestrian, path, steps, corridor, elevator,
//    living_street, residential, service, unclassified, road, track,
//    cycleway, bridleway, tertiary(_link), secondary(_link), primary(_link)
//    are walkable;
//  * motorway(_link) and trunk(_link) only with foot=yes/designated/permissive;
//  * foot=no or foot=use_sidepath (pedestrians must take the separate
//    sidewalk) excludes a way; access=no/private excludes it unless foot
//    explicitly allows walking;
//  * anything else (construction, proposed, raceway, bus_guideway, …) is not
//    walkable. oneway=* is ignored: walking is always both directions.

#include <functional>
#include <string_view>

namespace geo::network {

/// Looks a tag up by key: its value, or nullptr when the way lacks the key.
using TagLookup = std::function<const char*(std::string_view key)>;

[[nodiscard]] bool is_walkable_way(const TagLookup& tags);

} // namespace geo::network
