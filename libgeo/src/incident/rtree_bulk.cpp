#include "rtree_bulk.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <limits>

namespace geo::incident::detail {

namespace {

// Cell layout of a 2-D rtree node: 8-byte id + 4 floats.
constexpr std::size_t cell_bytes = 8 + 4 * 4;
constexpr std::size_t node_header_bytes = 4;
// rtree.c caps a node at 51 cells (RTREE_MAXCELLS) and page_size - 64 bytes;
// used only when the table has no root node to read the size from.
constexpr std::size_t default_node_bytes = node_header_bytes + 51 * cell_bytes;

// The module stores 32-bit floats rounded outwards, so that a box always
// contains the double box it was given (queries rely on it).
float round_down(double d) {
    const auto f = static_cast<float>(d);
    return static_cast<double>(f) > d ? std::nextafter(f, -std::numeric_limits<float>::infinity()) : f;
}

float round_up(double d) {
    const auto f = static_cast<float>(d);
    return static_cast<double>(f) < d ? std::nextafter(f, std::numeric_limits<float>::infinity()) : f;
}

struct Cell {
    std::int64_t id = 0; // entry rowid in a leaf, child node index in the level below otherwise
    float min_x = 0, max_x = 0, min_y = 0, max_y = 0;
    [[nodiscard]] float cx() const { return min_x + (max_x - min_x) / 2; }
    [[nodiscard]] float cy() const { return min_y + (max_y - min_y) / 2; }
};

// One tree level: node k holds cells [k * per_node, min((k + 1) * per_node, size)).
struct Level {
    std::vector<Cell> cells;
    std::size_t nodes = 0;
};

// Sort-Tile-Recursive order: ceil(sqrt(P)) vertical slices by x centre, each
// sorted by y centre, so consecutive runs of `per_node` cells are compact tiles.
void str_order(std::vector<Cell>& cells, std::size_t per_node) {
    const std::size_t nodes = (cells.size() + per_node - 1) / per_node;
    const auto slices = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(nodes))));
    const std::size_t slice_cells = slices * per_node;
    std::sort(cells.begin(), cells.end(), [](const Cell& a, const Cell& b) { return a.cx() < b.cx(); });
    for (std::size_t start = 0; start < cells.size(); start += slice_cells) {
        const auto first = cells.begin() + static_cast<std::ptrdiff_t>(start);
        const auto last = cells.begin() + static_cast<std::ptrdiff_t>(std::min(cells.size(), start + slice_cells));
        std::sort(first, last, [](const Cell& a, const Cell& b) { return a.cy() < b.cy(); });
    }
}

// The level above `below`: one cell per node of `below`, covering its cells.
Level parent_level(const Level& below, std::size_t per_node) {
    Level up;
    up.cells.reserve(below.nodes);
    for (std::size_t k = 0; k < below.nodes; ++k) {
        const std::size_t first = k * per_node;
        const std::size_t last = std::min(below.cells.size(), first + per_node);
        Cell c{static_cast<std::int64_t>(k), below.cells[first].min_x, below.cells[first].max_x,
               below.cells[first].min_y, below.cells[first].max_y};
        for (std::size_t i = first + 1; i < last; ++i) {
            c.min_x = std::min(c.min_x, below.cells[i].min_x);
            c.max_x = std::max(c.max_x, below.cells[i].max_x);
            c.min_y = std::min(c.min_y, below.cells[i].min_y);
            c.max_y = std::max(c.max_y, below.cells[i].max_y);
        }
        up.cells.push_back(c);
    }
    return up;
}

void put_be(unsigned char* out, std::uint64_t v, int bytes) {
    for (int i = bytes - 1; i >= 0; --i) {
        out[i] = static_cast<unsigned char>(v & 0xFF);
        v >>= 8;
    }
}

std::string quoted(const std::string& name) {
    std::string q = "\"";
    for (const char ch : name) {
        q.push_back(ch);
        if (ch == '"') {
            q.push_back('"');
        }
    }
    return q + "\"";
}

} // namespace

