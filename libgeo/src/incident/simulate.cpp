#include "geo/incident/simulate.hpp"

#include <cmath>
#include <random>
#include <vector>

namespace geo::incident {

namespace {

struct Pending {
    std::int64_t id;
    TimePoint reported_at;
};

// Log-normal duration with the given median (hours) and sigma of the log.
std::chrono::seconds draw(std::mt19937_64& rng, double median_hours, double sigma) {
    std::normal_distribution<double> n(0.0, sigma);
    const double hours = median_hours * std::exp(n(rng));
    return std::chrono::seconds{static_cast<std::int64_t>(std::llround(hours * 3600.0)) + 60};
}

} // namespace

LoopSimulationReport simulate_loop(IncidentStore& store, const LoopSimulationOptions& options) {
    std::vector<Pending> pending;
    TimePoint latest{};
    IncidentFilter filter;
    filter.statuses = {Status::reported};
    store.for_each(filter, [&](const Incident& in) {
        if (in.synthetic && in.updated_at == in.reported_at) {
            pending.push_back({in.id, in.reported_at});
        }
        latest = std::max(latest, in.reported_at);
    });
    const TimePoint as_of = options.as_of.value_or(latest);
    std::mt19937_64 rng(options.seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    LoopSimulationReport report;
    std::vector<StatusUpdate> batch;
    const std::string note = "synthetic loop simulation";
    for (const auto& p : pending) {
        if (batch.size() >= 20000) {
            store.transition_batch(batch);
            batch.clear();
        }
        ++report.incidents;
        TimePoint t = p.reported_at;
        // Each step: the change happens at t + duration unless that is after as_of.
        auto step = [&](Status to, double median_hours, double sigma) {
            const TimePoint next = t + draw(rng, median_hours, sigma);
            if (next > as_of) {
                return false;
            }
            t = next;
            batch.push_back({p.id, to, t, note});
            ++report.transitions;
            return true;
        };
        if (u(rng) < 0.03) {
            report.rejected += step(Status::rejected, 4.0, 0.6) ? 1 : 0;
            continue;
        }
        if (!step(Status::dispatched, 2.0, 0.8)) {
            continue;
        }
        if (u(rng) < 0.05) {
            if (!step(Status::reported, 2.0, 0.7) || !step(Status::dispatched, 1.0, 0.7)) {
                continue;
            }
            ++report.returned;
        }
        if (!step(Status::handling, 3.0, 0.9) || !step(Status::resolved, 30.0, 1.0)) {
            continue;
        }
        if (u(rng) < 0.08) {
            if (!step(Status::handling, 24.0, 0.8) || !step(Status::resolved, 24.0, 0.9)) {
                continue;
            }
            ++report.reopened;
        }
        report.evaluated += step(Status::evaluated, 48.0, 0.5) ? 1 : 0;
    }
    if (!batch.empty()) {
        store.transition_batch(batch);
    }
    return report;
}

} // namespace geo::incident
