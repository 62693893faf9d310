#include "geo/network/snap.hpp"

#include "geo/core/error.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace geo::network {

namespace {

// Closest point of segment ab to p: (squared distance, parameter t in [0,1]).
std::pair<double, double> closest_on_segment(core::XY p, core::XY a, core::XY b) {
    const double dx = b.x - a.x;
    const double dy = b.y - a.y;
    const double len2 = dx * dx + dy * dy;
    double t = 0.0;
    if (len2 > 0.0) {
        t = std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / len2, 0.0, 1.0);
    }
    const double cx = a.x + t * dx - p.x;
    const double cy = a.y + t * dy - p.y;
    return {cx * cx + cy * cy, t};
}

} // namespace

Snapper::Snapper(const Graph& graph, SnapOptions options) : m_graph(&graph), m_options(options) {
    if (!(options.max_distance >= 0.0) || !std::isfinite(options.max_distance)) {
        throw InputError("maximum snap distance must be a finite, non-negative number of metres");
    }
    for (EdgeId e = 0; e < graph.edge_count(); ++e) {
        if (graph.component_size(graph.component(graph.edge_from(e))) < options.min_component_nodes) {
            continue;
        }
        const auto geometry = graph.edge_geometry(e);
        double offset = 0.0;
        for (std::size_t i = 1; i < geometry.size(); ++i) {
            m_segments.push_back({e, offset, geometry[i - 1], geometry[i]});
            m_box.expand(geometry[i - 1]);
            m_box.expand(geometry[i]);
            offset += std::hypot(geometry[i].x - geometry[i - 1].x, geometry[i].y - geometry[i - 1].y);
        }
    }
    if (m_segments.empty()) {
        return;
    }
    // Cells of about the snap distance (and never so small that the grid explodes).
    const double span = std::max(m_box.width(), m_box.height());
    m_cell = std::max({options.max_distance, span / 2048.0, 1e-9});
    m_columns = static_cast<std::size_t>(m_box.width() / m_cell) + 1;
    m_rows = static_cast<std::size_t>(m_box.height() / m_cell) + 1;
    auto cell_range = [&](const Segment& s) {
        const auto c0 = static_cast<std::size_t>((std::min(s.a.x, s.b.x) - m_box.min_x) / m_cell);
        const auto c1 = static_cast<std::size_t>((std::max(s.a.x, s.b.x) - m_box.min_x) / m_cell);
        const auto r0 = static_cast<std::size_t>((std::min(s.a.y, s.b.y) - m_box.min_y) / m_cell);
        const auto r1 = static_cast<std::size_t>((std::max(s.a.y, s.b.y) - m_box.min_y) / m_cell);
        return std::array<std::size_t, 4>{std::min(c0, m_columns - 1), std::min(c1, m_columns - 1),
                                          std::min(r0, m_rows - 1), std::min(r1, m_rows - 1)};
    };
    m_cell_offsets.assign(m_columns * m_rows + 1, 0);
    for (const Segment& s : m_segments) {
        const auto [c0, c1, r0, r1] = cell_range(s);
        for (std::size_t r = r0; r <= r1; ++r) {
            for (std::size_t c = c0; c <= c1; ++c) {
                ++m_cell_offsets[r * m_columns + c + 1];
            }
        }
    }
    for (std::size_t i = 1; i < m_cell_offsets.size(); ++i) {
        m_cell_offsets[i] += m_cell_offsets[i - 1];
    }
    m_cell_items.resize(m_cell_offsets.back());
    std::vector<std::uint32_t> cursor(m_cell_offsets.begin(), m_cell_offsets.end() - 1);
    for (std::uint32_t i = 0; i < m_segments.size(); ++i) {
        const auto [c0, c1, r0, r1] = cell_range(m_segments[i]);
        for (std::size_t r = r0; r <= r1; ++r) {
            for (std::size_t c = c0; c <= c1; ++c) {
                m_cell_items[cursor[r * m_columns + c]++] = i;
            }
        }
    }
}

std::optional<Snap> Snapper::snap(core::XY point) const {
    if (m_segments.empty() || !std::isfinite(point.x) || !std::isfinite(point.y)) {
        return std::nullopt;
    }
    const double reach = m_options.max_distance;
    const core::Box query = core::Box{point.x, point.y, point.x, point.y}.buffered(reach);
    if (!query.intersects(m_box)) {
        return std::nullopt;
    }
    auto clamp_cell = [](double v, std::size_t count) {
        return static_cast<std::size_t>(std::clamp(v, 0.0, static_cast<double>(count - 1)));
    };
    const std::size_t c0 = clamp_cell((query.min_x - m_box.min_x) / m_cell, m_columns);
    const std::size_t c1 = clamp_cell((query.max_x - m_box.min_x) / m_cell, m_columns);
    const std::size_t r0 = clamp_cell((query.min_y - m_box.min_y) / m_cell, m_rows);
    const std::size_t r1 = clamp_cell((query.max_y - m_box.min_y) / m_cell, m_rows);

    double best_d2 = reach * reach;
    const Segment* best = nullptr;
    double best_t = 0.0;
    for (std::size_t r = r0; r <= r1; ++r) {
        for (std::size_t c = c0; c <= c1; ++c) {
            const std::size_t cell = r * m_columns + c;
            for (std::uint32_t k = m_cell_offsets[cell]; k < m_cell_offsets[cell + 1]; ++k) {
                const Segment& s = m_segments[m_cell_items[k]];
                const auto [d2, t] = closest_on_segment(point, s.a, s.b);
                const bool better =
                    d2 < best_d2 || (d2 == best_d2 && best != nullptr &&
                                     (s.edge < best->edge || (s.edge == best->edge && s.offset < best->offset)));
                if (better || (best == nullptr && d2 <= best_d2)) {
                    best_d2 = d2;
                    best = &s;
                    best_t = t;
                }
            }
        }
    }
    if (best == nullptr) {
        return std::nullopt;
    }
    const double segment_length = std::hypot(best->b.x - best->a.x, best->b.y - best->a.y);
    const double length = m_graph->edge_length(best->edge);
    Snap result;
    result.at = {best->edge, std::clamp(best->offset + best_t * segment_length, 0.0, length)};
    result.distance = std::sqrt(best_d2);
    result.point = {best->a.x + best_t * (best->b.x - best->a.x), best->a.y + best_t * (best->b.y - best->a.y)};
    return result;
}

} // namespace geo::network
