#include "router.hpp"

#include "gzip.hpp"
#include "http_util.hpp"
#include "http_error.hpp"
#include "incident_request.hpp"
#include "incidents.hpp"
#include "response_headers.hpp"

#include "geo/core/error.hpp"
#include "geo/incident/incident.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iostream>
#include <map>
#include <set>

namespace tileserver {

using json = nlohmann::json;
namespace inc = geo::incident;

namespace {

constexpr std::size_t max_layers_per_tile = 16;
constexpr int tilejson_maxzoom = 16;

std::vector<std::string> split(std::string_view text, char sep) {
    std::vector<std::string> parts;
    std::size_t pos = 0;
    while (true) {
        const auto end = text.find(sep, pos);
        parts.emplace_back(text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
        if (end == std::string_view::npos) {
            break;
        }
        pos = end + 1;
    }
    return parts;
}

bool ends_with(const std::string& s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::optional<long long> parse_int(const std::string& text) {
    if (text.empty() || text.size() > 10) {
        return std::nullopt;
    }
    long long v = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || ptr != text.data() + text.size()) {
        return std::nullopt;
    }
    return v;
}

json lonlat_bounds_json(const geo::core::Box& b) {
    if (b.empty()) {
        return json::array({-180.0, -85.0511, 180.0, 85.0511});
    }
    return json::array({b.min_x, b.min_y, b.max_x, b.max_y});
}

json center_json(const geo::core::Box& b) {
    if (b.empty()) {
        return json::array({0.0, 0.0, 1});
    }
    const double span = std::max({b.width(), b.height(), 1e-6});
    const int zoom = std::clamp(static_cast<int>(std::floor(std::log2(360.0 / span))), 0, tilejson_maxzoom);
    return json::array({b.center().x, b.center().y, zoom});
}

const char* field_type_name(geo::io::FieldType t) {
    switch (t) {
    case geo::io::FieldType::int64:
    case geo::io::FieldType::real: return "Number";
    case geo::io::FieldType::boolean: return "Boolean";
    default: return "String";
    }
}

json value_json(const geo::io::Value& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v))
        return *i;
    if (const auto* d = std::get_if<double>(&v))
        return std::isfinite(*d) ? json(*d) : json(nullptr);
    if (const auto* s = std::get_if<std::string>(&v))
        return *s;
    if (const auto* b = std::get_if<bool>(&v))
        return *b;
    return nullptr;
}

json incident_json(const inc::Incident& i) {
    return json{{"id", i.id},
                {"external_id", i.external_id},
                {"category", i.category},
                {"description", i.description},
                {"status", inc::to_string(i.status)},
                {"open", inc::is_open(i.status)},
                {"reported_at", inc::format_time(i.reported_at)},
                {"updated_at", inc::format_time(i.updated_at)},
                {"grid_code", i.grid_code ? json(*i.grid_code) : json(nullptr)},
                {"jurisdiction_code", i.jurisdiction_code ? json(*i.jurisdiction_code) : json(nullptr)},
                {"outside", i.outside},
                {"source", i.source},
                {"synthetic", i.synthetic},
                {"location", json::array({i.location.x, i.location.y})}};
}

const std::string& attribution_of(const Scenario& s) {
    return s.attribution;
}

} // namespace

struct Router::Context {
    const Request& request;
    std::string path;                         ///< decoded path without the scenario prefix
    std::vector<std::string> segments;        ///< decoded path segments
    std::map<std::string, std::string> query; ///< decoded query parameters
    std::string scenario_prefix;              ///< "/scenarios/{name}" or ""
    Scenario* scenario = nullptr;             ///< resolved scenario (default: the first)
    std::string route = "unknown";            ///< metrics label
    std::string query_token;                  ///< the ?token= that authorised this read, if any

    /// "?token=…" (or "&token=…") for URLs this response hands out: a client that could only put
    /// the token in the query (a MapLibre tile URL) must find it in the URLs it follows next.
    [[nodiscard]] std::string token_parameter(char separator) const {
        return query_token.empty() ? std::string() : separator + ("token=" + url_encode(query_token));
    }

    [[nodiscard]] Scenario& need_scenario() const {
        if (scenario == nullptr) {
            throw HttpError{http::status::not_found, "unknown scenario"};
        }
        return *scenario;
    }
};

Router::Router(const ServerConfig& config, LayerCatalog& catalog, const StaticFiles& files)
    : m_config(config), m_catalog(catalog), m_files(files), m_cache(config.cache_mb * 1024 * 1024) {}

std::string Router::base_url(const Context& ctx) const {
    const auto host = std::string(ctx.request[http::field::host]);
    const bool host_ok =
        !host.empty() && host.size() <= 255 && std::all_of(host.begin(), host.end(), [](unsigned char c) {
            return std::isalnum(c) != 0 || c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
        });
    if (host_ok) {
        return "http://" + host;
    }
    return "http://" + m_config.bind + ":" + std::to_string(m_config.port);
}