void rebuild_rtree(Database& db, const std::string& rtree, const std::vector<RtreeEntry>& entries) {
    const std::string node_table = quoted(rtree + "_node");
    const std::string rowid_table = quoted(rtree + "_rowid");
    const std::string parent_table = quoted(rtree + "_parent");

    std::size_t node_bytes = default_node_bytes;
    {
        Statement size(db, "SELECT length(data) FROM " + node_table + " WHERE nodeno = 1");
        if (size.step() && size.int64(0) > static_cast<std::int64_t>(node_header_bytes + cell_bytes)) {
            node_bytes = static_cast<std::size_t>(size.int64(0));
        }
    }
    const std::size_t per_node = (node_bytes - node_header_bytes) / cell_bytes;

    // Levels bottom-up; each level is put in STR order before being cut into
    // nodes, so sibling leaves and sibling inner nodes are spatially compact.
    std::vector<Level> levels(1);
    levels[0].cells.reserve(entries.size());
    for (const auto& e : entries) {
        levels[0].cells.push_back(
            Cell{e.id, round_down(e.min_x), round_up(e.max_x), round_down(e.min_y), round_up(e.max_y)});
    }
    while (true) {
        Level& level = levels.back();
        str_order(level.cells, per_node);
        level.nodes = std::max<std::size_t>(1, (level.cells.size() + per_node - 1) / per_node);
        if (level.nodes == 1) {
            break;
        }
        levels.push_back(parent_level(level, per_node));
    }

    // Node numbers: the root (top level) is 1, then each level downwards.
    std::vector<std::int64_t> first_number(levels.size());
    std::int64_t next = 1;
    for (std::size_t l = levels.size(); l-- > 0;) {
        first_number[l] = next;
        next += static_cast<std::int64_t>(levels[l].nodes);
    }

    db.exec("DELETE FROM " + node_table + "; DELETE FROM " + rowid_table + "; DELETE FROM " + parent_table);
    Statement put_node(db, "INSERT INTO " + node_table + " (nodeno, data) VALUES (?1, ?2)");
    Statement put_parent(db, "INSERT INTO " + parent_table + " (nodeno, parentnode) VALUES (?1, ?2)");
    std::vector<unsigned char> data(node_bytes);
    std::vector<std::pair<std::int64_t, std::int64_t>> leaf_of; // (entry id, leaf node number)
    leaf_of.reserve(levels[0].cells.size());
    const auto depth = static_cast<std::uint64_t>(levels.size() - 1);
    for (std::size_t l = 0; l < levels.size(); ++l) {
        const Level& level = levels[l];
        for (std::size_t k = 0; k < level.nodes; ++k) {
            const std::int64_t number = first_number[l] + static_cast<std::int64_t>(k);
            const std::size_t first = k * per_node;
            const std::size_t last = std::min(level.cells.size(), first + per_node);
            std::fill(data.begin(), data.end(), 0);
            put_be(data.data(), number == 1 ? depth : 0, 2);
            put_be(data.data() + 2, last - first, 2);
            unsigned char* out = data.data() + node_header_bytes;
            for (std::size_t i = first; i < last; ++i, out += cell_bytes) {
                const Cell& c = level.cells[i];
                const std::int64_t id = l == 0 ? c.id : first_number[l - 1] + c.id;
                put_be(out, static_cast<std::uint64_t>(id), 8);
                put_be(out + 8, std::bit_cast<std::uint32_t>(c.min_x), 4);
                put_be(out + 12, std::bit_cast<std::uint32_t>(c.max_x), 4);
                put_be(out + 16, std::bit_cast<std::uint32_t>(c.min_y), 4);
                put_be(out + 20, std::bit_cast<std::uint32_t>(c.max_y), 4);
                if (l == 0) {
                    leaf_of.emplace_back(c.id, number);
                } else {
                    put_parent.reset().bind(1, id).bind(2, number).run();
                }
            }
            put_node.reset().bind(1, number).bind_blob(2, data).run();
        }
    }
    // Entry ids ascending: appends to the rowid table's B-tree.
    std::sort(leaf_of.begin(), leaf_of.end());
    Statement put_rowid(db, "INSERT INTO " + rowid_table + " (rowid, nodeno) VALUES (?1, ?2)");
    for (const auto& [id, leaf] : leaf_of) {
        put_rowid.reset().bind(1, id).bind(2, leaf).run();
    }
}

} // namespace geo::incident::detail
