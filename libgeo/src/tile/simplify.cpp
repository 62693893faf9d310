#include "simplify.hpp"

#include <cmath>
#include <utility>

namespace geo::tile::detail {

namespace {

double segment_distance2(const core::XY& p, const core::XY& a, const core::XY& b) {
    const double dx = b.x - a.x;
    const double dy = b.y - a.y;
    const double len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0.0;
    t = t < 0 ? 0 : (t > 1 ? 1 : t);
    const double ex = a.x + t * dx - p.x;
    const double ey = a.y + t * dy - p.y;
    return ex * ex + ey * ey;
}

} // namespace

core::Path simplify_path(const core::Path& path, double tolerance) {
    if (tolerance <= 0 || path.size() <= 2) {
        return path;
    }
    const double tol2 = tolerance * tolerance;
    std::vector<bool> keep(path.size(), false);
    keep.front() = true;
    keep.back() = true;
    std::vector<std::pair<std::size_t, std::size_t>> stack{{0, path.size() - 1}};
    while (!stack.empty()) {
        const auto [first, last] = stack.back();
        stack.pop_back();
        double worst = -1;
        std::size_t index = first;
        for (std::size_t i = first + 1; i < last; ++i) {
            const double d = segment_distance2(path[i], path[first], path[last]);
            if (d > worst) {
                worst = d;
                index = i;
            }
        }
        if (worst > tol2) {
            keep[index] = true;
            stack.emplace_back(first, index);
            stack.emplace_back(index, last);
        }
    }
    core::Path out;
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (keep[i]) {
            out.push_back(path[i]);
        }
    }
    return out;
}

core::Path simplify_ring(const core::Path& ring, double tolerance) {
    if (tolerance <= 0 || ring.size() <= 3) {
        return ring;
    }
    std::size_t far = 0;
    double worst = -1;
    for (std::size_t i = 1; i < ring.size(); ++i) {
        const double dx = ring[i].x - ring[0].x;
        const double dy = ring[i].y - ring[0].y;
        if (dx * dx + dy * dy > worst) {
            worst = dx * dx + dy * dy;
            far = i;
        }
    }
    core::Path first_half(ring.begin(), ring.begin() + static_cast<std::ptrdiff_t>(far) + 1);
    core::Path second_half(ring.begin() + static_cast<std::ptrdiff_t>(far), ring.end());
    second_half.push_back(ring.front());
    core::Path a = simplify_path(first_half, tolerance);
    core::Path b = simplify_path(second_half, tolerance);
    a.insert(a.end(), b.begin() + 1, b.end() - 1);
    return a;
}

} // namespace geo::tile::detail
