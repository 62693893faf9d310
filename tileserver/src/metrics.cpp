#include "metrics.hpp"

#include <sstream>

namespace tileserver {

void Metrics::observe_request(const std::string& route, unsigned status, double seconds) {
    std::lock_guard lock(m_mutex);
    ++m_requests[{route, status}];
    auto& h = m_latency[route];
    for (std::size_t i = 0; i < buckets.size(); ++i) {
        if (seconds <= buckets[i]) {
            ++h.counts[i];
        }
    }
    ++h.count;
    h.sum += seconds;
}

std::string Metrics::render(const std::string& extra) const {
    std::ostringstream out;
    {
        std::lock_guard lock(m_mutex);
        out << "# HELP tileserver_requests_total HTTP requests answered, by route and status.\n"
               "# TYPE tileserver_requests_total counter\n";
        for (const auto& [key, n] : m_requests) {
            out << "tileserver_requests_total{route=\"" << key.first << "\",status=\"" << key.second << "\"} " << n
                << '\n';
        }
        out << "# HELP tileserver_request_duration_seconds Time from a complete request to its response.\n"
               "# TYPE tileserver_request_duration_seconds histogram\n";
        for (const auto& [route, h] : m_latency) {
            for (std::size_t i = 0; i < buckets.size(); ++i) {
                out << "tileserver_request_duration_seconds_bucket{route=\"" << route << "\",le=\"" << buckets[i]
                    << "\"} " << h.counts[i] << '\n';
            }
            out << "tileserver_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} " << h.count
                << '\n';
            out << "tileserver_request_duration_seconds_sum{route=\"" << route << "\"} " << h.sum << '\n';
            out << "tileserver_request_duration_seconds_count{route=\"" << route << "\"} " << h.count << '\n';
        }
    }
    auto counter = [&out](const char* name, const char* help, std::uint64_t value, const char* type = "counter") {
        out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n'
            << name << ' ' << value << '\n';
    };
    counter("tileserver_tile_cache_hits_total", "Tile requests answered from the cache.", cache_hits.load());
    counter("tileserver_tile_cache_misses_total", "Tile requests that had to encode a tile.", cache_misses.load());
    counter("tileserver_tiles_encoded_total", "Vector tiles encoded.", tiles_encoded.load());
    counter("tileserver_incidents_created_total", "Incidents stored through POST /api/incidents.",
            incidents_created.load());
    counter("tileserver_incidents_updated_total", "Incident status moves through PATCH.", incidents_updated.load());
    counter("tileserver_connections_active", "Open client connections.", connections_active.load(), "gauge");
    counter("tileserver_connections_rejected_total", "Connections refused with 503 (over the limit).",
            connections_rejected.load());
    out << extra;
    return out.str();
}

} // namespace tileserver
