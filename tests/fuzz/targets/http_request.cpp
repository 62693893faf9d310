// Fuzz target: the server's whole request path minus the socket — the bytes of one HTTP request
// go through Boost.Beast's parser with the server's limits, then Router::handle() answers it
// against a small scenario (3 × 3 grids, a jurisdiction, facilities) written at start-up.
// Covers the target, query string, headers (Authorization, If-None-Match, Accept-Encoding,
// Content-Type) and bodies of every route, including writes with the right token.
// Properties: no request makes the router fail internally (500) or throw; every answer carries
// the security headers; an error body is short JSON {"error": …} that never shows the
// scenario's file path or SQL.
#include "fuzz_support.hpp"

#include "catalog.hpp"
#include "config.hpp"
#include "router.hpp"
#include "static_files.hpp"

#include "geo/core/geometry.hpp"
#include "geo/io/feature.hpp"
#include "geo/io/writer.hpp"

#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <unistd.h>

namespace {

namespace http = boost::beast::http;
namespace io = geo::io;

struct Fixture {
    std::string dir;
    tileserver::ServerConfig config;
    std::unique_ptr<tileserver::StaticFiles> files;
    std::unique_ptr<tileserver::LayerCatalog> catalog;
    std::unique_ptr<tileserver::Router> router;
};

Fixture* fixture = nullptr;

geo::core::Geometry box(double x0, double y0, double x1, double y1) {
    return geo::core::Geometry::box({x0, y0, x1, y1});
}

std::string write_scenario(const std::string& dir) {
    const std::string path = dir + "/fuzz.gpkg";
    const double lon0 = 7.41, lat0 = 43.72, step = 0.005;
    auto jurisdictions = io::make_layer("jurisdictions", {{"code", io::FieldType::string}, {"name", io::FieldType::string}});
    jurisdictions.features.push_back({-1, box(lon0, lat0, lon0 + 3 * step, lat0 + 3 * step), {"120116001001", "test"}});
    io::write_layer(path, jurisdictions);
    auto grids = io::make_layer("grids", {{"code", io::FieldType::string}, {"parent_code", io::FieldType::string}});
    int seq = 1;
    for (int row = 0; row < 3; ++row) {
        for (int col = 0; col < 3; ++col) {
            const double x = lon0 + col * step, y = lat0 + (2 - row) * step;
            grids.features.push_back(
                {-1, box(x, y, x + step, y + step), {"120116001001" + std::string("00") + std::to_string(seq++), "120116001001"}});
        }
    }
    io::write_layer(path, grids);
    auto facilities = io::make_layer("facilities", {{"name", io::FieldType::string}, {"category", io::FieldType::string}});
    facilities.features.push_back({-1, geo::core::Geometry::point({lon0 + 0.002, lat0 + 0.002}), {"Clinic", "clinic"}});
    facilities.features.push_back({-1, geo::core::Geometry::point({lon0 + 0.012, lat0 + 0.007}), {"School", "school"}});
    io::write_layer(path, facilities);
    return path;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    // tmpfs when there is one: the store syncs every write (synchronous=FULL).
    std::string base = std::filesystem::exists("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path().string();
    std::string pattern = base + "/geo-fuzz-http-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
        fuzz::fail("mkdtemp failed");
    }
    fixture = new Fixture;
    fixture->dir = pattern;
    fixture->config.token = "fuzz-token";
    fixture->config.max_zoom = 18;
    fixture->config.scenarios.push_back({"demo", write_scenario(fixture->dir), "Fuzz scenario", "", true});
    fixture->files = std::make_unique<tileserver::StaticFiles>(GEO_SOURCE_DIR "/tileserver/web",
                                                               GEO_SOURCE_DIR "/node_modules/maplibre-gl/dist",
                                                               GEO_SOURCE_DIR "/styles");
    fixture->catalog = std::make_unique<tileserver::LayerCatalog>(fixture->config.scenarios);
    fixture->router = std::make_unique<tileserver::Router>(fixture->config, *fixture->catalog, *fixture->files);
    std::atexit([] { std::filesystem::remove_all(fixture->dir); });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > 64 * 1024) {
        return 0;
    }
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(fixture->config.limits.max_header_bytes));
    parser.body_limit(fixture->config.limits.max_body_bytes);
    parser.eager(true);
    boost::beast::error_code ec;
    parser.put(boost::asio::buffer(data, size), ec);
    if (!ec && !parser.is_done()) {
        parser.put_eof(ec); // the client closed: a body without length ends here
    }
    if (ec || !parser.is_done()) {
        return 0; // the server answers 400/413/431 or waits: Beast's part, not the router's
    }
    const auto response = fixture->router->handle(parser.get());
    const unsigned status = response.result_int();
    fuzz::check(status != 500, "internal error for request", std::string_view(reinterpret_cast<const char*>(data), size));
    fuzz::check(response["X-Content-Type-Options"] == "nosniff", "missing X-Content-Type-Options");
    fuzz::check(response.find("X-Frame-Options") != response.end(), "missing X-Frame-Options");
    if (status >= 400) {
        const auto& body = response.body();
        fuzz::check(body.find(fixture->dir) == std::string::npos, "error shows a file path", body);
        // Errors may quote what the client sent (a layer name), so only SQL the request did not
        // contain counts as a leak of internals.
        const std::string_view request(reinterpret_cast<const char*>(data), size);
        for (const char* internal : {"SQL", "sqlite", "SQLITE"}) {
            fuzz::check(body.find(internal) == std::string::npos || request.find(internal) != std::string_view::npos,
                        "error shows SQL", body);
        }
        if (!body.empty()) {
            const auto j = nlohmann::json::parse(body, nullptr, false);
            fuzz::check(j.is_object() && j.contains("error") && j["error"].is_string(), "error body is not {error}", body);
        }
    }
    return 0;
}
