#include "geo/shelter/allocation.hpp"

#include "geo/core/error.hpp"
#include "geo/shelter/flow.hpp"
#include "network_build.hpp"

#include <algorithm>
#include <cmath>

namespace geo::shelter {

namespace detail {

void check_inputs(const std::vector<double>& populations, const std::vector<double>& capacities,
                  const std::vector<Link>& links, std::size_t site_count) {
    for (double p : populations) {
        if (!(p >= 0.0) || !std::isfinite(p)) {
            throw InputError("demand populations must be finite and non-negative");
        }
    }
    for (double c : capacities) {
        if (!(c >= 0.0) || !std::isfinite(c)) {
            throw InputError("shelter capacities must be finite and non-negative");
        }
    }
    for (const auto& l : links) {
        if (l.unit >= populations.size() || l.site >= site_count || !(l.distance >= 0.0)) {
            throw InputError("a unit–shelter link names an unknown unit or shelter, or has a negative distance");
        }
    }
}

BuiltNetwork build_network(const std::vector<double>& populations, const std::vector<double>& site_capacities,
                           const std::vector<Link>& links) {
    BuiltNetwork b;
    b.unit_node.assign(populations.size(), no_flow_node);
    b.site_node.assign(site_capacities.size(), no_flow_node);
    b.sink_arc.assign(site_capacities.size(), 0);
    b.source = b.net.add_node();
    b.sink = b.net.add_node();
    for (const auto& l : links) {
        if (b.unit_node[l.unit] == no_flow_node) {
            b.unit_node[l.unit] = b.net.add_node();
            b.net.add_arc(b.source, b.unit_node[l.unit], populations[l.unit]);
        }
        if (b.site_node[l.site] == no_flow_node) {
            b.site_node[l.site] = b.net.add_node();
            b.sink_arc[l.site] = b.net.add_arc(b.site_node[l.site], b.sink, site_capacities[l.site]);
        }
    }
    b.link_arc.reserve(links.size());
    for (const auto& l : links) {
        b.link_arc.push_back(b.net.add_arc(b.unit_node[l.unit], b.site_node[l.site], populations[l.unit], l.distance));
    }
    return b;
}

} // namespace detail

namespace {

void sort_assignments(std::vector<Assignment>& a) {
    std::sort(a.begin(), a.end(), [](const Assignment& x, const Assignment& y) {
        if (x.unit != y.unit) {
            return x.unit < y.unit;
        }
        if (x.distance != y.distance) {
            return x.distance < y.distance;
        }
        return x.site < y.site;
    });
}

void count_demand(const std::vector<double>& populations, const std::vector<Link>& links, Allocation& out) {
    std::vector<char> reach(populations.size(), 0);
    for (const auto& l : links) {
        reach[l.unit] = 1;
    }
    for (std::size_t u = 0; u < populations.size(); ++u) {
        out.demand += populations[u];
        if (reach[u]) {
            out.reachable += populations[u];
        }
    }
}

} // namespace

Allocation allocate_optimal(const std::vector<double>& populations, const std::vector<double>& capacities,
                            const std::vector<Link>& links) {
    detail::check_inputs(populations, capacities, links, capacities.size());
    Allocation out;
    out.unit_served.assign(populations.size(), 0.0);
    out.site_load.assign(capacities.size(), 0.0);
    count_demand(populations, links, out);
    detail::BuiltNetwork b = detail::build_network(populations, capacities, links);
    const auto result = b.net.min_cost_flow(b.source, b.sink);
    out.augmentations = result.augmentations;
    for (std::size_t i = 0; i < links.size(); ++i) {
        const double f = b.net.flow(b.link_arc[i]);
        if (f > FlowNetwork::epsilon) {
            const auto& l = links[i];
            out.assignments.push_back({l.unit, l.site, f, l.distance});
            out.unit_served[l.unit] += f;
            out.site_load[l.site] += f;
            out.served += f;
            out.person_metres += f * l.distance;
        }
    }
    sort_assignments(out.assignments);
    return out;
}

Allocation allocate_nearest(const std::vector<double>& populations, const std::vector<double>& capacities,
                            const std::vector<Link>& links) {
    detail::check_inputs(populations, capacities, links, capacities.size());
    Allocation out;
    out.unit_served.assign(populations.size(), 0.0);
    out.site_load.assign(capacities.size(), 0.0);
    count_demand(populations, links, out);
    // Links are sorted by unit then distance: the first link of a unit is its nearest.
    std::vector<Link> sorted = links;
    std::sort(sorted.begin(), sorted.end(), [](const Link& a, const Link& b) {
        return a.unit != b.unit           ? a.unit < b.unit
               : a.distance != b.distance ? a.distance < b.distance
                                          : a.site < b.site;
    });
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        if (i > 0 && sorted[i - 1].unit == sorted[i].unit) {
            continue;
        }
        const auto& l = sorted[i];
        const double p = populations[l.unit];
        if (p <= 0.0) {
            continue;
        }
        out.assignments.push_back({l.unit, l.site, p, l.distance});
        out.site_load[l.site] += p;
        out.person_metres += p * l.distance;
    }
    // Who gets a place at an overloaded shelter is first-come; per unit we
    // report the shelter's admitted share (capacity / load) of its people.
    for (const auto& a : out.assignments) {
        const double load = out.site_load[a.site];
        const double share = load > capacities[a.site] ? capacities[a.site] / load : 1.0;
        out.unit_served[a.unit] += a.people * share;
    }
    for (std::size_t s = 0; s < capacities.size(); ++s) {
        out.served += std::min(out.site_load[s], capacities[s]);
    }
    return out;
}

std::vector<std::uint32_t> overloaded_sites(const Allocation& allocation, const std::vector<double>& capacities) {
    std::vector<std::uint32_t> out;
    for (std::uint32_t s = 0; s < allocation.site_load.size() && s < capacities.size(); ++s) {
        if (allocation.site_load[s] > capacities[s] + 1e-6) {
            out.push_back(s);
        }
    }
    return out;
}

} // namespace geo::shelter
