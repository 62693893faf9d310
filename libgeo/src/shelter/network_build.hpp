#pragma once
// Internal: the source → units → sites → sink network shared by the
// allocation and the siting greedy.

#include "geo/shelter/flow.hpp"
#include "geo/shelter/reach.hpp"

#include <limits>
#include <vector>

namespace geo::shelter::detail {

inline constexpr FlowNetwork::Node no_flow_node = std::numeric_limits<FlowNetwork::Node>::max();

struct BuiltNetwork {
    FlowNetwork net;
    FlowNetwork::Node source = 0;
    FlowNetwork::Node sink = 0;
    std::vector<FlowNetwork::Node> unit_node; ///< no_flow_node for units without links
    std::vector<FlowNetwork::Node> site_node; ///< no_flow_node for sites without links
    std::vector<FlowNetwork::Arc> sink_arc;   ///< site → sink (valid only where site_node is set)
    std::vector<FlowNetwork::Arc> link_arc;   ///< one per link, same order
};

/// Throws InputError for negative or non-finite populations/capacities or bad links.
void check_inputs(const std::vector<double>& populations, const std::vector<double>& capacities,
                  const std::vector<Link>& links, std::size_t site_count);

/// Only units and sites that appear in a link get nodes.
BuiltNetwork build_network(const std::vector<double>& populations, const std::vector<double>& site_capacities,
                           const std::vector<Link>& links);

} // namespace geo::shelter::detail