Response Router::handle(const Request& request) {
    const auto started = std::chrono::steady_clock::now();
    Context ctx{request, {}, {}, {}, {}, nullptr, "unknown", {}};
    Response res;
    try {
        res = route(ctx);
    } catch (const HttpError& e) {
        res = Response{e.status, request.version()};
        res.set(http::field::content_type, "application/json");
        res.body() = json{{"error", e.message}}.dump();
    } catch (const std::exception& e) {
        std::cerr << "tileserver: internal error on " << ctx.route << ": " << e.what() << '\n';
        res = Response{http::status::internal_server_error, request.version()};
        res.set(http::field::content_type, "application/json");
        res.body() = json{{"error", "internal error"}}.dump();
    }
    res.version(request.version());
    set_common_headers(res);
    if (res.result() == http::status::unauthorized) {
        res.set(http::field::www_authenticate, "Bearer realm=\"tileserver\"");
    }
    res.set(http::field::access_control_allow_origin, "*");
    res.set(http::field::access_control_expose_headers, "ETag, Content-Encoding");
    if (res.find(http::field::cache_control) == res.end()) {
        res.set(http::field::cache_control, "no-store");
    }
    res.keep_alive(request.keep_alive() && !m_draining);
    if (request.method() == http::verb::head) {
        const auto length = res.body().size();
        res.body().clear();
        res.content_length(length);
    } else {
        res.prepare_payload();
    }
    if (res.result() == http::status::no_content || res.result() == http::status::not_modified) {
        res.erase(http::field::content_length); // RFC 9110 §8.6: never on 204, not needed on 304
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    m_metrics.observe_request(ctx.route, res.result_int(), seconds);
    return res;
}

namespace {

Response json_response(const Request& req, http::status status, const json& body) {
    Response res{status, req.version()};
    res.set(http::field::content_type, "application/json");
    res.body() = body.dump();
    return res;
}

void require_method(const Request& req, std::initializer_list<http::verb> allowed) {
    for (auto v : allowed) {
        if (req.method() == v || (v == http::verb::get && req.method() == http::verb::head)) {
            return;
        }
    }
    throw HttpError{http::status::method_not_allowed, "method not allowed"};
}

bool etag_matches(std::string_view if_none_match, const std::string& etag) {
    // Weak comparison (RFC 9110 §13.1.2): W/ prefixes and our "-gz" variant suffix are ignored.
    if (if_none_match.empty()) {
        return false;
    }
    const std::string base = etag.substr(1, etag.size() - 2);
    for (auto item : split(if_none_match, ',')) {
        item.erase(0, item.find_first_not_of(" \t"));
        item.erase(item.find_last_not_of(" \t") + 1);
        if (item == "*") {
            return true;
        }
        if (item.rfind("W/", 0) == 0) {
            item.erase(0, 2);
        }
        if (item.size() >= 2 && item.front() == '"' && item.back() == '"') {
            item = item.substr(1, item.size() - 2);
        }
        if (ends_with(item, "-gz")) {
            item.resize(item.size() - 3);
        }
        if (item == base) {
            return true;
        }
    }
    return false;
}

/// 200 / 304 with ETag and optional gzip for bytes that have both encodings ready.
Response cached_bytes_response(const Request& req, const std::string& raw, const std::string& gz,
                               const std::string& etag, const std::string& content_type,
                               const std::string& cache_control) {
    const bool gzip = !gz.empty() && accepts_gzip(req[http::field::accept_encoding]);
    const std::string sent_etag = gzip ? etag.substr(0, etag.size() - 1) + "-gz\"" : etag;
    if (etag_matches(req[http::field::if_none_match], etag)) {
        Response res{http::status::not_modified, req.version()};
        res.set(http::field::etag, sent_etag);
        res.set(http::field::cache_control, cache_control);
        res.set(http::field::vary, "Accept-Encoding");
        return res;
    }
    Response res{http::status::ok, req.version()};
    res.set(http::field::content_type, content_type);
    res.set(http::field::etag, sent_etag);
    res.set(http::field::cache_control, cache_control);
    res.set(http::field::vary, "Accept-Encoding");
    if (gzip) {
        res.set(http::field::content_encoding, "gzip");
        res.body() = gz;
    } else {
        res.body() = raw;
    }
    return res;
}

} // namespace

Response Router::route(Context& ctx) {
    const auto& req = ctx.request;
    const std::string_view target = req.target();
    if (target.empty() || target.front() != '/') {
        throw HttpError{http::status::bad_request, "invalid request target"};
    }
    const auto qmark = target.find('?');
    const auto raw_path = target.substr(0, qmark);
    if (qmark != std::string_view::npos) {
        for (const auto& pair : split(target.substr(qmark + 1), '&')) {
            if (pair.empty()) {
                continue;
            }
            const auto eq = pair.find('=');
            auto key = url_decode(std::string_view(pair).substr(0, eq), true);
            auto value =
                url_decode(eq == std::string::npos ? std::string_view() : std::string_view(pair).substr(eq + 1), true);
            if (!key || !value) {
                throw HttpError{http::status::bad_request, "malformed query string"};
            }
            ctx.query[*key] = *value;
        }
    }
    for (const auto& raw_segment : split(raw_path.substr(1), '/')) {
        auto segment = url_decode(raw_segment, false);
        if (!segment || *segment == ".." || *segment == "." || segment->find('/') != std::string::npos ||
            segment->find('\\') != std::string::npos) {
            throw HttpError{http::status::bad_request, "invalid path"};
        }
        ctx.segments.push_back(*segment);
    }
    if (!ctx.segments.empty() && ctx.segments.back().empty()) {
        ctx.segments.pop_back(); // trailing slash
    }

    if (req.method() == http::verb::options) {
        ctx.route = "preflight";
        Response res{http::status::no_content, req.version()};
        res.set(http::field::access_control_allow_methods, "GET, HEAD, POST, PATCH, OPTIONS");
        res.set(http::field::access_control_allow_headers, "Authorization, Content-Type, If-None-Match");
        res.set(http::field::access_control_max_age, "600");
        return res;
    }

    // Scenario: /scenarios/{name}/… or ?scenario=name; otherwise the first scenario.
    std::string scenario_name;
    if (ctx.segments.size() >= 2 && ctx.segments[0] == "scenarios") {
        scenario_name = ctx.segments[1];
        ctx.scenario_prefix = "/scenarios/" + scenario_name;
        ctx.segments.erase(ctx.segments.begin(), ctx.segments.begin() + 2);
        if (scenario_name.empty()) {
            throw HttpError{http::status::not_found, "unknown scenario"};
        }
    } else if (const auto it = ctx.query.find("scenario"); it != ctx.query.end() && !it->second.empty()) {
        scenario_name = it->second;
        ctx.scenario_prefix = "/scenarios/" + scenario_name;
    }
    // Data routes may be closed to readers without a token; the page, its assets and /health hold
    // no data and stay open so that the page can load and ask for the token. Checked before the
    // scenario lookup so that a 404 does not tell strangers which scenario names exist.
    if (!ctx.segments.empty() && (ctx.segments[0] == "tiles" || ctx.segments[0] == "styles" ||
                                  ctx.segments[0] == "api" || ctx.segments[0] == "metrics")) {
        authorize_read(ctx);
    }
    ctx.scenario = m_catalog.find(scenario_name);
    if (!scenario_name.empty() && ctx.scenario == nullptr) {
        ctx.route = "unknown_scenario";
        throw HttpError{http::status::not_found, "unknown scenario"};
    }

    const auto& s = ctx.segments;
    if (s.size() == 1 && s[0] == "health") {
        return health(ctx);
    }
    if (s.size() == 1 && s[0] == "metrics") {
        return metrics_text(ctx);
    }
    if (s.size() == 2 && s[0] == "tiles" && ends_with(s[1], ".json")) {
        return tilejson(ctx, s[1].substr(0, s[1].size() - 5));
    }
    if (s.size() == 5 && s[0] == "tiles") {
        return tile(ctx, s[1], s[2], s[3], s[4]);
    }
    if (!s.empty() && s[0] == "tiles") {
        ctx.route = "tile";
        throw HttpError{http::status::not_found, "tile URLs are /tiles/{layer}/{z}/{x}/{y}.mvt"};
    }
    if (s.size() == 2 && s[0] == "styles" && ends_with(s[1], ".json")) {
        return style(ctx, s[1].substr(0, s[1].size() - 5));
    }
    if (s.size() >= 2 && s[0] == "api") {
        if (s.size() == 2 && s[1] == "scenarios") {
            return scenarios(ctx);
        }
        if (s.size() == 3 && s[1] == "grids") {
            return grid(ctx, s[2]);
        }
        if (s.size() == 2 && s[1] == "stats") {
            return stats(ctx);
        }
        if (s.size() == 2 && s[1] == "incidents") {
            if (req.method() == http::verb::post) {
                return post_incidents(ctx);
            }
            return list_incidents(ctx);
        }
        if (s.size() == 3 && s[1] == "incidents") {
            return patch_incident(ctx, s[2]);
        }
        ctx.route = "api";
        throw HttpError{http::status::not_found, "unknown API endpoint"};
    }
    std::string path;
    for (const auto& seg : s) {
        path += "/" + seg;
    }
    return static_file(ctx, path.empty() ? "/" : path);
}

Response Router::static_file(Context& ctx, const std::string& path) {
    ctx.route = "static";
    const StaticFile* f = m_files.find(path);
    if (f == nullptr) {
        throw HttpError{http::status::not_found, "not found"};
    }
    require_method(ctx.request, {http::verb::get});
    if (path == "/" || path == "/index.html") {
        ctx.route = "page";
    }
    auto res = cached_bytes_response(ctx.request, f->content, f->gzip, f->etag, f->content_type, f->cache_control);
    if (f->content_type.rfind("text/html", 0) == 0) {
        // Everything the page needs comes from this server; MapLibre runs its workers from blob: URLs.
        std::string img = "'self' data: blob:";
        std::string connect = "'self'";
        if (!m_config.basemap_url.empty()) {
            const auto scheme_end = m_config.basemap_url.find("://");
            const auto host_end = m_config.basemap_url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
            const auto origin = m_config.basemap_url.substr(0, host_end);
            img += " " + origin;
            connect += " " + origin;
        }
        res.set("Content-Security-Policy", "default-src 'self'; script-src 'self'; worker-src 'self' blob:; "
                                           "child-src blob:; style-src 'self' 'unsafe-inline'; img-src " +
                                               img + "; connect-src " + connect + "; frame-ancestors 'none'");
    }
    return res;
}

Response Router::health(Context& ctx) {
    ctx.route = "health";
    require_method(ctx.request, {http::verb::get});
    const auto uptime = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_started).count();
    json body{{"status", m_draining ? "draining" : "ok"},
              {"scenarios", m_catalog.scenarios().size()},
              {"uptime_s", std::round(uptime)}};
    return json_response(ctx.request, m_draining ? http::status::service_unavailable : http::status::ok, body);
}

