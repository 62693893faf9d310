#pragma once
// geo::network::BucketQueue: the priority queue of the bounded Dijkstra runs
// (Reach, shelter reach). Walking searches are bounded (a 15-minute walk is
// 1,125 m), so keys live in [0, bound] and can be kept in buckets of a fixed
// width instead of a heap: inserting, moving and taking a node are O(1)
// pointer updates (Dial's algorithm). On the Monaco graph this is 2.5-3x
// faster than a binary heap (docs/benchmarks.md, "Walking distances").
//
// Exactness. Buckets are taken in increasing order. When a bucket is taken,
// every node in it has a key in [b·w, (b+1)·w); a node's key can still drop
// inside the bucket only through an edge shorter than the width w. Such a
// node is queued again at the end of the bucket being drained (first in,
// first out), so the bucket is finished as a label-correcting search
// (Bellman-Ford-Moore inside one bucket: polynomial, and on street networks a
// handful of extra visits per run). The distances that come out are the
// unique fixed point d(v) = min(start(v), min over u of d(u) + len(u, v)),
// bit for bit what a heap-based Dijkstra computes (tests/unit/network check
// both on random graphs, the networkx oracle on real OSM data). A node may
// therefore be taken more than once; the caller relaxes its edges each time
// with its current distance.
//
// Usage: reset() with the node count, the bound and the bucket width, then
// update() every improved node with its new key and take() until it returns
// no_node. Keys must never be below the key of the last node taken (true for
// Dijkstra with non-negative lengths). The queue is reusable: reset() costs
// O(buckets), plus O(nodes) only when the node count changes.

#include "geo/network/graph.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace geo::network {

class BucketQueue {
  public:
    /// Prepares an empty queue for nodes 0..node_count-1 and keys in
    /// [0, bound] (keys above the bound go to the last bucket). `width`
    /// must be positive; bound / width + 1 buckets are used.
    void reset(std::size_t node_count, double bound, double width);

    /// Inserts node v with `key`, or moves it if it is queued with a larger key.
    void update(NodeId v, double key);

    /// Takes the next node, or returns no_node when the queue is empty.
    [[nodiscard]] NodeId take();

    /// Bucket width for a search bounded by `bound` metres: bound / 256 (4.4 m
    /// for a 15-minute walk), where the Monaco benchmark is at its fastest and
    /// re-visits stay below 0.1 % of the nodes; 1 m for a zero bound.
    [[nodiscard]] static double width_for(double bound) noexcept;

  private:
    static constexpr std::uint32_t not_queued = 0xffffffffU;
    static constexpr std::uint32_t in_current = 0xfffffffeU; // in the FIFO of the bucket being drained

    [[nodiscard]] std::uint32_t bucket_of(double key) const noexcept;
    void link(NodeId v, std::uint32_t bucket) noexcept;
    void unlink(NodeId v) noexcept;
    [[nodiscard]] bool advance() noexcept;

    // Per node: the doubly linked list of its bucket, and where it is.
    struct Slot {
        NodeId next = no_node;
        NodeId prev = no_node;
        std::uint32_t bucket = not_queued;
    };
    std::vector<Slot> m_slots;
    std::vector<NodeId> m_heads;   // first node of each bucket
    std::vector<NodeId> m_current; // the bucket being drained, first in first out
    std::size_t m_current_next = 0;
    std::uint32_t m_bucket = 0; // index of the bucket being drained
    bool m_started = false;     // false until the first take(): every key goes to its bucket
    double m_inverse_width = 1.0;
};

} // namespace geo::network
