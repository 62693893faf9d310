#include "geo/core/strtree.hpp"

#include "geo/core/detail/geos.hpp"
#include "geo/core/error.hpp"

#include <algorithm>
#include <cstdint>

namespace geo::core {

using detail::geos_context;

namespace {
GEOSSTRtree* tree_of(void* p) { return static_cast<GEOSSTRtree*>(p); }

// Item ids travel through GEOS as pointer-sized integers.
void* id_to_item(std::size_t id) { return reinterpret_cast<void*>(static_cast<std::uintptr_t>(id)); }
std::size_t item_to_id(void* item) { return static_cast<std::size_t>(reinterpret_cast<std::uintptr_t>(item)); }

struct Visitor {
    const std::function<void(std::size_t)>* visit;
};

void on_item(void* item, void* userdata) { (*static_cast<Visitor*>(userdata)->visit)(item_to_id(item)); }

GEOSGeometry* box_geometry(const Box& b) {
    GEOSGeometry* g = (b.width() == 0 && b.height() == 0)
                          ? GEOSGeom_createPointFromXY_r(geos_context(), b.min_x, b.min_y)
                          : GEOSGeom_createRectangle_r(geos_context(), b.min_x, b.min_y, b.max_x, b.max_y);
    if (g == nullptr) {
        detail::throw_geos_error("creating an index box");
    }
    return g;
}
} // namespace

StrTree::StrTree(std::size_t node_capacity) {
    m_tree = GEOSSTRtree_create_r(geos_context(), std::max<std::size_t>(2, node_capacity));
    if (m_tree == nullptr) {
        detail::throw_geos_error("creating an STRtree");
    }
}

StrTree::~StrTree() {
    if (m_tree != nullptr) {
        GEOSSTRtree_destroy_r(geos_context(), tree_of(m_tree));
    }
    for (void* g : m_box_geometries) {
        GEOSGeom_destroy_r(geos_context(), static_cast<GEOSGeometry*>(g));
    }
}

StrTree::StrTree(StrTree&& other) noexcept
    : m_tree(other.m_tree), m_boxes(std::move(other.m_boxes)), m_box_geometries(std::move(other.m_box_geometries)),
      m_built(other.m_built) {
    other.m_tree = nullptr;
    other.m_box_geometries.clear();
}

StrTree& StrTree::operator=(StrTree&& other) noexcept {
    if (this != &other) {
        this->~StrTree();
        m_tree = other.m_tree;
        m_boxes = std::move(other.m_boxes);
        m_box_geometries = std::move(other.m_box_geometries);
        m_built = other.m_built;
        other.m_tree = nullptr;
        other.m_box_geometries.clear();
    }
    return *this;
}

std::size_t StrTree::insert(const Box& box) {
    if (m_built) {
        throw GeometryError("StrTree::insert after the tree was built");
    }
    if (box.empty()) {
        throw GeometryError("StrTree::insert of an empty box");
    }
    const std::size_t id = m_boxes.size();
    GEOSGeometry* g = box_geometry(box);
    m_box_geometries.push_back(g);
    m_boxes.push_back(box);
    GEOSSTRtree_insert_r(geos_context(), tree_of(m_tree), g, id_to_item(id));
    return id;
}

void StrTree::build() {
    if (!m_built) {
        // GEOS 3.11 has no explicit build call: the tree is packed by its
        // first query. Querying once here makes later queries read-only,
        // so several threads may query concurrently afterwards.
        m_built = true;
        if (!m_boxes.empty()) {
            GEOSGeometry* g = box_geometry(m_boxes.front());
            auto ignore = [](void*, void*) {};
            GEOSSTRtree_query_r(geos_context(), tree_of(m_tree), g, ignore, nullptr);
            GEOSGeom_destroy_r(geos_context(), g);
        }
    }
}

void StrTree::query(const Box& box, const std::function<void(std::size_t id)>& visit) {
    build();
    if (m_boxes.empty() || box.empty()) {
        return;
    }
    GEOSGeometry* g = box_geometry(box);
    Visitor v{&visit};
    GEOSSTRtree_query_r(geos_context(), tree_of(m_tree), g, &on_item, &v);
    GEOSGeom_destroy_r(geos_context(), g);
}

std::vector<std::size_t> StrTree::query(const Box& box) {
    std::vector<std::size_t> ids;
    query(box, [&](std::size_t id) {
        if (m_boxes[id].intersects(box)) {
            ids.push_back(id);
        }
    });
    std::sort(ids.begin(), ids.end());
    return ids;
}

std::vector<std::size_t> StrTree::query(XY point) { return query(Box{point.x, point.y, point.x, point.y}); }

} // namespace geo::core