Response Router::metrics_text(Context& ctx) {
    ctx.route = "metrics";
    require_method(ctx.request, {http::verb::get});
    std::string extra;
    extra += "# HELP tileserver_tile_cache_bytes Bytes held by the tile cache.\n"
             "# TYPE tileserver_tile_cache_bytes gauge\ntileserver_tile_cache_bytes " +
             std::to_string(m_cache.bytes()) + "\n";
    extra += "# HELP tileserver_tile_cache_entries Tiles held by the tile cache.\n"
             "# TYPE tileserver_tile_cache_entries gauge\ntileserver_tile_cache_entries " +
             std::to_string(m_cache.entries()) + "\n";
    extra += "# HELP tileserver_incidents Incidents held per scenario.\n# TYPE tileserver_incidents gauge\n";
    for (const auto& s : m_catalog.scenarios()) {
        extra += "tileserver_incidents{scenario=\"" + s->name + "\"} " +
                 std::to_string(s->incidents ? s->incidents->size() : 0) + "\n";
    }
    Response res{http::status::ok, ctx.request.version()};
    res.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
    res.body() = m_metrics.render(extra);
    return res;
}

namespace {

/// Requested layer list: names checked, duplicates dropped, standard layers the scenario lacks
/// skipped in composites (so one style fits every scenario); unknown names are 404.
std::vector<std::string> resolve_layers(const Scenario& scenario, const std::string& text) {
    std::vector<std::string> out;
    const auto names = split(text, ',');
    if (names.size() > max_layers_per_tile) {
        throw HttpError{http::status::bad_request, "too many layers"};
    }
    for (const auto& n : names) {
        if (!is_layer_name(n)) {
            throw HttpError{http::status::not_found, "unknown layer"};
        }
        if (std::find(out.begin(), out.end(), n) != out.end()) {
            continue;
        }
        if (scenario.has_layer(n)) {
            out.push_back(n);
        } else {
            const auto& std_names = standard_layers();
            if (names.size() == 1 || std::find(std_names.begin(), std_names.end(), n) == std_names.end()) {
                throw HttpError{http::status::not_found, "unknown layer '" + n + "'"};
            }
        }
    }
    return out;
}

IncidentQuery parse_incident_query(const std::map<std::string, std::string>& query) {
    IncidentQuery q;
    if (const auto it = query.find("category"); it != query.end() && !it->second.empty()) {
        for (auto& c : split(it->second, ',')) {
            if (!c.empty()) {
                q.categories.push_back(c);
            }
        }
        if (q.categories.size() > 64) {
            throw HttpError{http::status::bad_request, "too many categories"};
        }
    }
    for (const char* key : {"since", "until"}) {
        if (const auto it = query.find(key); it != query.end() && !it->second.empty()) {
            const auto t = inc::parse_time(it->second);
            if (!t) {
                throw HttpError{http::status::bad_request,
                                std::string("'") + key + "' must be an ISO-8601 time such as 2024-05-01T08:00:00Z"};
            }
            (std::string(key) == "since" ? q.since : q.until) = *t;
        }
    }
    return q;
}

} // namespace

