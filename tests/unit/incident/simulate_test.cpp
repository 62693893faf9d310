// The demo's loop simulation touches synthetic incidents only, follows the
// loop (the store refuses anything else), is reproducible, and leaves
// incidents open when their next change would be after as_of.

#include "geo/incident/geopackage_store.hpp"
#include "geo/incident/simulate.hpp"
#include "geo/incident/stats.hpp"

#include "incident_test_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace geo::incident;

namespace {

fs::path fresh(const std::string& name) {
    return incident_test::fresh_store("sim", name);
}

void fill(IncidentStore& store) {
    std::vector<NewIncident> v;
    for (int k = 0; k < 200; ++k) {
        NewIncident n;
        n.external_id = std::string("S").append(std::to_string(k));
        n.category = "noise";
        n.reported_at = *parse_time("2024-03-01T00:00:00Z") + std::chrono::hours(k);
        n.location = {117.7, 39.0};
        n.synthetic = true;
        v.push_back(n);
    }
    NewIncident real = v.front();
    real.external_id = "REAL";
    real.synthetic = false;
    v.push_back(real);
    store.add_batch(v);
}

std::vector<Status> statuses(IncidentStore& store) {
    std::vector<Status> out;
    store.for_each({}, [&](const Incident& in) { out.push_back(in.status); });
    return out;
}

} // namespace

TEST(LoopSimulation, MovesOnlySyntheticIncidentsAndIsReproducible) {
    GeoPackageIncidentStore a(fresh("a.gpkg"));
    GeoPackageIncidentStore b(fresh("b.gpkg"));
    fill(a);
    fill(b);
    LoopSimulationOptions o;
    o.seed = 7;
    o.as_of = *parse_time("2025-01-01T00:00:00Z");
    const auto ra = simulate_loop(a, o);
    simulate_loop(b, o);
    EXPECT_EQ(statuses(a), statuses(b));
    EXPECT_EQ(ra.incidents, 200u);
    EXPECT_EQ(ra.evaluated + ra.rejected, 200u) << "with as_of far ahead every loop completes";
    EXPECT_EQ(a.find_external("REAL")->status, Status::reported);
    EXPECT_EQ(a.history(a.find_external("REAL")->id).size(), 1u);
    const auto s = compute_statistics(a);
    EXPECT_EQ(s.open, 1u);
    EXPECT_GT(s.stages[0].samples, 190u);
    EXPECT_GT(s.stages[2].median_hours, 10.0);
    EXPECT_EQ(simulate_loop(a, o).transitions, 0u) << "a second run finds nothing left to move";
}

TEST(LoopSimulation, RecentIncidentsStayOpenAtAsOf) {
    GeoPackageIncidentStore store(fresh("c.gpkg"));
    fill(store);                         // reported from 1 Mar 00:00 to 9 Mar 07:00
    const auto r = simulate_loop(store); // as_of = the latest report
    EXPECT_GT(r.transitions, 0u);
    const auto s = compute_statistics(store);
    EXPECT_GT(s.open, 5u) << "the last incidents cannot have moved yet";
    IncidentFilter latest;
    latest.from = *parse_time("2024-03-09T07:00:00Z");
    EXPECT_EQ(store.query(latest).at(0).status, Status::reported);
}
