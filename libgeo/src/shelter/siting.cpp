#include "geo/shelter/siting.hpp"

#include "geo/core/error.hpp"
#include "geo/shelter/flow.hpp"

#include "network_build.hpp"

#include <queue>
#include <utility>

namespace geo::shelter {

namespace {

// Candidates start closed: their sink arcs have capacity 0 until opened.
detail::BuiltNetwork closed_network(const std::vector<double>& populations, const std::vector<double>& capacities,
                                    const std::vector<double>& candidate_capacities, const std::vector<Link>& links,
                                    std::vector<double>& all_capacities) {
    all_capacities = capacities;
    all_capacities.insert(all_capacities.end(), candidate_capacities.size(), 0.0);
    detail::check_inputs(populations, capacities, links, all_capacities.size());
    for (double c : candidate_capacities) {
        if (!(c >= 0.0)) {
            throw InputError("candidate capacities must be non-negative");
        }
    }
    return detail::build_network(populations, all_capacities, links);
}

} // namespace

double served_with(const std::vector<double>& populations, const std::vector<double>& capacities,
                   const std::vector<double>& candidate_capacities, const std::vector<Link>& links,
                   const std::vector<std::uint32_t>& opened) {
    std::vector<double> all;
    auto b = closed_network(populations, capacities, candidate_capacities, links, all);
    for (std::uint32_t c : opened) {
        if (c >= candidate_capacities.size()) {
            throw InputError("opened candidate index out of range");
        }
        const std::size_t s = capacities.size() + c;
        if (b.site_node[s] != detail::no_flow_node) {
            b.net.set_capacity(b.sink_arc[s], candidate_capacities[c]);
        }
    }
    return b.net.max_flow(b.source, b.sink);
}

Siting greedy_siting(const std::vector<double>& populations, const std::vector<double>& capacities,
                     const std::vector<double>& candidate_capacities, const std::vector<Link>& links, std::size_t k) {
    std::vector<double> all;
    auto b = closed_network(populations, capacities, candidate_capacities, links, all);
    Siting out;
    out.served_before = b.net.max_flow(b.source, b.sink);
    double served = out.served_before;

    // Lazy greedy: by submodularity a candidate's gain can only shrink, so a
    // stale gain is an upper bound; re-evaluate the top until it is fresh.
    using Entry = std::pair<double, std::int64_t>; // (upper bound on gain, −candidate) → ties to lowest index
    std::priority_queue<Entry> queue;
    auto gain_of = [&](std::uint32_t c) {
        const std::size_t s = capacities.size() + c;
        if (b.site_node[s] == detail::no_flow_node || candidate_capacities[c] <= 0.0) {
            return 0.0;
        }
        FlowNetwork trial = b.net;
        trial.set_capacity(b.sink_arc[s], candidate_capacities[c]);
        ++out.evaluations;
        return trial.max_flow(b.source, b.sink);
    };
    std::vector<int> fresh_round(candidate_capacities.size(), -1);
    for (std::uint32_t c = 0; c < candidate_capacities.size(); ++c) {
        const double g = gain_of(c);
        fresh_round[c] = 0;
        if (g > FlowNetwork::epsilon) {
            queue.push({g, -static_cast<std::int64_t>(c)});
        }
    }
    for (int round = 0; static_cast<std::size_t>(round) < k && !queue.empty();) {
        auto [g, neg] = queue.top();
        queue.pop();
        const auto c = static_cast<std::uint32_t>(-neg);
        if (fresh_round[c] != round) {
            const double fresh = gain_of(c);
            fresh_round[c] = round;
            if (fresh > FlowNetwork::epsilon) {
                queue.push({fresh, neg});
            }
            continue;
        }
        // g is fresh for this round and at least every other (stale) bound.
        const std::size_t s = capacities.size() + c;
        b.net.set_capacity(b.sink_arc[s], candidate_capacities[c]);
        const double added = b.net.max_flow(b.source, b.sink);
        served += added;
        ++round;
        out.picks.push_back({c, round, added, served});
        if (added <= FlowNetwork::epsilon) {
            break;
        }
    }
    return out;
}

} // namespace geo::shelter