Response Router::tile(Context& ctx, const std::string& layers_text, const std::string& zs, const std::string& xs,
                      const std::string& ys_ext) {
    ctx.route = "tile";
    require_method(ctx.request, {http::verb::get});
    const Scenario& scenario = ctx.need_scenario();
    if (!ends_with(ys_ext, ".mvt") && !ends_with(ys_ext, ".pbf")) {
        throw HttpError{http::status::not_found, "tile URLs end in .mvt"};
    }
    const auto z = parse_int(zs);
    const auto x = parse_int(xs);
    const auto y = parse_int(ys_ext.substr(0, ys_ext.size() - 4));
    if (!z || !x || !y) {
        throw HttpError{http::status::bad_request, "z, x and y must be non-negative integers"};
    }
    if (*z < m_config.min_zoom || *z > m_config.max_zoom || !valid_tile(static_cast<int>(*z), *x, *y)) {
        throw HttpError{http::status::bad_request, "tile out of range (zoom " + std::to_string(m_config.min_zoom) +
                                                       "-" + std::to_string(m_config.max_zoom) + ", 0 <= x,y < 2^z)"};
    }
    const auto layers = resolve_layers(scenario, layers_text);
    const bool has_incidents = std::find(layers.begin(), layers.end(), "incidents") != layers.end();
    const IncidentQuery filter = has_incidents ? parse_incident_query(ctx.query) : IncidentQuery{};
    const bool live = has_incidents || std::find(layers.begin(), layers.end(), "grids") != layers.end();
    // Behind a read token, shared caches must not keep tiles for readers without one.
    const std::string cache_control =
        live ? "no-cache" : (m_config.read_token.empty() ? "public, max-age=300" : "private, max-age=300");

    TileKey key{scenario.name, layers, filter.canonical(),
                TileId{static_cast<int>(*z), static_cast<std::uint32_t>(*x), static_cast<std::uint32_t>(*y)}};
    auto cached = m_cache.get(key);
    if (cached) {
        ++m_metrics.cache_hits;
    } else {
        ++m_metrics.cache_misses;
        const auto generation = m_cache.generation();
        auto tile = std::make_shared<EncodedTile>();
        tile->raw = layers.empty() ? std::string() : m_renderer.render(scenario, layers, key.tile, filter);
        ++m_metrics.tiles_encoded;
        if (!tile->raw.empty()) {
            tile->gzip = gzip_compress(tile->raw);
        }
        tile->etag = make_etag(tile->raw);
        m_cache.put(key, tile, generation);
        cached = std::move(tile);
    }
    if (cached->raw.empty()) {
        Response res{http::status::no_content, ctx.request.version()};
        res.set(http::field::cache_control, cache_control);
        return res;
    }
    return cached_bytes_response(ctx.request, cached->raw, cached->gzip, cached->etag,
                                 "application/vnd.mapbox-vector-tile", cache_control);
}

