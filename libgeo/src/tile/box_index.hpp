#pragma once
// Internal: a static packed R-tree over feature boxes (Hilbert-sorted
// leaves, 16 entries per node), built once per zoom of a LayerIndex.
//
// Why not geo::core::StrTree: that keeps a GEOS rectangle per item (about
// 450 heap bytes each, measured in bench_tile) and builds one GEOS geometry
// per query. This one stores 36 bytes per item plus ~1/15 for upper levels,
// and its const queries need no locking.

#include "geo/core/coords.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace geo::tile::detail {

class BoxIndex {
  public:
    /// Add an item (ids are 0, 1, ... in call order). Only before finish().
    void add(const core::Box& box);
    /// Sort and pack; queries are allowed afterwards.
    void finish();

    struct Hit {
        std::uint32_t id;
        std::uint32_t position; ///< for box_at()
    };
    /// Items whose box intersects `query`, in ascending id order.
    void query(const core::Box& query, std::vector<Hit>& out) const;
    [[nodiscard]] const core::Box& box_at(std::uint32_t position) const { return m_boxes[position]; }

    [[nodiscard]] std::size_t size() const noexcept { return m_count; }
    [[nodiscard]] std::size_t memory_bytes() const noexcept {
        return m_boxes.capacity() * sizeof(core::Box) + m_index.capacity() * sizeof(std::uint32_t) +
               m_level_end.capacity() * sizeof(std::size_t);
    }

  private:
    static constexpr std::size_t node_size = 16;
    std::size_t m_count = 0;
    std::vector<core::Box> m_boxes;       // leaves (sorted items) then each upper level
    std::vector<std::uint32_t> m_index;   // leaf: item id; upper: position of first child
    std::vector<std::size_t> m_level_end; // end position of each level in m_boxes
};

} // namespace geo::tile::detail
