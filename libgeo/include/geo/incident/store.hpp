#pragma once
// geo::incident::IncidentStore: where incidents and their status history live.
//
// The interface is what the CLI and the tile server use; the embedded
// implementation is GeoPackageIncidentStore (one SQLite file that opens in
// QGIS and GDAL). A PostGIS store can implement the same interface when one
// machine is no longer enough.
//
// Contract for every implementation:
//  - a call that returns has made its change durable (committed and synced);
//    an exception means nothing of that call was stored;
//  - add/add_batch are idempotent on external_id;
//  - status changes follow the loop of incident.hpp and are recorded in the
//    history atomically with the new status.

#include "geo/incident/incident.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace geo::incident {

struct AddResult {
    std::int64_t id = 0;
    bool created = false; ///< false when an incident with that external_id existed already
};

/// One status change for transition_batch.
struct StatusUpdate {
    std::int64_t id = 0;
    Status to = Status::reported;
    TimePoint at{};
    std::string note;
};

/// Selects incidents; every member is optional (empty = no restriction).
struct IncidentFilter {
    std::optional<core::Box> bbox;        ///< lon/lat box, boundary included
    std::vector<std::string> categories;  ///< any of these
    std::vector<Status> statuses;         ///< any of these
    std::optional<TimePoint> from;        ///< reported_at >= from
    std::optional<TimePoint> to;          ///< reported_at < to
    std::optional<std::string> grid_code; ///< exactly this grid
    std::optional<std::int64_t> after_id; ///< id > after_id (paging, "what is new")
    std::optional<std::size_t> limit;
};

class IncidentStore {
  public:
    virtual ~IncidentStore() = default;
    IncidentStore() = default;
    IncidentStore(const IncidentStore&) = delete;
    IncidentStore& operator=(const IncidentStore&) = delete;
    IncidentStore(IncidentStore&&) = delete;
    IncidentStore& operator=(IncidentStore&&) = delete;

    /// Store one incident (status `reported`, history row at reported_at).
    virtual AddResult add(const NewIncident& incident) = 0;
    /// Store many in one transaction: all or nothing, one sync at the end.
    virtual std::vector<AddResult> add_batch(std::span<const NewIncident> incidents) = 0;

    /// Supplies the next incidents of a large import; an empty span ends it.
    /// A span stays valid until the next call.
    using IncidentSource = std::function<std::span<const NewIncident>()>;

    /// Store everything `next` supplies as one unit, all or nothing, like one
    /// add_batch, without the caller holding it all in memory. `expected` is
    /// how many incidents the caller expects (a store may choose a bulk
    /// strategy from it). One result per incident, in order. The default
    /// collects the incidents and calls add_batch.
    virtual std::vector<AddResult> add_all(std::size_t expected, const IncidentSource& next) {
        std::vector<NewIncident> all;
        all.reserve(expected);
        for (auto chunk = next(); !chunk.empty(); chunk = next()) {
            all.insert(all.end(), chunk.begin(), chunk.end());
        }
        return add_batch(all);
    }

    /// Move an incident to `to` at time `at`. Throws TransitionError when the
    /// loop does not allow it (message names both states), NotFoundError for an
    /// unknown id, InputError when `at` is before the incident's last change.
    virtual Incident transition(std::int64_t id, Status to, TimePoint at, const std::string& note = {}) = 0;

    /// Apply many status changes in order, all or nothing (one transaction in
    /// stores that have them; the default applies them one by one). The same
    /// rules as transition() hold for each.
    virtual void transition_batch(std::span<const StatusUpdate> updates) {
        for (const auto& u : updates) {
            transition(u.id, u.to, u.at, u.note);
        }
    }

    [[nodiscard]] virtual std::optional<Incident> get(std::int64_t id) = 0;
    [[nodiscard]] virtual std::optional<Incident> find_external(const std::string& external_id) = 0;
    [[nodiscard]] virtual std::vector<StatusChange> history(std::int64_t id) = 0;

    /// Visit matching incidents in id order without holding them all in memory.
    virtual void for_each(const IncidentFilter& filter, const std::function<void(const Incident&)>& visit) = 0;
    /// Visit the whole status history ordered by incident id, then time.
    virtual void for_each_change(const std::function<void(const StatusChange&)>& visit) = 0;
    [[nodiscard]] virtual std::size_t count(const IncidentFilter& filter = {}) = 0;

    /// Convenience over for_each.
    [[nodiscard]] std::vector<Incident> query(const IncidentFilter& filter) {
        std::vector<Incident> out;
        for_each(filter, [&](const Incident& i) { out.push_back(i); });
        return out;
    }
};

} // namespace geo::incident