Response Router::tilejson(Context& ctx, const std::string& layers_text) {
    ctx.route = "tilejson";
    require_method(ctx.request, {http::verb::get});
    const Scenario& scenario = ctx.need_scenario();
    const auto layers = resolve_layers(scenario, layers_text);
    if (layers.empty()) {
        throw HttpError{http::status::not_found, "no such layers in this scenario"};
    }
    json vector_layers = json::array();
    geo::core::Box bounds;
    std::string names;
    for (const auto& name : layers) {
        names += (names.empty() ? "" : ",") + name;
        json fields = json::object();
        std::string description;
        if (name == "incidents") {
            fields = {{"id", "Number"},         {"category", "String"},    {"status", "String"},
                      {"open", "Boolean"},      {"reported_at", "String"}, {"grid_code", "String"},
                      {"synthetic", "Boolean"}, {"cluster", "Boolean"},    {"point_count", "Number"}};
            description = "12345 hotline incidents (live); clustered with point_count where dense";
            scenario.incidents->visit_all({}, [&](const LiveIncident& i) { bounds.expand(i.incident.location); });
        } else {
            const Layer* layer = scenario.layer(name);
            for (const auto& f : layer->fields()) {
                fields[f.name] = field_type_name(f.type);
            }
            if (name == "grids" && scenario.incidents) {
                fields["incident_count"] = "Number";
            }
            if (layer->kind() == GeometryKind::point) {
                fields["cluster"] = "Boolean";
                fields["point_count"] = "Number";
            }
            bounds.expand(layer->bounds_lonlat());
            description = (layer->synthetic ? "synthetic " : "") + name;
        }
        vector_layers.push_back({{"id", name},
                                 {"fields", fields},
                                 {"minzoom", m_config.min_zoom},
                                 {"maxzoom", std::min(tilejson_maxzoom, m_config.max_zoom)},
                                 {"description", description}});
    }
    const std::string base = base_url(ctx) + ctx.scenario_prefix;
    json body{{"tilejson", "3.0.0"},
              {"name", scenario.label + (scenario.synthetic ? " (synthetic)" : "") + ": " + names},
              {"scheme", "xyz"},
              {"tiles", json::array({base + "/tiles/" + names + "/{z}/{x}/{y}.mvt" + ctx.token_parameter('?')})},
              {"minzoom", m_config.min_zoom},
              {"maxzoom", std::min(tilejson_maxzoom, m_config.max_zoom)},
              {"bounds", lonlat_bounds_json(bounds)},
              {"center", center_json(bounds)},
              {"attribution", attribution_of(scenario)},
              {"vector_layers", vector_layers}};
    auto res = json_response(ctx.request, http::status::ok, body);
    res.set(http::field::cache_control, "no-cache");
    return res;
}

