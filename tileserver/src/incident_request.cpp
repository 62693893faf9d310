#include "incident_request.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>

namespace tileserver {

using json = nlohmann::json;
namespace inc = geo::incident;
namespace http = boost::beast::http;

std::string bounded_string(const json& props, const char* key, std::size_t max, bool required) {
    if (!props.contains(key) || props[key].is_null()) {
        if (required) {
            throw HttpError{http::status::bad_request, std::string("property '") + key + "' is required"};
        }
        return {};
    }
    if (!props[key].is_string()) {
        throw HttpError{http::status::bad_request, std::string("property '") + key + "' must be a string"};
    }
    auto s = props[key].get<std::string>();
    if (s.size() > max || (required && s.empty())) {
        throw HttpError{http::status::bad_request,
                        std::string("property '") + key + "' must have 1-" + std::to_string(max) + " bytes"};
    }
    return s;
}

namespace {

/// The GeoJSON "type" member of an object; "" when missing or not a string. (json::value() would
/// throw a type_error for {"type": 5}, which reached the client as a 500: found by
/// tests/fuzz/targets/incident_request.cpp, kept as corpus/incident_request/regression-type-not-string.json.)
std::string geojson_type(const json& object) {
    const auto it = object.find("type");
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// Why [lon, lat] is outside WGS 84, by the rules the CLI applies to files (libgeo's coordinate
/// check in io/gdal.cpp); "" when the numbers say nothing more (NaN cannot come in as JSON).
std::string out_of_range_hint(double lon, double lat) {
    const double largest = std::max(std::abs(lon), std::abs(lat));
    if (!std::isfinite(largest)) {
        return {};
    }
    if (largest > 1e9) {
        return ": beyond any coordinate reference system";
    }
    if (largest > 1000.0) {
        return ": they look like metres of a projected CRS (send WGS 84 longitude and latitude)";
    }
    if (std::abs(lon) <= 90.0 && std::abs(lat) > 90.0) {
        return ": latitude and longitude look swapped (GeoJSON is [lon, lat])";
    }
    return {};
}

inc::NewIncident parse_incident_feature(const json& f, std::size_t index) {
    const std::string where = " (feature " + std::to_string(index) + ")";
    if (!f.is_object() || geojson_type(f) != "Feature") {
        throw HttpError{http::status::bad_request, "expected a GeoJSON Feature" + where};
    }
    const auto g = f.find("geometry");
    if (g == f.end() || !g->is_object() || geojson_type(*g) != "Point" || !g->contains("coordinates") ||
        !(*g)["coordinates"].is_array() || (*g)["coordinates"].size() < 2 || !(*g)["coordinates"][0].is_number() ||
        !(*g)["coordinates"][1].is_number()) {
        throw HttpError{http::status::bad_request, "geometry must be a Point with [lon, lat]" + where};
    }
    const double lon = (*g)["coordinates"][0].get<double>();
    const double lat = (*g)["coordinates"][1].get<double>();
    if (!std::isfinite(lon) || !std::isfinite(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90) {
        throw HttpError{http::status::bad_request, "coordinates out of range" + where + out_of_range_hint(lon, lat)};
    }
    const json props = f.contains("properties") && f["properties"].is_object() ? f["properties"] : json::object();
    inc::NewIncident n;
    n.location = {lon, lat};
    n.category = bounded_string(props, "category", 64, true);
    n.description = bounded_string(props, "description", 2000, false);
    n.external_id = bounded_string(props, "external_id", 128, false);
    if (n.external_id.empty() && f.contains("id") && (f["id"].is_string() || f["id"].is_number_integer())) {
        n.external_id = f["id"].is_string() ? f["id"].get<std::string>() : std::to_string(f["id"].get<long long>());
        if (n.external_id.size() > 128) {
            throw HttpError{http::status::bad_request, "feature id too long" + where};
        }
    }
    const auto reported = bounded_string(props, "reported_at", 64, false);
    if (reported.empty()) {
        n.reported_at = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    } else if (const auto t = inc::parse_time(reported)) {
        n.reported_at = *t;
    } else {
        throw HttpError{http::status::bad_request, "'reported_at' must be an ISO-8601 time" + where};
    }
    if (props.contains("synthetic")) {
        if (!props["synthetic"].is_boolean()) {
            throw HttpError{http::status::bad_request, "'synthetic' must be true or false" + where};
        }
        n.synthetic = props["synthetic"].get<bool>();
    }
    n.source = "api";
    return n;
}

} // namespace

std::vector<inc::NewIncident> parse_incident_request(const json& body) {
    std::vector<inc::NewIncident> items;
    if (body.is_object() && geojson_type(body) == "FeatureCollection") {
        if (!body.contains("features") || !body["features"].is_array() || body["features"].empty()) {
            throw HttpError{http::status::bad_request, "a FeatureCollection needs a non-empty 'features' array"};
        }
        if (body["features"].size() > max_features_per_post) {
            throw HttpError{http::status::payload_too_large,
                            "at most " + std::to_string(max_features_per_post) + " features per request"};
        }
        for (std::size_t i = 0; i < body["features"].size(); ++i) {
            items.push_back(parse_incident_feature(body["features"][i], i));
        }
    } else {
        items.push_back(parse_incident_feature(body, 0));
    }
    return items;
}

} // namespace tileserver
