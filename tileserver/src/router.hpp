#pragma once
// Router: turns one complete HTTP request into one response. Pure request → response logic,
// independent of sockets, so every rule (status codes, headers, caching) lives here.

#include "catalog.hpp"
#include "config.hpp"
#include "metrics.hpp"
#include "renderer.hpp"
#include "static_files.hpp"
#include "tile_cache.hpp"

#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <string>

namespace tileserver {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

class Router {
  public:
    Router(const ServerConfig& config, LayerCatalog& catalog, const StaticFiles& files);

    /// Answer one request; never throws (internal failures become 500 without details).
    [[nodiscard]] Response handle(const Request& request);

    /// While draining (SIGTERM), responses close their connection and /health says 503.
    void set_draining() noexcept { m_draining = true; }
    [[nodiscard]] bool draining() const noexcept { return m_draining; }

    [[nodiscard]] Metrics& metrics() noexcept { return m_metrics; }
    [[nodiscard]] TileCache& cache() noexcept { return m_cache; }

    struct Context; // one request being answered (router.cpp)

  private:
    Response route(Context& ctx);
    Response tile(Context& ctx, const std::string& layers, const std::string& z, const std::string& x,
                  const std::string& y);
    Response tilejson(Context& ctx, const std::string& layers);
    Response style(Context& ctx, const std::string& name);
    Response health(Context& ctx);
    Response metrics_text(Context& ctx);
    Response scenarios(Context& ctx);
    Response grid(Context& ctx, const std::string& code);
    Response stats(Context& ctx);
    Response list_incidents(Context& ctx);
    Response post_incidents(Context& ctx);
    Response patch_incident(Context& ctx, const std::string& id);
    Response static_file(Context& ctx, const std::string& path);

    void authorize_read(Context& ctx) const;
    void invalidate_incident(const Scenario& scenario, const geo::core::XY& mercator,
                             const std::optional<std::string>& grid_code, bool grid_count_changed);
    std::string base_url(const Context& ctx) const;

    const ServerConfig& m_config;
    LayerCatalog& m_catalog;
    const StaticFiles& m_files;
    Metrics m_metrics;
    TileCache m_cache;
    TileRenderer m_renderer;
    std::atomic<bool> m_draining{false};
    std::chrono::steady_clock::time_point m_started = std::chrono::steady_clock::now();
};

} // namespace tileserver