Response Router::style(Context& ctx, const std::string& name) {
    ctx.route = "style";
    require_method(ctx.request, {http::verb::get});
    const json* style = m_files.style(name);
    if (style == nullptr) {
        throw HttpError{http::status::not_found, "unknown style"};
    }
    const Scenario& scenario = ctx.need_scenario();
    json out = *style;
    // Sources in styles/ name server-relative URLs; make them absolute for this scenario and host.
    const std::string base = base_url(ctx) + ctx.scenario_prefix;
    if (out.contains("sources") && out["sources"].is_object()) {
        for (auto& [id, source] : out["sources"].items()) {
            if (source.contains("url") && source["url"].is_string()) {
                const auto url = source["url"].get<std::string>();
                if (!url.empty() && url.front() == '/') {
                    source["url"] = base + url + ctx.token_parameter(url.find('?') == std::string::npos ? '?' : '&');
                }
            }
            if (source.contains("attribution") || !scenario.attribution.empty()) {
                source["attribution"] = attribution_of(scenario);
            }
        }
    }
    // Drop layers whose source-layer this scenario lacks: MapLibre reports them as errors.
    if (out.contains("layers") && out["layers"].is_array()) {
        json kept = json::array();
        for (auto& layer : out["layers"]) {
            if (layer.contains("source-layer") && layer["source-layer"].is_string() &&
                !scenario.has_layer(layer["source-layer"].get<std::string>())) {
                continue;
            }
            kept.push_back(std::move(layer));
        }
        out["layers"] = std::move(kept);
    }
    out["metadata"]["tileserver:scenario"] = scenario.name;
    out["metadata"]["tileserver:synthetic"] = scenario.synthetic;
    const auto body = out.dump();
    return cached_bytes_response(ctx.request, body, {}, make_etag(body), "application/json", "no-cache");
}

Response Router::scenarios(Context& ctx) {
    ctx.route = "api_scenarios";
    require_method(ctx.request, {http::verb::get});
    json list = json::array();
    for (const auto& s : m_catalog.scenarios()) {
        json incidents = nullptr;
        if (s->incidents) {
            incidents = {{"count", s->incidents->size()},
                         {"version", s->incidents->version()},
                         {"max_id", s->incidents->max_id()},
                         {"writable", !m_config.token.empty()}};
        }
        list.push_back({{"name", s->name},
                        {"label", s->label},
                        {"synthetic", s->synthetic},
                        {"osm_derived", s->osm_derived},
                        {"attribution", attribution_of(*s)},
                        {"bounds", lonlat_bounds_json(s->bounds_lonlat)},
                        {"center", center_json(s->bounds_lonlat)},
                        {"layers", s->layer_names()},
                        {"categories", s->categories},
                        {"incidents", incidents}});
    }
    return json_response(ctx.request, http::status::ok, {{"scenarios", list}, {"basemap_url", m_config.basemap_url}});
}

Response Router::grid(Context& ctx, const std::string& code) {
    ctx.route = "api_grid";
    require_method(ctx.request, {http::verb::get});
    const Scenario& scenario = ctx.need_scenario();
    const Layer* grids = scenario.layer("grids");
    const auto index = grids ? grids->find("code", code) : std::nullopt;
    if (!index) {
        throw HttpError{http::status::not_found, "unknown grid code"};
    }
    const auto& f = grids->features()[*index];
    json properties = json::object();
    for (std::size_t i = 0; i < grids->fields().size(); ++i) {
        properties[grids->fields()[i].name] = value_json(f.attributes[i]);
    }
    const auto sw = mercator_to_lonlat({f.box.min_x, f.box.min_y});
    const auto ne = mercator_to_lonlat({f.box.max_x, f.box.max_y});
    json counts{
        {"total", 0}, {"open", 0}, {"last_7_days", 0}, {"by_category", json::object()}, {"by_status", json::object()}};
    if (scenario.incidents) {
        const auto week_ago = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) -
                              std::chrono::seconds(7 * 24 * 3600);
        std::int64_t total = 0, open = 0, week = 0;
        std::map<std::string, std::int64_t> by_category, by_status;
        scenario.incidents->visit_all({}, [&](const LiveIncident& live) {
            const auto& i = live.incident;
            if (!i.grid_code || *i.grid_code != code) {
                return;
            }
            ++total;
            open += inc::is_open(i.status) ? 1 : 0;
            week += i.reported_at >= week_ago ? 1 : 0;
            ++by_category[i.category];
            ++by_status[inc::to_string(i.status)];
        });
        counts = {{"total", total},
                  {"open", open},
                  {"last_7_days", week},
                  {"by_category", by_category},
                  {"by_status", by_status}};
    }
    return json_response(ctx.request, http::status::ok,
                         {{"code", code},
                          {"scenario", scenario.name},
                          {"properties", properties},
                          {"bounds", json::array({sw.x, sw.y, ne.x, ne.y})},
                          {"incidents", counts}});
}

