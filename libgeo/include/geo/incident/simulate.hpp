#pragma once
// Moving SYNTHETIC incidents through the status loop, for the demo: without
// it a freshly imported synthetic set is all `reported`, and open shares and
// stage times have nothing to show. Only incidents flagged synthetic and
// still in their initial `reported` state are touched; real data never is.
//
// Model (seeded; stage durations are log-normal, median and spread given
// below; times are capped at `as_of`, so recent incidents stay open):
//   reported → dispatched   median 2 h      (3 % rejected 不予受理 instead)
//   dispatched → handling   median 3 h      (5 % returned 退单 once: → reported → dispatched)
//   handling → resolved     median 30 h
//   resolved → evaluated    median 48 h     (8 % reopened 重新处置 once: → handling → resolved)
// These numbers are the author's assumptions, not measurements.

#include "geo/incident/store.hpp"

#include <cstdint>
#include <optional>

namespace geo::incident {

struct LoopSimulationOptions {
    std::uint64_t seed = 1;
    /// Changes after this time are not applied; default: the latest reported_at.
    std::optional<TimePoint> as_of;
};

struct LoopSimulationReport {
    std::size_t incidents = 0; ///< synthetic incidents moved (or left reported because of as_of)
    std::size_t transitions = 0;
    std::size_t rejected = 0;
    std::size_t returned = 0;
    std::size_t reopened = 0;
    std::size_t evaluated = 0;
};

LoopSimulationReport simulate_loop(IncidentStore& store, const LoopSimulationOptions& options = {});

} // namespace geo::incident
