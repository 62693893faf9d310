#include "geo/incident/assigner.hpp"

#include "geo/core/error.hpp"
#include "geo/core/prepared.hpp"
#include "geo/core/strtree.hpp"

#include <algorithm>

namespace geo::incident {

struct GridAssigner::Impl {
    std::vector<Grid> grids;                      // sorted by code
    std::vector<core::PreparedGeometry> prepared; // same order
    mutable core::StrTree tree;                   // item id == index into grids
    mutable std::vector<std::size_t> candidates;
};

GridAssigner::GridAssigner(std::vector<Grid> grids) : m_impl(std::make_unique<Impl>()) {
    std::sort(grids.begin(), grids.end(), [](const Grid& a, const Grid& b) { return a.code < b.code; });
    for (std::size_t i = 0; i < grids.size(); ++i) {
        const ErrorContext ctx{{}, "grids", static_cast<std::int64_t>(i)};
        if (grids[i].code.empty()) {
            throw InputError("a grid has an empty code", ctx, "every grid needs its code");
        }
        if (i > 0 && grids[i].code == grids[i - 1].code) {
            throw InputError("grid code '" + grids[i].code + "' appears twice", ctx, "grid codes must be unique");
        }
        auto& g = grids[i].geometry;
        if (g.is_null() || g.is_empty()) {
            throw InputError("grid '" + grids[i].code + "' has no geometry", ctx);
        }
        const auto type = g.type();
        if (type != core::GeometryType::polygon && type != core::GeometryType::multi_polygon) {
            g = g.polygonal_parts();
            if (g.is_empty()) {
                throw InputError("grid '" + grids[i].code + "' is not a polygon (" + core::to_string(type) + ")", ctx);
            }
        }
        if (!g.is_valid()) {
            g = g.make_valid().polygonal_parts();
        }
    }
    m_impl->prepared.reserve(grids.size());
    for (const auto& g : grids) {
        m_impl->tree.insert(g.geometry.bounds());
        m_impl->prepared.emplace_back(g.geometry);
    }
    m_impl->tree.build();
    m_impl->grids = std::move(grids);
}

GridAssigner::~GridAssigner() = default;
GridAssigner::GridAssigner(GridAssigner&&) noexcept = default;
GridAssigner& GridAssigner::operator=(GridAssigner&&) noexcept = default;

Assignment GridAssigner::assign(core::XY point) const {
    auto& im = *m_impl;
    im.candidates.clear();
    im.tree.query(core::Box{point.x, point.y, point.x, point.y}, [&](std::size_t id) { im.candidates.push_back(id); });
    // Smallest code wins on shared edges: candidates in index (= code) order.
    std::sort(im.candidates.begin(), im.candidates.end());
    for (const std::size_t id : im.candidates) {
        if (im.tree.box(id).contains(point) && im.prepared[id].covers(point)) {
            return Assignment{id};
        }
    }
    return Assignment{};
}

std::vector<Assignment> GridAssigner::assign_all(const std::vector<core::XY>& points) const {
    std::vector<Assignment> out;
    out.reserve(points.size());
    for (const auto& p : points) {
        out.push_back(assign(p));
    }
    return out;
}

const std::vector<Grid>& GridAssigner::grids() const noexcept {
    return m_impl->grids;
}
std::size_t GridAssigner::size() const noexcept {
    return m_impl->grids.size();
}

} // namespace geo::incident
