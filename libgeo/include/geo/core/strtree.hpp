#pragma once
// geo::core::StrTree: GEOS's sort-tile-recursive tree over item boxes.
// Items are identified by their index (0..n-1) in insertion order; the tree
// is built on the first query and is read-only afterwards (queries from
// several threads are safe once built; call build() first).

#include "geo/core/coords.hpp"

#include <cstddef>
#include <functional>
#include <vector>

namespace geo::core {

class StrTree {
public:
    explicit StrTree(std::size_t node_capacity = 10);
    ~StrTree();
    StrTree(const StrTree&) = delete;
    StrTree& operator=(const StrTree&) = delete;
    StrTree(StrTree&& other) noexcept;
    StrTree& operator=(StrTree&& other) noexcept;

    /// Add an item; returns its id. Not allowed after the first query.
    std::size_t insert(const Box& box);
    /// Build the tree now (otherwise done lazily by the first query).
    void build();

    [[nodiscard]] std::size_t size() const noexcept { return m_boxes.size(); }
    [[nodiscard]] const Box& box(std::size_t id) const { return m_boxes.at(id); }

    /// Call visit(id) for every item whose box intersects `box`.
    void query(const Box& box, const std::function<void(std::size_t id)>& visit);
    /// Ids whose box intersects `box`, in ascending order.
    [[nodiscard]] std::vector<std::size_t> query(const Box& box);
    /// Ids whose box contains the point, in ascending order.
    [[nodiscard]] std::vector<std::size_t> query(XY point);

private:
    void* m_tree = nullptr; // GEOSSTRtree*, owned
    std::vector<Box> m_boxes;
    std::vector<void*> m_box_geometries; // GEOSGeometry* envelopes the tree references
    bool m_built = false;
};

} // namespace geo::core
