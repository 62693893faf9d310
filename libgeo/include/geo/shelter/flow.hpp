#pragma once
// A directed flow network with real capacities and non-negative costs, and
// the two exact algorithms the shelter analyses need:
//  * min_cost_flow: successive shortest paths with Johnson potentials
//    (Dijkstra on reduced costs). It sends the MAXIMUM flow from s to t and,
//    among maximum flows, one of minimum total cost — the allocation rule
//    "serve as many people as possible, then walk as little as possible".
//  * max_flow: Dinic's blocking flows, continuing from the current flow, so
//    the siting greedy can open one more sink and ask how much more fits.
// Quantities are doubles (people, metres); amounts below `epsilon` count as
// zero. Arcs are numbered in pairs: arc a and its reverse a ^ 1.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace geo::shelter {

class FlowNetwork {
  public:
    using Node = std::uint32_t;
    using Arc = std::uint32_t;
    static constexpr double epsilon = 1e-9;

    explicit FlowNetwork(std::size_t nodes = 0);

    Node add_node();
    [[nodiscard]] std::size_t node_count() const noexcept { return m_adjacent.size(); }
    [[nodiscard]] std::size_t arc_count() const noexcept { return m_to.size() / 2; }

    /// Adds arc from → to (and its residual reverse). Throws InputError for a
    /// negative or NaN capacity or cost, or an unknown node.
    Arc add_arc(Node from, Node to, double capacity, double cost = 0.0);

    /// Raise (or lower, down to the current flow) the capacity of arc a.
    void set_capacity(Arc a, double capacity);
    [[nodiscard]] double capacity(Arc a) const { return m_capacity.at(a); }
    /// Flow currently on arc a (an even, forward arc).
    [[nodiscard]] double flow(Arc a) const { return m_capacity.at(a) - m_residual.at(a); }
    [[nodiscard]] double cost(Arc a) const { return m_cost.at(a); }
    [[nodiscard]] Node head(Arc a) const { return m_to.at(a); }
    [[nodiscard]] Node tail(Arc a) const { return m_to.at(a ^ 1U); }

    /// Augments from the current flow to a maximum s–t flow; returns the
    /// amount added.
    double max_flow(Node s, Node t);

    struct CostFlow {
        double flow = 0.0;
        double cost = 0.0;
        std::size_t augmentations = 0;
    };
    /// Min-cost maximum flow from s to t. Requires the network to carry no
    /// flow yet (throws InputError otherwise): the potentials start at 0,
    /// which is valid because all costs are non-negative.
    CostFlow min_cost_flow(Node s, Node t);

  private:
    bool build_levels(Node s, Node t);
    double push(Node v, Node t, double limit);

    std::vector<std::vector<Arc>> m_adjacent;
    std::vector<Node> m_to;
    std::vector<double> m_capacity;
    std::vector<double> m_residual;
    std::vector<double> m_cost;
    std::vector<int> m_level;
    std::vector<std::size_t> m_next;
};

} // namespace geo::shelter
