#include "geo/incident/stats.hpp"

#include <algorithm>
#include <array>
#include <iterator>
#include <map>
#include <tuple>
#include <unordered_map>

namespace geo::incident {

GroupBy parse_group_by(std::string_view text) {
    if (text == "grid") {
        return GroupBy::grid;
    }
    if (text == "jurisdiction") {
        return GroupBy::jurisdiction;
    }
    if (text == "category") {
        return GroupBy::category;
    }
    throw InputError("unknown grouping '" + std::string(text) + "'", {}, "use grid, jurisdiction or category");
}

Window parse_window(std::string_view text) {
    if (text == "none" || text.empty()) {
        return Window::none;
    }
    if (text == "day") {
        return Window::day;
    }
    if (text == "week") {
        return Window::week;
    }
    if (text == "month") {
        return Window::month;
    }
    throw InputError("unknown time window '" + std::string(text) + "'", {}, "use day, week or month");
}

const char* to_string(GroupBy by) noexcept {
    switch (by) {
    case GroupBy::grid: return "grid";
    case GroupBy::jurisdiction: return "jurisdiction";
    case GroupBy::category: return "category";
    }
    return "grid";
}

const char* to_string(Window window) noexcept {
    switch (window) {
    case Window::none: return "none";
    case Window::day: return "day";
    case Window::week: return "week";
    case Window::month: return "month";
    }
    return "none";
}

TimePoint window_start(TimePoint t, Window window, int utc_offset_minutes) {
    using namespace std::chrono;
    if (window == Window::none) {
        return TimePoint{};
    }
    const minutes offset{utc_offset_minutes};
    const auto local = t + offset;
    sys_days day = floor<days>(local);
    if (window == Window::week) {
        const weekday wd{day};
        day -= days{(wd.c_encoding() + 6) % 7}; // back to Monday
    } else if (window == Window::month) {
        const year_month_day ymd{day};
        day = sys_days{ymd.year() / ymd.month() / 1};
    }
    return TimePoint{day} - offset;
}

double median(std::vector<double>& values) {
    if (values.empty()) {
        return 0.0;
    }
    const std::size_t mid = values.size() / 2;
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
    const double upper = values[mid];
    if (values.size() % 2 == 1) {
        return upper;
    }
    const double lower = *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid));
    return (lower + upper) / 2.0;
}

namespace {

// The stages a stay is measured in, in the order rows and totals list them.
constexpr Status kStages[] = {Status::reported, Status::dispatched, Status::handling, Status::resolved};

std::optional<std::size_t> stage_index(Status s) {
    for (std::size_t i = 0; i < std::size(kStages); ++i) {
        if (kStages[i] == s) {
            return i;
        }
    }
    return std::nullopt;
}

using Stays = std::array<std::vector<double>, std::size(kStages)>;

std::vector<StageTime> medians(Stays& stays) {
    std::vector<StageTime> out;
    for (std::size_t i = 0; i < std::size(kStages); ++i) {
        StageTime t;
        t.stage = kStages[i];
        t.samples = stays[i].size();
        t.median_hours = median(stays[i]);
        out.push_back(t);
    }
    return out;
}

} // namespace

Statistics compute_statistics(IncidentStore& store, const StatsOptions& options) {
    Statistics stats;
    struct Group {
        CountRow row;
        Stays stays;
    };
    std::map<std::tuple<std::string, std::int64_t>, Group> groups; // nodes never move
    std::unordered_map<std::int64_t, Group*> group_of;             // incidents in the filter
    store.for_each(options.filter, [&](const Incident& in) {
        std::string key;
        switch (options.by) {
        case GroupBy::grid: key = in.grid_code.value_or(outside_key); break;
        case GroupBy::jurisdiction:
            // Outside every grid and inside a grid without a parent code are different
            // findings: the first is a point to check, the second a grid to fix.
            key = in.jurisdiction_code ? *in.jurisdiction_code : in.grid_code ? no_jurisdiction_key : outside_key;
            break;
        case GroupBy::category: key = in.category; break;
        }
        const TimePoint w = window_start(in.reported_at, options.window, options.utc_offset_minutes);
        Group& group = groups[{key, w.time_since_epoch().count()}];
        CountRow& row = group.row;
        if (row.total == 0) {
            row.key = key;
            if (options.window != Window::none) {
                row.window = w;
            }
        }
        ++row.total;
        const bool open = is_open(in.status);
        row.open += open ? 1 : 0;
        ++stats.total;
        stats.open += open ? 1 : 0;
        stats.outside += in.outside ? 1 : 0;
        group_of.emplace(in.id, &group);
    });

    // Stage stays from the history: the time between entering a status and the
    // change that leaves it. History comes ordered by incident, then time.
    Stays all;
    std::int64_t current = -1;
    Group* group = nullptr;
    TimePoint entered{};
    store.for_each_change([&](const StatusChange& c) {
        if (c.incident_id != current) {
            current = c.incident_id;
            const auto it = group_of.find(c.incident_id);
            group = it == group_of.end() ? nullptr : it->second;
            entered = c.at;
            return; // creation row
        }
        if (group == nullptr) {
            return; // not in the filter
        }
        if (c.from) {
            if (const auto i = stage_index(*c.from)) {
                const double hours = std::chrono::duration<double, std::ratio<3600>>(c.at - entered).count();
                all[*i].push_back(hours);
                group->stays[*i].push_back(hours);
            }
        }
        entered = c.at;
    });
    stats.rows.reserve(groups.size());
    for (auto& [k, g] : groups) {
        g.row.stages = medians(g.stays);
        stats.rows.push_back(std::move(g.row));
    }
    stats.stages = medians(all);
    return stats;
}

} // namespace geo::incident
