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

    /// Takes every node in turn and calls visit(node) for it, until the queue
    /// is empty; visit may update() nodes. The same order as take() in a loop,
    /// with the bucket walk kept in the loop (the search's hot path).
    template <typename Visit> void drain(Visit&& visit);

    /// Bucket width for a search bounded by `bound` metres: bound / 256 (4.4 m
    /// for a 15-minute walk), where the Monaco benchmark is at its fastest and
    /// re-visits stay below 0.1 % of the nodes; 1 m for a zero bound.
    [[nodiscard]] static double width_for(double bound) noexcept;

  private:
    static constexpr std::uint32_t not_queued = 0xffffffffU;

    [[nodiscard]] std::size_t bucket_of(double key) const noexcept;
    void link(NodeId v, std::size_t bucket) noexcept; // at the head of a later bucket
    void append(NodeId v) noexcept;                   // at the tail of the bucket being drained
    void unlink(NodeId v) noexcept;                   // from a later bucket
    [[nodiscard]] NodeId pop_current() noexcept;      // the head of the bucket being drained
    [[nodiscard]] bool advance() noexcept;

    // Per node: its place in the doubly linked list of its bucket.
    struct Slot {
        NodeId next = no_node;
        NodeId prev = no_node;
        std::uint32_t bucket = not_queued;
    };
    std::vector<Slot> m_slots;
    std::vector<NodeId> m_heads; // first node of each bucket
    // The scalars the hot path reads are size_t, not uint32: stores into the uint32 slots and
    // heads then cannot alias them, so the compiler keeps them in registers.
    std::size_t m_queued = 0;      // nodes in some bucket; 0 after a full drain, so reset() can skip clearing
    std::size_t m_bucket = 0;      // the bucket being drained, once started
    std::size_t m_last_bucket = 0; // index of the last bucket
    double m_last_bucket_key = 0;  // the same as a double, for bucket_of
    NodeId m_tail = no_node;       // its last node, found when first needed (appends are rare)
    bool m_tail_known = false;
    bool m_started = false; // false until the first take(): every key goes to its bucket
    double m_inverse_width = 1.0;
};

// --- the hot path, inline: called once per improved node and once per taken node ---

inline std::size_t BucketQueue::bucket_of(double key) const noexcept {
    const double q = key * m_inverse_width;
    if (!(q < m_last_bucket_key)) {
        return m_last_bucket; // also +inf and NaN
    }
    return q > 0.0 ? static_cast<std::size_t>(q) : 0U;
}

inline void BucketQueue::link(NodeId v, std::size_t bucket) noexcept {
    Slot& s = m_slots[v];
    s.bucket = static_cast<std::uint32_t>(bucket);
    s.prev = no_node;
    s.next = m_heads[bucket];
    if (s.next != no_node) {
        m_slots[s.next].prev = v;
    }
    m_heads[bucket] = v;
}

inline void BucketQueue::append(NodeId v) noexcept {
    if (!m_tail_known) {
        m_tail = m_heads[m_bucket];
        while (m_tail != no_node && m_slots[m_tail].next != no_node) {
            m_tail = m_slots[m_tail].next;
        }
        m_tail_known = true;
    }
    Slot& s = m_slots[v];
    s.bucket = static_cast<std::uint32_t>(m_bucket);
    s.next = no_node;
    s.prev = m_tail;
    if (m_tail != no_node) {
        m_slots[m_tail].next = v;
    } else {
        m_heads[m_bucket] = v;
    }
    m_tail = v;
}

inline void BucketQueue::unlink(NodeId v) noexcept {
    Slot& s = m_slots[v];
    if (s.prev != no_node) {
        m_slots[s.prev].next = s.next;
    } else {
        m_heads[s.bucket] = s.next;
    }
    if (s.next != no_node) {
        m_slots[s.next].prev = s.prev;
    }
    s.bucket = not_queued;
}

inline void BucketQueue::update(NodeId v, double key) {
    std::size_t b = bucket_of(key);
    const std::size_t was = m_slots[v].bucket;
    // Dropped into the bucket being drained, through an edge shorter than the width: a node still
    // waiting there keeps its place; any other is queued at its end (first in, first out), which
    // keeps the bucket's search label-correcting and exact.
    const bool into_current = m_started && b <= m_bucket;
    if (into_current) {
        b = m_bucket;
    }
    if (was == b) {
        return;
    }
    if (was != not_queued) {
        unlink(v);
    } else {
        ++m_queued;
    }
    if (into_current) {
        append(v);
    } else {
        link(v, b);
    }
}

inline NodeId BucketQueue::pop_current() noexcept {
    const NodeId v = m_heads[m_bucket];
    Slot& s = m_slots[v];
    m_heads[m_bucket] = s.next;
    if (s.next != no_node) {
        m_slots[s.next].prev = no_node;
    } else {
        m_tail = no_node;
        m_tail_known = true;
    }
    s.bucket = not_queued;
    --m_queued;
    return v;
}

inline NodeId BucketQueue::take() {
    if (m_queued == 0) {
        m_started = false; // drained: every slot is not_queued again
        return no_node;
    }
    if (!m_started || m_heads[m_bucket] == no_node) {
        (void)advance(); // m_queued > 0: a non-empty bucket lies ahead
    }
    return pop_current();
}

template <typename Visit> void BucketQueue::drain(Visit&& visit) {
    m_started = true;
    for (m_bucket = 0; m_queued > 0; ++m_bucket) {
        m_tail_known = false;
        while (m_heads[m_bucket] != no_node) {
            visit(pop_current());
        }
    }
    m_started = false;
}

} // namespace geo::network
