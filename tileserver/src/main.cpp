// tileserver: serve scenario GeoPackages as vector tiles, TileJSON, MapLibre styles, a JSON API
// and the command-centre page. See docs/tileserver.md.

#include "catalog.hpp"
#include "config.hpp"
#include "router.hpp"
#include "server.hpp"
#include "static_files.hpp"

#include "geo/core/error.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdlib>
#include <iostream>

int main(int argc, char** argv) {
    using namespace tileserver;
    ServerConfig config;
    config.web_dir = TILESERVER_WEB_DIR;
    config.styles_dir = TILESERVER_STYLES_DIR;
    config.vendor_dir = TILESERVER_VENDOR_DIR;

    CLI::App app{"tileserver: vector tiles, TileJSON, MapLibre styles and the command-centre map for scenario "
                 "GeoPackages"};
    std::vector<std::string> scenarios;
    std::string config_file;
    std::string bind, token, read_token, web_dir, styles_dir, vendor_dir, basemap;
    int port = -1;
    long long cache_mb = -1, max_body = -1, max_connections = -1;
    double header_timeout = -1, body_timeout = -1;
    int threads = -1, max_zoom = -1;
    app.add_option("scenarios", scenarios, "Scenario GeoPackages (PATH or NAME=PATH)");
    app.add_option("--config", config_file, "JSON config file (command-line options win)");
    app.add_option("--bind", bind, "Address to listen on (default 127.0.0.1)");
    app.add_option("--port", port, "Port (default 8080; 0 picks a free one)")->check(CLI::Range(0, 65535));
    app.add_option("--token", token, "Bearer token for writes (default: $TILESERVER_TOKEN; none = read-only)");
    app.add_option("--read-token", read_token,
                   "Token that data routes need (default: $TILESERVER_READ_TOKEN; none = reads are open)");
    app.add_option("--cache-mb", cache_mb, "Tile cache budget in MiB (default 256)")->check(CLI::Range(0, 1 << 20));
    app.add_option("--threads", threads, "I/O threads (default: one per core)")->check(CLI::Range(1, 256));
    app.add_option("--max-zoom", max_zoom, "Highest zoom served (default 18)")->check(CLI::Range(0, 22));
    app.add_option("--max-body-bytes", max_body, "Largest request body (default 1 MiB)")
        ->check(CLI::Range(0LL, 1LL << 34));
    app.add_option("--max-connections", max_connections, "Concurrent connections before 503 (default 1024)")
        ->check(CLI::Range(1LL, 1LL << 20));
    app.add_option("--header-timeout", header_timeout, "Seconds to send a request head (default 10)")
        ->check(CLI::PositiveNumber);
    app.add_option("--body-timeout", body_timeout, "Seconds to send a request body (default 30)")
        ->check(CLI::PositiveNumber);
    app.add_option("--web-dir", web_dir, "Page assets (default: tileserver/web of the source tree)");
    app.add_option("--styles-dir", styles_dir, "MapLibre styles (default: styles/ of the source tree)");
    app.add_option("--vendor-dir", vendor_dir, "maplibre-gl dist directory (default: node_modules)");
    app.add_option("--basemap-url", basemap, "Optional raster basemap URL template for the page ({z}/{x}/{y})");
    std::vector<std::string> labels, attributions;
    // allow_extra_args(false): each occurrence takes one value, so a repeated option does
    // not swallow the SCENARIO arguments that follow it.
    app.add_option("--label", labels, "NAME=TEXT: a scenario's title in the page's switcher (repeatable)")
        ->allow_extra_args(false);
    app.add_option("--attribution", attributions, "NAME=TEXT: attribution for a scenario's data (repeatable)")
        ->allow_extra_args(false);
    CLI11_PARSE(app, argc, argv);

    try {
        if (!config_file.empty()) {
            load_config_file(config_file, config);
        }
        if (const char* env = std::getenv("TILESERVER_TOKEN"); env != nullptr && token.empty()) {
            token = env;
        }
        if (const char* env = std::getenv("TILESERVER_READ_TOKEN"); env != nullptr && read_token.empty()) {
            read_token = env;
        }
        if (!bind.empty())
            config.bind = bind;
        if (port >= 0)
            config.port = static_cast<std::uint16_t>(port);
        if (!token.empty())
            config.token = token;
        if (!read_token.empty())
            config.read_token = read_token;
        if (cache_mb >= 0)
            config.cache_mb = static_cast<std::size_t>(cache_mb);
        if (threads > 0)
            config.threads = static_cast<unsigned>(threads);
        if (max_zoom >= 0)
            config.max_zoom = max_zoom;
        if (max_body >= 0)
            config.limits.max_body_bytes = static_cast<std::size_t>(max_body);
        if (max_connections > 0)
            config.limits.max_connections = static_cast<std::size_t>(max_connections);
        if (header_timeout > 0)
            config.limits.header_timeout = std::chrono::milliseconds(static_cast<long long>(header_timeout * 1000));
        if (body_timeout > 0)
            config.limits.body_timeout = std::chrono::milliseconds(static_cast<long long>(body_timeout * 1000));
        if (!web_dir.empty())
            config.web_dir = web_dir;
        if (!styles_dir.empty())
            config.styles_dir = styles_dir;
        if (!vendor_dir.empty())
            config.vendor_dir = vendor_dir;
        if (!basemap.empty())
            config.basemap_url = basemap;
        for (const auto& s : scenarios) {
            config.scenarios.push_back(parse_scenario_argument(s));
        }
        auto apply = [&config](const std::vector<std::string>& items, std::string ScenarioSource::*field,
                               const char* option) {
            for (const auto& item : items) {
                const auto eq = item.find('=');
                auto it = std::find_if(config.scenarios.begin(), config.scenarios.end(),
                                       [&](const ScenarioSource& s) { return s.name == item.substr(0, eq); });
                if (eq == std::string::npos || it == config.scenarios.end()) {
                    throw geo::InputError(std::string(option) + " '" + item + "' names no scenario", {},
                                          "use NAME=TEXT with the NAME of a scenario");
                }
                (*it).*field = item.substr(eq + 1);
            }
        };
        apply(labels, &ScenarioSource::label, "--label");
        apply(attributions, &ScenarioSource::attribution, "--attribution");
        if (config.scenarios.empty()) {
            throw geo::InputError("no scenario GeoPackage given", {}, "tileserver [options] SCENARIO.gpkg...");
        }
        config.max_zoom = std::min(config.max_zoom, max_supported_zoom);

        const StaticFiles files(config.web_dir, config.vendor_dir, config.styles_dir);
        LayerCatalog catalog(config.scenarios);
        Router router(config, catalog, files);
        Server server(config, router);
        for (const auto& s : catalog.scenarios()) {
            std::cerr << "tileserver: scenario " << s->name << " (" << s->path << "): ";
            for (const auto& n : s->layer_names()) {
                std::cerr << n << ' ';
            }
            std::cerr << (s->synthetic ? "[synthetic]" : "") << '\n';
        }
        if (config.token.empty()) {
            std::cerr << "tileserver: no token: POST/PATCH are refused (set --token or TILESERVER_TOKEN)\n";
        }
        if (!config.read_token.empty()) {
            // Only the fact, never the value: logs are read by more people than the token is meant for.
            std::cerr << "tileserver: reads need a token (--read-token): tiles, styles, /api and /metrics\n";
        }
        std::cout << "tileserver listening on http://" << config.bind << ":" << server.port() << "/" << std::endl;
        server.run();
        std::cerr << "tileserver: stopped\n";
        return 0;
    } catch (const geo::Error& e) {
        // what() already names the file/layer and ends with the hint.
        std::cerr << "tileserver: " << e.what() << '\n';
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "tileserver: " << e.what() << '\n';
        return 1;
    }
}
