#pragma once
// Prometheus metrics (text exposition format 0.0.4): requests by route and status, a latency
// histogram per route, tile cache hits/misses, tiles encoded, incidents written, connections.

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace tileserver {

class Metrics {
  public:
    /// Record one answered request. `route` is a fixed label (never the raw path).
    void observe_request(const std::string& route, unsigned status, double seconds);

    std::atomic<std::uint64_t> cache_hits{0};
    std::atomic<std::uint64_t> cache_misses{0};
    std::atomic<std::uint64_t> tiles_encoded{0};
    std::atomic<std::uint64_t> incidents_created{0};
    std::atomic<std::uint64_t> incidents_updated{0};
    std::atomic<std::uint64_t> connections_active{0};
    std::atomic<std::uint64_t> connections_rejected{0};

    /// Text exposition; `extra` is appended verbatim (gauges owned by other parts).
    [[nodiscard]] std::string render(const std::string& extra) const;

    static constexpr std::array<double, 12> buckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                    0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

  private:
    struct Histogram {
        std::array<std::uint64_t, buckets.size()> counts{};
        std::uint64_t count = 0;
        double sum = 0.0;
    };
    mutable std::mutex m_mutex;
    std::map<std::pair<std::string, unsigned>, std::uint64_t> m_requests;
    std::map<std::string, Histogram> m_latency;
};

} // namespace tileserver
