#pragma once
// IncidentService: the live incidents of one scenario. Writes go through
// geo::incident::GeoPackageIncidentStore (durable before the call returns); reads for tiles and
// statistics come from an in-memory copy kept in step with the store, so tile requests never
// wait on SQLite.

#include "catalog.hpp"
#include "tile_math.hpp"

#include "geo/incident/assigner.hpp"
#include "geo/incident/geopackage_store.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace tileserver {

/// Filter from the tile URL (?category=a,b&since=…&until=…) or the stats API.
struct IncidentQuery {
    std::vector<std::string> categories;
    std::optional<geo::incident::TimePoint> since; ///< reported_at >= since
    std::optional<geo::incident::TimePoint> until; ///< reported_at < until
    [[nodiscard]] bool empty() const { return categories.empty() && !since && !until; }
    [[nodiscard]] bool matches(const geo::incident::Incident& incident) const;
    /// Canonical text for cache keys ("" when empty).
    [[nodiscard]] std::string canonical() const;
};

struct LiveIncident {
    geo::incident::Incident incident;
    geo::core::XY mercator;
};

class IncidentService {
  public:
    /// Opens (or adds) the incident tables in `path`; grids come from the scenario's grids layer.
    IncidentService(const std::string& path, const Layer* grids);
    ~IncidentService();
    IncidentService(const IncidentService&) = delete;
    IncidentService& operator=(const IncidentService&) = delete;
    IncidentService(IncidentService&&) = delete;
    IncidentService& operator=(IncidentService&&) = delete;

    struct Added {
        geo::incident::Incident incident;
        bool created = false;
    };
    /// Assign grids, store durably (one transaction), then publish in memory.
    std::vector<Added> add(std::vector<geo::incident::NewIncident> incidents);
    /// Move one incident's status (throws TransitionError / NotFoundError / InputError).
    geo::incident::Incident transition(std::int64_t id, geo::incident::Status to, const std::string& note);

    /// Visit incidents whose point lies in `box` (EPSG:3857) and match `query`.
    void visit(const geo::core::Box& box, const IncidentQuery& query,
               const std::function<void(const LiveIncident&)>& fn) const;
    /// Visit all incidents matching `query`.
    void visit_all(const IncidentQuery& query, const std::function<void(const LiveIncident&)>& fn) const;
    [[nodiscard]] std::optional<LiveIncident> get(std::int64_t id) const;

    /// Incidents per grid code (all time), for the grids layer's incident_count.
    [[nodiscard]] std::int64_t count_in_grid(const std::string& grid_code) const;
    [[nodiscard]] std::size_t size() const;
    /// Bumped on every change; the page polls it to refresh incident tiles.
    [[nodiscard]] std::uint64_t version() const;
    [[nodiscard]] std::int64_t max_id() const;

  private:
    void publish(const geo::incident::Incident& incident); // caller holds m_mutex exclusively
    static std::uint64_t bucket_of(const geo::core::XY& m);

    mutable std::shared_mutex m_mutex;
    std::mutex m_write_mutex; // serialises writers (store + assigner are single-threaded)
    std::unique_ptr<geo::incident::GeoPackageIncidentStore> m_store;
    std::unique_ptr<geo::incident::GridAssigner> m_assigner; // in EPSG:3857
    std::vector<LiveIncident> m_incidents;
    std::unordered_map<std::int64_t, std::size_t> m_by_id;
    std::unordered_map<std::uint64_t, std::vector<std::size_t>> m_buckets; // z10 tile → incidents
    std::unordered_map<std::string, std::int64_t> m_grid_counts;
    std::uint64_t m_version = 1;
    std::int64_t m_max_id = 0;
};

/// Zoom of the in-memory bucket index of incident points.
inline constexpr int incident_bucket_zoom = 10;

} // namespace tileserver
