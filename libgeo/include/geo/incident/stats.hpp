#pragma once
// geo::incident statistics: counts per grid, jurisdiction or category and
// time window, the share still open, and the median time spent in each stage
// of the loop (from the status history).

#include "geo/incident/store.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace geo::incident {

enum class GroupBy { grid, jurisdiction, category };
enum class Window { none, day, week, month };

[[nodiscard]] GroupBy parse_group_by(std::string_view text); ///< "grid", "jurisdiction", "category"
[[nodiscard]] Window parse_window(std::string_view text);    ///< "none", "day", "week", "month"
[[nodiscard]] const char* to_string(GroupBy by) noexcept;
[[nodiscard]] const char* to_string(Window window) noexcept;

/// Key used for incidents outside every grid (by grid and by jurisdiction).
inline constexpr const char* outside_key = "(outside)";
/// Key used by jurisdiction for incidents in a grid that has no parent code.
inline constexpr const char* no_jurisdiction_key = "(no jurisdiction)";

/// Start of the window holding `t`. Windows are cut at local midnight
/// `utc_offset_minutes` east of UTC; weeks start on Monday (ISO 8601), months
/// on the 1st. Window::none gives the epoch.
[[nodiscard]] TimePoint window_start(TimePoint t, Window window, int utc_offset_minutes);

/// Time spent in one stage: from entering `stage` to leaving it, over every
/// completed stay (an incident sent back 退单 / reopened counts each stay).
struct StageTime {
    Status stage = Status::reported;
    std::size_t samples = 0;
    double median_hours = 0.0; ///< 0 when samples == 0
};

struct CountRow {
    std::string key;                 ///< grid code, jurisdiction code or category
    std::optional<TimePoint> window; ///< start of the window (UTC); none for Window::none
    std::size_t total = 0;
    std::size_t open = 0; ///< reported, dispatched or handling now
    /// Stage times of the incidents counted in this row (reported, dispatched, handling,
    /// resolved): every completed stay of each, whenever it ended; an incident belongs to the
    /// window it was reported in.
    std::vector<StageTime> stages;
    [[nodiscard]] double open_share() const noexcept {
        return total == 0 ? 0.0 : static_cast<double>(open) / static_cast<double>(total);
    }
};

struct StatsOptions {
    GroupBy by = GroupBy::grid;
    Window window = Window::none;
    int utc_offset_minutes = 480; ///< China Standard Time: days start at Beijing midnight
    IncidentFilter filter;        ///< which incidents count
};

struct Statistics {
    std::vector<CountRow> rows;    ///< sorted by key, then window
    std::vector<StageTime> stages; ///< reported, dispatched, handling, resolved: over all rows
    std::size_t total = 0;
    std::size_t open = 0;
    std::size_t outside = 0;
};

[[nodiscard]] Statistics compute_statistics(IncidentStore& store, const StatsOptions& options = {});

/// The median of the values (mean of the two middle ones for an even count);
/// 0 for none. Reorders `values`.
[[nodiscard]] double median(std::vector<double>& values);

} // namespace geo::incident
