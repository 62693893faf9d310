#pragma once
// Internal: bulk load of a 2-D SQLite R-tree virtual table.
//
// SQLite's rtree module has no bulk load: every INSERT walks the tree, may
// split nodes and rewrites them through blob I/O (≈ 17 µs per row at a million
// rows). A bulk import therefore rebuilds the whole index at once: the boxes
// are packed bottom-up with Sort-Tile-Recursive (Leutenegger, Lopez and
// Edgington 1997, "STR: a simple and efficient algorithm for R-tree packing")
// and written straight into the module's three shadow tables, in the format the
// module itself reads (sqlite/ext/rtree/rtree.c, "node format" comment):
//
//   <name>_node(nodeno, data)   node 1 is the root; data is node_size bytes:
//                               2-byte big-endian depth (root only, leaves are
//                               depth 0), 2-byte cell count, then cells of an
//                               8-byte big-endian rowid or child node number and
//                               minx, maxx, miny, maxy as big-endian 32-bit floats
//   <name>_rowid(rowid, nodeno) the leaf that holds each entry
//   <name>_parent(nodeno, parentnode) the parent of every node but the root
//
// The result is an ordinary R-tree: later inserts, updates and deletes by the
// GeoPackage triggers work on it, and rtreecheck() accepts it (tested).

#include "sqlite.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace geo::incident::detail {

struct RtreeEntry {
    std::int64_t id = 0;
    double min_x = 0, max_x = 0, min_y = 0, max_y = 0;
};

/// Replace the content of the 2-D R-tree table `rtree` with `entries`, inside
/// the caller's transaction. The node size is kept from the existing root
/// node (the module reads it from there).
void rebuild_rtree(Database& db, const std::string& rtree, const std::vector<RtreeEntry>& entries);

} // namespace geo::incident::detail
