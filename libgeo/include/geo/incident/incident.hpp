#pragma once
// geo::incident: the 12345 hotline incident and its status loop.
//
// A citizen's complaint flows 发现 (reported) → 派单 (dispatched) → 处置
// (handling) → 处置完成 (resolved) → 考核 (evaluated). Two side exits exist in
// practice and are modelled: 不予受理 (rejected: not a case for the grid, e.g. a
// duplicate or out of scope; only from `reported`), and the two ways back of
// the loop: 退单 (dispatched → reported, the grid returns a wrongly routed case)
// and 重新处置 (resolved → handling, the callback to the citizen 回访 finds the
// problem not fixed). `evaluated` and `rejected` are final.

#include "geo/core/coords.hpp"
#include "geo/core/error.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace geo::incident {

/// Time points are whole seconds in UTC; stored as ISO-8601 "YYYY-MM-DDTHH:MM:SSZ".
using TimePoint = std::chrono::sys_seconds;

enum class Status {
    reported,   ///< 发现 / 受理: received by the hotline, not yet routed
    dispatched, ///< 派单: routed to the grid (and its grid worker)
    handling,   ///< 处置: the grid worker is working on it
    resolved,   ///< 处置完成: the worker reports it fixed
    evaluated,  ///< 考核: checked and scored; final
    rejected,   ///< 不予受理: not a case (duplicate, out of scope); final
};

inline constexpr Status all_statuses[] = {Status::reported, Status::dispatched, Status::handling,
                                          Status::resolved, Status::evaluated,  Status::rejected};

/// "reported", "dispatched", ...
[[nodiscard]] const char* to_string(Status status) noexcept;
/// Parses the English name; throws InputError naming the valid values.
[[nodiscard]] Status parse_status(std::string_view text);
/// Open = still waiting for the grid: reported, dispatched, handling.
[[nodiscard]] bool is_open(Status status) noexcept;
/// Whether `from → to` is an edge of the loop (see the header comment).
[[nodiscard]] bool is_allowed_transition(Status from, Status to) noexcept;
/// The statuses reachable from `from` in one step.
[[nodiscard]] std::vector<Status> allowed_transitions(Status from);

/// Thrown for a status change the loop does not allow; the message names both
/// states ("invalid status transition: reported → evaluated ...").
class TransitionError : public InputError {
  public:
    TransitionError(Status from, Status to, std::int64_t incident_id);
    [[nodiscard]] Status from() const noexcept { return m_from; }
    [[nodiscard]] Status to() const noexcept { return m_to; }

  private:
    Status m_from;
    Status m_to;
};

/// Thrown when an incident id does not exist in the store.
class NotFoundError : public InputError {
  public:
    using InputError::InputError;
};

/// An incident as given to the store (before it has an id).
struct NewIncident {
    /// Key for idempotent import: adding an incident whose external_id exists
    /// already adds nothing and returns the stored id. Empty: the store
    /// generates a unique one ("gen:<random hex>").
    std::string external_id;
    std::string category;
    std::string description;
    TimePoint reported_at{};
    core::XY location;                            ///< WGS84 longitude/latitude (EPSG:4326)
    std::optional<std::string> grid_code;         ///< none when outside every grid
    std::optional<std::string> jurisdiction_code; ///< the grid's parent (community) code
    bool outside = false;                         ///< true when no grid covers the location (kept, flagged)
    std::string source;                           ///< where it came from: file name, "api", "synthetic generator"
    bool synthetic = false;
};

/// An incident as stored.
struct Incident {
    std::int64_t id = 0;
    std::string external_id;
    std::string category;
    std::string description;
    TimePoint reported_at{};
    Status status = Status::reported;
    core::XY location;
    std::optional<std::string> grid_code;
    std::optional<std::string> jurisdiction_code;
    bool outside = false;
    std::string source;
    bool synthetic = false;
    TimePoint updated_at{}; ///< time of the last status change (reported_at at first)
};

/// One row of the status history. The first row of every incident has no
/// `from` (creation, at reported_at).
struct StatusChange {
    std::int64_t incident_id = 0;
    std::optional<Status> from;
    Status to = Status::reported;
    TimePoint at{};
    std::string note;
};

// --- time helpers ------------------------------------------------------------

/// "2024-03-01T08:30:00Z".
[[nodiscard]] std::string format_time(TimePoint t);
/// ISO-8601: "YYYY-MM-DD", "YYYY-MM-DD[T ]HH:MM[:SS[.fff]]" optionally followed
/// by "Z" or "±HH[:MM]"; "YYYY/MM/DD" is accepted too. A time without an offset
/// is local time at `default_offset_minutes` east of UTC (480 = China Standard
/// Time, how 12345 exports write their times). Returns nullopt when unparseable.
[[nodiscard]] std::optional<TimePoint> parse_time(std::string_view text, int default_offset_minutes = 0);
/// Parse with a strptime(3) format (e.g. "%d.%m.%Y %H:%M"); the result is local
/// time at `offset_minutes` east of UTC. nullopt when the text does not match.
[[nodiscard]] std::optional<TimePoint> parse_time_with_format(std::string_view text, const std::string& format,
                                                              int offset_minutes = 0);
/// A UTC offset in minutes east of UTC: "±HH:MM", "±HHMM", "±HH" or "H" (sign optional,
/// "+08:00", "-0530", "+8"), at most 18 hours. nullopt for anything else.
[[nodiscard]] std::optional<int> parse_utc_offset(std::string_view text);

} // namespace geo::incident
