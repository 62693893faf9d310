#include "geo/shelter/flow.hpp"

#include "geo/core/error.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <queue>
#include <string>
#include <utility>

namespace geo::shelter {

namespace {
constexpr double infinity = std::numeric_limits<double>::infinity();
} // namespace

FlowNetwork::FlowNetwork(std::size_t nodes) : m_adjacent(nodes) {}

FlowNetwork::Node FlowNetwork::add_node() {
    m_adjacent.emplace_back();
    return static_cast<Node>(m_adjacent.size() - 1);
}

FlowNetwork::Arc FlowNetwork::add_arc(Node from, Node to, double capacity, double cost) {
    if (from >= m_adjacent.size() || to >= m_adjacent.size()) {
        throw InputError("flow arc " + std::to_string(from) + "->" + std::to_string(to) + " names an unknown node");
    }
    if (!(capacity >= 0.0) || !(cost >= 0.0) || std::isnan(cost)) {
        throw InputError("flow arc capacity and cost must be non-negative numbers");
    }
    const auto a = static_cast<Arc>(m_to.size());
    m_to.push_back(to);
    m_capacity.push_back(capacity);
    m_residual.push_back(capacity);
    m_cost.push_back(cost);
    m_to.push_back(from);
    m_capacity.push_back(0.0);
    m_residual.push_back(0.0);
    m_cost.push_back(-cost);
    m_adjacent[from].push_back(a);
    m_adjacent[to].push_back(a + 1);
    return a;
}

void FlowNetwork::set_capacity(Arc a, double capacity) {
    const double f = flow(a);
    if (!(capacity >= f - epsilon)) {
        throw InputError("new arc capacity is below the flow it already carries");
    }
    m_capacity.at(a) = capacity;
    m_residual.at(a) = std::max(0.0, capacity - f);
}

bool FlowNetwork::build_levels(Node s, Node t) {
    m_level.assign(m_adjacent.size(), -1);
    std::queue<Node> queue;
    m_level[s] = 0;
    queue.push(s);
    while (!queue.empty()) {
        const Node v = queue.front();
        queue.pop();
        for (Arc a : m_adjacent[v]) {
            const Node w = m_to[a];
            if (m_level[w] < 0 && m_residual[a] > epsilon) {
                m_level[w] = m_level[v] + 1;
                queue.push(w);
            }
        }
    }
    return m_level[t] >= 0;
}

double FlowNetwork::push(Node v, Node t, double limit) {
    if (v == t) {
        return limit;
    }
    for (std::size_t& i = m_next[v]; i < m_adjacent[v].size(); ++i) {
        const Arc a = m_adjacent[v][i];
        const Node w = m_to[a];
        if (m_residual[a] > epsilon && m_level[w] == m_level[v] + 1) {
            const double pushed = push(w, t, std::min(limit, m_residual[a]));
            if (pushed > epsilon) {
                m_residual[a] -= pushed;
                m_residual[a ^ 1U] += pushed;
                return pushed;
            }
        }
    }
    return 0.0;
}

double FlowNetwork::max_flow(Node s, Node t) {
    double total = 0.0;
    while (build_levels(s, t)) {
        m_next.assign(m_adjacent.size(), 0);
        while (true) {
            const double pushed = push(s, t, infinity);
            if (pushed <= epsilon) {
                break;
            }
            total += pushed;
        }
    }
    return total;
}

FlowNetwork::CostFlow FlowNetwork::min_cost_flow(Node s, Node t) {
    for (std::size_t a = 0; a < m_to.size(); a += 2) {
        if (flow(static_cast<Arc>(a)) > epsilon) {
            throw InputError("min_cost_flow needs a network without flow");
        }
    }
    const std::size_t n = m_adjacent.size();
    std::vector<double> potential(n, 0.0);
    std::vector<double> distance(n);
    std::vector<Arc> parent(n);
    std::vector<char> done(n);
    CostFlow result;
    using Item = std::pair<double, Node>;
    while (true) {
        std::fill(distance.begin(), distance.end(), infinity);
        std::fill(done.begin(), done.end(), 0);
        std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
        distance[s] = 0.0;
        heap.push({0.0, s});
        while (!heap.empty()) {
            const auto [d, v] = heap.top();
            heap.pop();
            if (done[v]) {
                continue;
            }
            done[v] = 1;
            if (v == t) {
                break; // nodes not settled yet are at least as far as t
            }
            for (Arc a : m_adjacent[v]) {
                if (m_residual[a] <= epsilon) {
                    continue;
                }
                const Node w = m_to[a];
                // Reduced costs are ≥ 0 in exact arithmetic; clamp rounding noise.
                const double reduced = std::max(0.0, m_cost[a] + potential[v] - potential[w]);
                if (d + reduced < distance[w]) {
                    distance[w] = d + reduced;
                    parent[w] = a;
                    heap.push({distance[w], w});
                }
            }
        }
        if (!done[t]) {
            break;
        }
        // Johnson update capped at dist(t): keeps every residual reduced cost
        // non-negative, also for nodes the early stop left unsettled.
        for (std::size_t v = 0; v < n; ++v) {
            potential[v] += std::min(distance[v], distance[t]);
        }
        double amount = infinity;
        for (Node v = t; v != s; v = m_to[parent[v] ^ 1U]) {
            amount = std::min(amount, m_residual[parent[v]]);
        }
        for (Node v = t; v != s; v = m_to[parent[v] ^ 1U]) {
            const Arc a = parent[v];
            m_residual[a] -= amount;
            m_residual[a ^ 1U] += amount;
            result.cost += amount * m_cost[a];
        }
        result.flow += amount;
        ++result.augmentations;
    }
    return result;
}

} // namespace geo::shelter
