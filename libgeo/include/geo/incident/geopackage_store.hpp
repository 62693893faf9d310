#pragma once
// geo::incident::GeoPackageIncidentStore: the embedded incident store, a valid
// OGC GeoPackage 1.3 written directly through SQLite.
//
// Layers: `incidents` (features, POINT, EPSG:4326) and `incident_history`
// (attributes). The file opens in QGIS and in GDAL (`ogrinfo FILE incidents`);
// other layers of a scenario GeoPackage (grids, ...) are left alone.
//
// Durability: journal_mode=WAL with synchronous=FULL: every COMMIT fsyncs the
// WAL before it returns, and a call returns only after its COMMIT, so an
// acknowledged write survives kill -9 and power loss; readers (other
// connections, other processes, QGIS) read the last committed snapshot while a
// write is in progress and never wait for it. busy_timeout makes concurrent
// writers from other processes wait instead of failing.
//
// Threads: one object owns one SQLite connection guarded by a mutex, so it may
// be shared by threads (their calls run one at a time). For parallel reads,
// open one store object per thread on the same file.

#include "geo/incident/store.hpp"

#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

namespace geo::incident {

struct GeoPackageOptions {
    bool read_only = false;      ///< open an existing store for reading only
    int busy_timeout_ms = 10000; ///< how long a writer waits for another process's write lock
    /// add_batch / add_all calls with at least this many incidents (and at
    /// least half as many as the store holds) run in bulk mode: the R-tree
    /// and the secondary indexes are rebuilt once at the end of the call's
    /// transaction instead of being maintained row by row. 0 = never.
    std::size_t bulk_min_rows = 50000;
};

class GeoPackageIncidentStore final : public IncidentStore {
  public:
    /// Opens `path`, creating the file and/or the incident tables when
    /// missing (an existing GeoPackage, e.g. a scenario with grids, gets the
    /// two layers added). Throws IoError when the file is not SQLite or the
    /// schema cannot be created.
    explicit GeoPackageIncidentStore(const std::filesystem::path& path, GeoPackageOptions options = {});
    ~GeoPackageIncidentStore() override;

    AddResult add(const NewIncident& incident) override;
    std::vector<AddResult> add_batch(std::span<const NewIncident> incidents) override;
    std::vector<AddResult> add_all(std::size_t expected, const IncidentSource& next) override;
    Incident transition(std::int64_t id, Status to, TimePoint at, const std::string& note = {}) override;
    void transition_batch(std::span<const StatusUpdate> updates) override;
    [[nodiscard]] std::optional<Incident> get(std::int64_t id) override;
    [[nodiscard]] std::optional<Incident> find_external(const std::string& external_id) override;
    [[nodiscard]] std::vector<StatusChange> history(std::int64_t id) override;
    void for_each(const IncidentFilter& filter, const std::function<void(const Incident&)>& visit) override;
    void for_each_change(const std::function<void(const StatusChange&)>& visit) override;
    [[nodiscard]] std::size_t count(const IncidentFilter& filter = {}) override;

    [[nodiscard]] const std::filesystem::path& path() const noexcept { return m_path; }
    /// `PRAGMA integrity_check` result ("ok" when the file is sound).
    [[nodiscard]] std::string integrity_check();

    /// What this store's connection is running with, read back from SQLite (not what was
    /// asked for): `PRAGMA journal_mode` ("wal") and `PRAGMA synchronous` (2 = FULL).
    struct Durability {
        std::string journal_mode;
        int synchronous = -1;
    };
    [[nodiscard]] Durability durability();

    struct Impl; // SQLite connection and prepared statements (src/incident)

  private:
    std::filesystem::path m_path;
    std::mutex m_mutex;
    std::unique_ptr<Impl> m_impl;
};

} // namespace geo::incident
