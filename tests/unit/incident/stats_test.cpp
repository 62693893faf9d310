// Statistics: counts per key and window, open share, median stage times.

#include "geo/incident/geopackage_store.hpp"
#include "geo/incident/stats.hpp"

#include "incident_test_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace geo::incident;

namespace {

using incident_test::at;

fs::path fresh(const std::string& name) {
    return incident_test::fresh_store("stats", name);
}

NewIncident make(const std::string& id, const char* category, const char* grid, const char* when) {
    NewIncident n;
    n.external_id = id;
    n.category = category;
    n.reported_at = at(when);
    n.location = {117.7, 39.0};
    if (grid != nullptr) {
        n.grid_code = grid;
        n.jurisdiction_code = std::string(grid).substr(0, 1);
    } else {
        n.outside = true;
    }
    return n;
}

} // namespace

TEST(IncidentWindows, DaysWeeksAndMonthsStartAtLocalMidnight) {
    // 2024-03-06 is a Wednesday. 2024-03-05T17:00Z is 01:00 on the 6th in Beijing.
    EXPECT_EQ(format_time(window_start(at("2024-03-05T17:00:00Z"), Window::day, 480)), "2024-03-05T16:00:00Z");
    EXPECT_EQ(format_time(window_start(at("2024-03-05T17:00:00Z"), Window::day, 0)), "2024-03-05T00:00:00Z");
    EXPECT_EQ(format_time(window_start(at("2024-03-06T12:00:00Z"), Window::week, 0)), "2024-03-04T00:00:00Z");
    EXPECT_EQ(format_time(window_start(at("2024-03-04T00:00:00Z"), Window::week, 0)), "2024-03-04T00:00:00Z");
    EXPECT_EQ(format_time(window_start(at("2024-03-31T20:00:00Z"), Window::month, 480)), "2024-03-31T16:00:00Z");
}

TEST(IncidentStats, MedianOfOddAndEvenCounts) {
    std::vector<double> odd{5, 1, 3};
    std::vector<double> even{4, 1, 3, 2};
    std::vector<double> none;
    EXPECT_EQ(median(odd), 3.0);
    EXPECT_EQ(median(even), 2.5);
    EXPECT_EQ(median(none), 0.0);
}

TEST(IncidentStats, CountsAndOpenSharePerGridAndWindow) {
    GeoPackageIncidentStore store(fresh("counts.gpkg"));
    store.add_batch(std::vector<NewIncident>{
        make("1", "noise", "A1", "2024-03-01T02:00:00Z"), make("2", "noise", "A1", "2024-03-01T03:00:00Z"),
        make("3", "sanitation", "A1", "2024-03-09T03:00:00Z"), make("4", "noise", "B1", "2024-03-01T03:00:00Z"),
        make("5", "heating", nullptr, "2024-04-01T03:00:00Z")});
    const auto id2 = store.find_external("2")->id;
    store.transition(id2, Status::dispatched, at("2024-03-01T04:00:00Z"));
    store.transition(id2, Status::handling, at("2024-03-01T05:00:00Z"));
    store.transition(id2, Status::resolved, at("2024-03-01T09:00:00Z"));

    StatsOptions by_grid;
    const auto s = compute_statistics(store, by_grid);
    EXPECT_EQ(s.total, 5u);
    EXPECT_EQ(s.open, 4u);
    EXPECT_EQ(s.outside, 1u);
    ASSERT_EQ(s.rows.size(), 3u);
    EXPECT_EQ(s.rows[0].key, outside_key);
    EXPECT_EQ(s.rows[1].key, "A1");
    EXPECT_EQ(s.rows[1].total, 3u);
    EXPECT_EQ(s.rows[1].open, 2u);
    EXPECT_NEAR(s.rows[1].open_share(), 2.0 / 3.0, 1e-12);

    StatsOptions weekly;
    weekly.by = GroupBy::category;
    weekly.window = Window::week;
    const auto w = compute_statistics(store, weekly);
    // heating/week of 1 Apr, noise/week of 26 Feb (1 Mar is a Friday), sanitation/week of 4 Mar.
    ASSERT_EQ(w.rows.size(), 3u);
    EXPECT_EQ(w.rows[1].key, "noise");
    EXPECT_EQ(w.rows[1].total, 3u);
    EXPECT_EQ(format_time(*w.rows[1].window), "2024-02-25T16:00:00Z"); // Monday 26 Feb, Beijing midnight

    StatsOptions by_jur;
    by_jur.by = GroupBy::jurisdiction;
    EXPECT_EQ(compute_statistics(store, by_jur).rows.back().key, "B");
}

TEST(IncidentStats, MedianStageTimesComeFromTheHistory) {
    GeoPackageIncidentStore store(fresh("stages.gpkg"));
    // Three incidents dispatched after 1, 2 and 6 hours; two handled for 3 and 5 hours.
    const char* ids[] = {"a", "b", "c"};
    const int dispatch_after[] = {1, 2, 6};
    for (int k = 0; k < 3; ++k) {
        const auto id = store.add(make(ids[k], "noise", "A1", "2024-03-01T00:00:00Z")).id;
        const TimePoint t0 = at("2024-03-01T00:00:00Z");
        store.transition(id, Status::dispatched, t0 + std::chrono::hours(dispatch_after[k]));
        if (k < 2) {
            const TimePoint t1 = t0 + std::chrono::hours(dispatch_after[k] + 1);
            store.transition(id, Status::handling, t1);
            store.transition(id, Status::resolved, t1 + std::chrono::hours(k == 0 ? 3 : 5));
        }
    }
    const auto s = compute_statistics(store);
    ASSERT_EQ(s.stages.size(), 4u);
    EXPECT_EQ(s.stages[0].stage, Status::reported);
    EXPECT_EQ(s.stages[0].samples, 3u);
    EXPECT_DOUBLE_EQ(s.stages[0].median_hours, 2.0);
    EXPECT_EQ(s.stages[1].samples, 2u);
    EXPECT_DOUBLE_EQ(s.stages[1].median_hours, 1.0);
    EXPECT_EQ(s.stages[2].stage, Status::handling);
    EXPECT_DOUBLE_EQ(s.stages[2].median_hours, 4.0);
    EXPECT_EQ(s.stages[3].samples, 0u) << "nothing evaluated yet";
}

