#pragma once
// Server configuration: defaults, an optional JSON config file, then command-line options on top.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tileserver {

/// Limits that protect the server from hostile or broken clients.
struct Limits {
    std::size_t max_body_bytes = 1024 * 1024;         ///< larger bodies get 413
    std::size_t max_header_bytes = 16 * 1024;         ///< larger request heads get 431
    std::size_t max_connections = 1024;               ///< more concurrent connections get 503
    std::chrono::milliseconds header_timeout{10'000}; ///< time to send a complete request head
    std::chrono::milliseconds body_timeout{30'000};   ///< time to send the body after the head
    std::chrono::milliseconds write_timeout{30'000};  ///< time for a client to take a response
    std::chrono::milliseconds drain_timeout{10'000};  ///< SIGTERM: wait this long for requests in flight
};

/// One scenario GeoPackage to serve, named for the URL (/scenarios/{name}/…).
struct ScenarioSource {
    std::string name;
    std::string path;
    std::string label;       ///< title in the page's switcher (default: name)
    std::string attribution; ///< extra attribution text (OSM attribution is detected by itself)
    bool synthetic = false;  ///< force the "synthetic" label
};

struct ServerConfig {
    std::string bind = "127.0.0.1";
    std::uint16_t port = 8080;
    std::string token;          ///< bearer token for writes; empty = writes refused
    std::string read_token;     ///< when set, data routes need it (or `token`); empty = reads are open
    std::size_t cache_mb = 256; ///< byte budget of the encoded-tile cache
    unsigned threads = 0;       ///< 0 = one per core
    int min_zoom = 0;
    int max_zoom = 18;       ///< tiles above this zoom are 400
    std::string web_dir;     ///< index.html, app.js, app.css
    std::string styles_dir;  ///< MapLibre styles (*.json)
    std::string vendor_dir;  ///< maplibre-gl.js / maplibre-gl.css
    std::string basemap_url; ///< optional raster basemap template for the page
    Limits limits;
    std::vector<ScenarioSource> scenarios;
};

/// Merge a JSON config file into `config`; throws geo::InputError with the key at fault.
void load_config_file(const std::string& path, ServerConfig& config);

/// "NAME=PATH" or "PATH" (name = file stem, lower-cased, [a-z0-9_-] only).
[[nodiscard]] ScenarioSource parse_scenario_argument(const std::string& argument);

} // namespace tileserver