Response Router::stats(Context& ctx) {
    ctx.route = "api_stats";
    require_method(ctx.request, {http::verb::get});
    const Scenario& scenario = ctx.need_scenario();
    const std::string by = ctx.query.count("by") ? ctx.query.at("by") : "grid";
    const std::string window = ctx.query.count("window") ? ctx.query.at("window") : "week";
    static const std::map<std::string, long long> windows{
        {"day", 86400}, {"week", 7 * 86400}, {"month", 30 * 86400}, {"year", 365 * 86400}, {"all", 0}};
    if (by != "grid" && by != "category" && by != "status" && by != "jurisdiction") {
        throw HttpError{http::status::bad_request, "'by' must be grid, category, status or jurisdiction"};
    }
    const auto w = windows.find(window);
    if (w == windows.end()) {
        throw HttpError{http::status::bad_request, "'window' must be day, week, month, year or all"};
    }
    auto until =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) + std::chrono::seconds(1);
    if (const auto it = ctx.query.find("until"); it != ctx.query.end()) {
        const auto t = inc::parse_time(it->second);
        if (!t) {
            throw HttpError{http::status::bad_request, "'until' must be an ISO-8601 time"};
        }
        until = *t;
    }
    IncidentQuery query =
        parse_incident_query({{"category", ctx.query.count("category") ? ctx.query.at("category") : ""}});
    query.until = until;
    if (w->second > 0) {
        query.since = until - std::chrono::seconds(w->second);
    }
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> counts; // key → (count, open)
    std::int64_t total = 0;
    if (scenario.incidents) {
        scenario.incidents->visit_all(query, [&](const LiveIncident& live) {
            const auto& i = live.incident;
            std::string key;
            if (by == "grid")
                key = i.grid_code.value_or("");
            else if (by == "jurisdiction")
                key = i.jurisdiction_code.value_or("");
            else if (by == "category")
                key = i.category;
            else
                key = inc::to_string(i.status);
            auto& c = counts[key];
            ++c.first;
            c.second += inc::is_open(i.status) ? 1 : 0;
            ++total;
        });
    }
    std::vector<std::pair<std::string, std::pair<std::int64_t, std::int64_t>>> sorted(counts.begin(), counts.end());
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.second.first > b.second.first; });
    json rows = json::array();
    for (const auto& [key, c] : sorted) {
        rows.push_back({{"key", key.empty() ? json(nullptr) : json(key)}, {"count", c.first}, {"open", c.second}});
    }
    return json_response(ctx.request, http::status::ok,
                         {{"scenario", scenario.name},
                          {"by", by},
                          {"window", window},
                          {"from", query.since ? json(inc::format_time(*query.since)) : json(nullptr)},
                          {"until", inc::format_time(until)},
                          {"total", total},
                          {"counts", rows}});
}

Response Router::list_incidents(Context& ctx) {
    ctx.route = "api_incidents";
    require_method(ctx.request, {http::verb::get, http::verb::post});
    const Scenario& scenario = ctx.need_scenario();
    if (!scenario.incidents) {
        throw HttpError{http::status::not_found, "this scenario has no incident store"};
    }
    std::int64_t after = 0;
    std::size_t limit = 100;
    if (const auto it = ctx.query.find("after_id"); it != ctx.query.end()) {
        const auto v = parse_int(it->second);
        if (!v)
            throw HttpError{http::status::bad_request, "'after_id' must be a non-negative integer"};
        after = *v;
    }
    if (const auto it = ctx.query.find("limit"); it != ctx.query.end()) {
        const auto v = parse_int(it->second);
        if (!v || *v < 1 || *v > 1000)
            throw HttpError{http::status::bad_request, "'limit' must be 1-1000"};
        limit = static_cast<std::size_t>(*v);
    }
    const IncidentQuery query = parse_incident_query(ctx.query);
    std::vector<inc::Incident> found;
    scenario.incidents->visit_all(query, [&](const LiveIncident& live) {
        if (live.incident.id > after) {
            found.push_back(live.incident);
        }
    });
    // Newest first: the page's ticker shows the latest arrivals.
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.id > b.id; });
    if (found.size() > limit) {
        found.resize(limit);
    }
    json features = json::array();
    for (const auto& i : found) {
        auto props = incident_json(i);
        props.erase("location");
        features.push_back({{"type", "Feature"},
                            {"id", i.id},
                            {"geometry", {{"type", "Point"}, {"coordinates", {i.location.x, i.location.y}}}},
                            {"properties", props}});
    }
    auto res = json_response(ctx.request, http::status::ok, {{"type", "FeatureCollection"}, {"features", features}});
    res.set(http::field::content_type, "application/geo+json");
    return res;
}

void Router::authorize_read(Context& ctx) const {
    if (m_config.read_token.empty()) {
        return;
    }
    const auto accepted = [this](std::string_view given) {
        // Both comparisons always run: the time must not tell which token (if any) was close.
        const bool read = constant_time_equal(given, m_config.read_token);
        const bool write = !m_config.token.empty() && constant_time_equal(given, m_config.token);
        return read || write;
    };
    if (const auto given = bearer_token(ctx.request[http::field::authorization]); given && accepted(*given)) {
        return;
    }
    // MapLibre cannot always send headers (tile URLs handed to other tools, <img>-style fetches),
    // so the token may also come in the query.
    if (const auto it = ctx.query.find("token"); it != ctx.query.end() && accepted(it->second)) {
        ctx.query_token = it->second;
        return;
    }
    throw HttpError{http::status::unauthorized, "a valid token is required (Authorization: Bearer or ?token=)"};
}

