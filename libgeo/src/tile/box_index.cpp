#include "box_index.hpp"

#include "geo/core/error.hpp"

#include <algorithm>
#include <numeric>

namespace geo::tile::detail {

namespace {

// Position of (x, y) on a Hilbert curve over a 2^16 x 2^16 grid: boxes close
// on the curve are close in space, so nodes packed in this order are tight.
std::uint32_t hilbert(std::uint32_t x, std::uint32_t y) {
    std::uint32_t d = 0;
    for (std::uint32_t s = 1U << 15U; s > 0; s >>= 1U) {
        const std::uint32_t rx = (x & s) > 0 ? 1 : 0;
        const std::uint32_t ry = (y & s) > 0 ? 1 : 0;
        d += s * s * ((3 * rx) ^ ry);
        if (ry == 0) {
            if (rx == 1) {
                x = s - 1 - x;
                y = s - 1 - y;
            }
            std::swap(x, y);
        }
    }
    return d;
}

} // namespace

void BoxIndex::add(const core::Box& box) {
    if (!m_level_end.empty()) {
        throw GeometryError("BoxIndex::add after finish()");
    }
    m_boxes.push_back(box);
    m_index.push_back(static_cast<std::uint32_t>(m_count++));
}

void BoxIndex::finish() {
    if (!m_level_end.empty()) {
        return;
    }
    if (m_count == 0) {
        m_level_end.push_back(0);
        return;
    }
    core::Box all;
    for (const auto& b : m_boxes) {
        all.expand(b);
    }
    const double w = all.width() > 0 ? all.width() : 1.0;
    const double h = all.height() > 0 ? all.height() : 1.0;
    std::vector<std::uint32_t> keys(m_count);
    for (std::size_t i = 0; i < m_count; ++i) {
        const core::XY c = m_boxes[i].center();
        keys[i] = hilbert(static_cast<std::uint32_t>((c.x - all.min_x) / w * 65535.0),
                          static_cast<std::uint32_t>((c.y - all.min_y) / h * 65535.0));
    }
    std::vector<std::uint32_t> order(m_count);
    std::iota(order.begin(), order.end(), 0U);
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return keys[a] < keys[b]; });
    std::vector<core::Box> sorted;
    sorted.reserve(m_count + m_count / (node_size - 1) + 2);
    m_index.clear();
    m_index.reserve(sorted.capacity());
    for (auto i : order) {
        sorted.push_back(m_boxes[i]);
        m_index.push_back(i);
    }
    m_boxes = std::move(sorted);
    m_level_end.push_back(m_count);
    // Upper levels until one root node remains.
    std::size_t begin = 0;
    std::size_t end = m_count;
    while (end - begin > 1) {
        for (std::size_t first = begin; first < end; first += node_size) {
            core::Box b;
            for (std::size_t k = first; k < std::min(first + node_size, end); ++k) {
                b.expand(m_boxes[k]);
            }
            m_boxes.push_back(b);
            m_index.push_back(static_cast<std::uint32_t>(first));
        }
        begin = end;
        end = m_boxes.size();
        m_level_end.push_back(end);
    }
}

void BoxIndex::query(const core::Box& q, std::vector<Hit>& out) const {
    out.clear();
    if (m_count == 0 || q.empty()) {
        return;
    }
    if (m_level_end.empty()) {
        throw GeometryError("BoxIndex::query before finish()");
    }
    // (position, level) pairs still to visit, from the root down.
    std::vector<std::pair<std::size_t, std::size_t>> stack{{m_boxes.size() - 1, m_level_end.size() - 1}};
    while (!stack.empty()) {
        const auto [pos, level] = stack.back();
        stack.pop_back();
        if (!m_boxes[pos].intersects(q)) {
            continue;
        }
        if (level == 0) {
            out.push_back({m_index[pos], static_cast<std::uint32_t>(pos)});
            continue;
        }
        const std::size_t first = m_index[pos];
        const std::size_t last = std::min(first + node_size, m_level_end[level - 1]);
        for (std::size_t child = first; child < last; ++child) {
            stack.emplace_back(child, level - 1);
        }
    }
    std::sort(out.begin(), out.end(), [](const Hit& a, const Hit& b) { return a.id < b.id; });
}

} // namespace geo::tile::detail
