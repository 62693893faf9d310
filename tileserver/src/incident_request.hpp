#pragma once
// The body of POST /api/incidents: a GeoJSON Feature or FeatureCollection of Points. Kept apart
// from the router so that it can be tested and fuzzed on its own (tests/fuzz/incident_request).

#include "http_error.hpp"

#include "geo/incident/incident.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace tileserver {

/// Most features one POST may carry (more: 413).
inline constexpr std::size_t max_features_per_post = 1000;

/// The string property `key` of a JSON object, at most `max` bytes (and not empty when required);
/// "" when absent and not required. Throws HttpError 400 naming the property.
[[nodiscard]] std::string bounded_string(const nlohmann::json& props, const char* key, std::size_t max, bool required);

/// The incidents a request body asks to create. Throws HttpError (400 or 413) naming the first
/// problem and the feature it is in; any other exception would be a bug.
[[nodiscard]] std::vector<geo::incident::NewIncident> parse_incident_request(const nlohmann::json& body);

} // namespace tileserver