namespace {

void require_token(const Request& req, const std::string& token) {
    if (token.empty()) {
        throw HttpError{http::status::forbidden, "writes are disabled (the server has no token)"};
    }
    const auto given = bearer_token(req[http::field::authorization]);
    if (!given || !constant_time_equal(*given, token)) {
        throw HttpError{http::status::unauthorized, "a valid bearer token is required"};
    }
}

json parse_json_body(const Request& req) {
    const std::string_view type = req[http::field::content_type];
    if (type.rfind("application/json", 0) != 0 && type.rfind("application/geo+json", 0) != 0) {
        throw HttpError{http::status::unsupported_media_type, "send application/json or application/geo+json"};
    }
    try {
        return json::parse(req.body());
    } catch (const json::parse_error&) {
        throw HttpError{http::status::bad_request, "malformed JSON"};
    } catch (const json::out_of_range&) {
        // A number beyond a double (1e400) is reported by nlohmann::json as out_of_range 406, not
        // as a parse_error: it reached the client as a 500 (found with the bad-input corpus,
        // tests/data/bad/incident_overflow_coordinates.geojson).
        throw HttpError{http::status::bad_request, "malformed JSON: a number is out of range"};
    }
}

} // namespace

void Router::invalidate_incident(const Scenario& scenario, const geo::core::XY& m,
                                 const std::optional<std::string>& grid_code, bool grid_count_changed) {
    std::optional<geo::core::Box> grid_box;
    if (grid_count_changed && grid_code) {
        if (const Layer* grids = scenario.layer("grids")) {
            if (const auto index = grids->find("code", *grid_code)) {
                grid_box = grids->features()[*index].box;
            }
        }
    }
    for (int z = m_config.min_zoom; z <= m_config.max_zoom; ++z) {
        const double b = m_renderer.buffer_metres(z);
        m_cache.invalidate_range(scenario.name, "incidents", z,
                                 tiles_covering({m.x - b, m.y - b, m.x + b, m.y + b}, z));
        if (grid_box) {
            m_cache.invalidate_range(scenario.name, "grids", z, tiles_covering(grid_box->buffered(b), z));
        }
    }
}

Response Router::post_incidents(Context& ctx) {
    ctx.route = "api_incidents_post";
    Scenario& scenario = ctx.need_scenario();
    require_token(ctx.request, m_config.token);
    if (!scenario.incidents) {
        throw HttpError{http::status::service_unavailable, "this scenario has no writable incident store"};
    }
    std::vector<inc::NewIncident> items = parse_incident_request(parse_json_body(ctx.request));
    std::vector<IncidentService::Added> added;
    try {
        added = scenario.incidents->add(std::move(items));
    } catch (const geo::InputError& e) {
        throw HttpError{http::status::bad_request, e.message()};
    }
    json out = json::array();
    std::size_t created = 0;
    for (const auto& a : added) {
        if (a.created) {
            ++created;
            m_metrics.incidents_created++;
            invalidate_incident(scenario, lonlat_to_mercator(a.incident.location.x, a.incident.location.y),
                                a.incident.grid_code, true);
        }
        auto j = incident_json(a.incident);
        j["created"] = a.created;
        out.push_back(j);
    }
    auto res = json_response(ctx.request, created > 0 ? http::status::created : http::status::ok,
                             {{"created", created}, {"incidents", out}});
    if (added.size() == 1) {
        res.set(http::field::location, ctx.scenario_prefix + "/api/incidents/" + std::to_string(added[0].incident.id));
    }
    return res;
}

Response Router::patch_incident(Context& ctx, const std::string& id_text) {
    ctx.route = "api_incident";
    Scenario& scenario = ctx.need_scenario();
    const auto id = parse_int(id_text);
    if (!id || *id <= 0) {
        throw HttpError{http::status::not_found, "unknown incident"};
    }
    if (!scenario.incidents) {
        throw HttpError{http::status::not_found, "this scenario has no incident store"};
    }
    if (ctx.request.method() == http::verb::get || ctx.request.method() == http::verb::head) {
        const auto live = scenario.incidents->get(*id);
        if (!live) {
            throw HttpError{http::status::not_found, "unknown incident"};
        }
        return json_response(ctx.request, http::status::ok, incident_json(live->incident));
    }
    require_method(ctx.request, {http::verb::patch});
    require_token(ctx.request, m_config.token);
    const json body = parse_json_body(ctx.request);
    if (!body.is_object() || !body.contains("status") || !body["status"].is_string()) {
        throw HttpError{http::status::bad_request, "send {\"status\": \"dispatched\"} (and an optional note)"};
    }
    const std::string note = bounded_string(body, "note", 2000, false);
    inc::Incident updated;
    try {
        const auto to = inc::parse_status(body["status"].get<std::string>());
        updated = scenario.incidents->transition(*id, to, note);
    } catch (const inc::TransitionError& e) {
        throw HttpError{http::status::conflict, e.message()};
    } catch (const inc::NotFoundError&) {
        throw HttpError{http::status::not_found, "unknown incident"};
    } catch (const geo::InputError& e) {
        throw HttpError{http::status::bad_request, e.message()};
    }
    m_metrics.incidents_updated++;
    invalidate_incident(scenario, lonlat_to_mercator(updated.location.x, updated.location.y), updated.grid_code, false);
    return json_response(ctx.request, http::status::ok, incident_json(updated));
}

} // namespace tileserver
