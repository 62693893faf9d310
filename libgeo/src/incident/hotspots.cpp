#include "geo/incident/hotspots.hpp"

#include "geo/core/error.hpp"
#include "geo/core/prepared.hpp"
#include "geo/core/strtree.hpp"

#include <algorithm>
#include <cmath>

namespace geo::incident {

std::vector<std::vector<std::size_t>> queen_contiguity(const std::vector<core::Geometry>& polygons, double tolerance) {
    core::StrTree tree;
    for (const auto& p : polygons) {
        if (p.is_null() || p.is_empty()) {
            throw InputError("queen contiguity needs a non-empty geometry for every unit");
        }
        tree.insert(p.bounds().buffered(tolerance));
    }
    tree.build();
    std::vector<std::vector<std::size_t>> neighbours(polygons.size());
    for (std::size_t i = 0; i < polygons.size(); ++i) {
        const core::PreparedGeometry prepared(polygons[i]);
        for (const std::size_t j : tree.query(polygons[i].bounds().buffered(tolerance))) {
            if (j <= i) {
                continue; // each pair once, symmetric
            }
            const bool touch =
                tolerance > 0 ? polygons[i].distance(polygons[j]) <= tolerance : prepared.intersects(polygons[j]);
            if (touch) {
                neighbours[i].push_back(j);
                neighbours[j].push_back(i);
            }
        }
    }
    for (auto& n : neighbours) {
        std::sort(n.begin(), n.end());
    }
    return neighbours;
}

std::vector<GiStar> getis_ord_gi_star(std::span<const double> values,
                                      const std::vector<std::vector<std::size_t>>& neighbours) {
    const std::size_t n = values.size();
    if (neighbours.size() != n) {
        throw InputError("Gi*: " + std::to_string(n) + " values but " + std::to_string(neighbours.size()) +
                         " neighbour lists");
    }
    if (n < 2) {
        throw InputError("Gi* needs at least two units");
    }
    const double nd = static_cast<double>(n);
    double sum = 0.0;
    double sum_sq = 0.0;
    for (const double x : values) {
        sum += x;
        sum_sq += x * x;
    }
    const double mean = sum / nd;
    const double s = std::sqrt(std::max(0.0, sum_sq / nd - mean * mean));
    std::vector<GiStar> out(n);
    for (std::size_t i = 0; i < n; ++i) {
        // Binary weights with w_ii = 1: W_i = S_i = 1 + number of neighbours.
        double local = values[i];
        for (const std::size_t j : neighbours[i]) {
            if (j >= n || j == i) {
                throw InputError("Gi*: neighbour index out of range or self in neighbour list");
            }
            local += values[j];
        }
        const double w = 1.0 + static_cast<double>(neighbours[i].size());
        const double denom = s * std::sqrt((nd * w - w * w) / (nd - 1.0));
        GiStar g;
        if (s > 0.0 && denom > 0.0) {
            g.z = (local - mean * w) / denom;
            g.p = std::erfc(std::abs(g.z) / std::sqrt(2.0));
        }
        const int sign = g.z > 0 ? 1 : -1;
        g.bin = g.p < 0.01 ? 3 * sign : g.p < 0.05 ? 2 * sign : g.p < 0.10 ? sign : 0;
        out[i] = g;
    }
    return out;
}

} // namespace geo::incident