TEST(IncidentStats, StageMediansArePerKeyAndWindow) {
    GeoPackageIncidentStore store(fresh("stages_by_key.gpkg"));
    const TimePoint t0 = at("2024-03-01T00:00:00Z"); // Friday; the 11th is in the next-but-one week
    // A1: dispatched after 1 h and 3 h (median 2); B1: after 10 h; A1 in a later week: after 7 h.
    struct Case {
        const char* id;
        const char* grid;
        const char* when;
        int dispatch_after;
    };
    const Case cases[] = {{"a", "A1", "2024-03-01T00:00:00Z", 1},
                          {"b", "A1", "2024-03-01T00:00:00Z", 3},
                          {"c", "B1", "2024-03-01T00:00:00Z", 10},
                          {"d", "A1", "2024-03-11T00:00:00Z", 7}};
    for (const auto& c : cases) {
        const auto id = store.add(make(c.id, "noise", c.grid, c.when)).id;
        store.transition(id, Status::dispatched, at(c.when) + std::chrono::hours(c.dispatch_after));
    }
    store.transition(store.find_external("a")->id, Status::handling, t0 + std::chrono::hours(5)); // 4 h dispatched

    const auto s = compute_statistics(store);
    ASSERT_EQ(s.rows.size(), 2u);
    ASSERT_EQ(s.rows[0].key, "A1");
    ASSERT_EQ(s.rows[0].stages.size(), 4u);
    EXPECT_EQ(s.rows[0].stages[0].stage, Status::reported);
    EXPECT_EQ(s.rows[0].stages[0].samples, 3u);
    EXPECT_DOUBLE_EQ(s.rows[0].stages[0].median_hours, 3.0); // 1, 3, 7
    EXPECT_EQ(s.rows[0].stages[1].samples, 1u);
    EXPECT_DOUBLE_EQ(s.rows[0].stages[1].median_hours, 4.0);
    EXPECT_EQ(s.rows[0].stages[2].samples, 0u);
    EXPECT_EQ(s.rows[1].key, "B1");
    EXPECT_DOUBLE_EQ(s.rows[1].stages[0].median_hours, 10.0);
    EXPECT_EQ(s.rows[1].stages[1].samples, 0u);
    EXPECT_DOUBLE_EQ(s.stages[0].median_hours, 5.0) << "overall: 1, 3, 7, 10";

    StatsOptions weekly;
    weekly.window = Window::week;
    const auto w = compute_statistics(store, weekly);
    ASSERT_EQ(w.rows.size(), 3u); // A1 week of 26 Feb, A1 week of 11 Mar, B1 week of 26 Feb
    EXPECT_EQ(w.rows[0].key, "A1");
    EXPECT_EQ(w.rows[0].stages[0].samples, 2u);
    EXPECT_DOUBLE_EQ(w.rows[0].stages[0].median_hours, 2.0);
    EXPECT_EQ(w.rows[1].key, "A1");
    EXPECT_EQ(w.rows[1].stages[0].samples, 1u);
    EXPECT_DOUBLE_EQ(w.rows[1].stages[0].median_hours, 7.0);
    EXPECT_EQ(w.rows[2].key, "B1");

    // The filter limits the stage times as it limits the counts.
    StatsOptions only_b;
    only_b.filter.grid_code = "B1";
    const auto b = compute_statistics(store, only_b);
    ASSERT_EQ(b.rows.size(), 1u);
    EXPECT_EQ(b.stages[0].samples, 1u);
    EXPECT_DOUBLE_EQ(b.stages[0].median_hours, 10.0);
}

TEST(IncidentStats, AGridWithoutParentIsNoJurisdictionNotOutside) {
    GeoPackageIncidentStore store(fresh("no_jurisdiction.gpkg"));
    NewIncident orphan = make("1", "noise", "X9", "2024-03-01T02:00:00Z");
    orphan.jurisdiction_code.reset(); // in grid X9, which has no parent code
    store.add_batch(std::vector<NewIncident>{orphan, make("2", "noise", nullptr, "2024-03-01T03:00:00Z"),
                                             make("3", "noise", "A1", "2024-03-01T03:00:00Z")});
    StatsOptions by_jur;
    by_jur.by = GroupBy::jurisdiction;
    const auto s = compute_statistics(store, by_jur);
    ASSERT_EQ(s.rows.size(), 3u);
    std::map<std::string, std::size_t> totals;
    for (const auto& r : s.rows) {
        totals[r.key] = r.total;
    }
    EXPECT_EQ(totals[no_jurisdiction_key], 1u);
    EXPECT_EQ(totals[outside_key], 1u);
    EXPECT_EQ(totals["A"], 1u);
    EXPECT_EQ(s.outside, 1u);
}
