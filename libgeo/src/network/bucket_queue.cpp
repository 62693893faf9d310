#include "geo/network/bucket_queue.hpp"

#include "geo/core/error.hpp"

#include <cmath>
#include <string>

namespace geo::network {

double BucketQueue::width_for(double bound) noexcept {
    return bound > 0.0 && std::isfinite(bound) ? bound / 256.0 : 1.0;
}

void BucketQueue::reset(std::size_t node_count, double bound, double width) {
    if (!(width > 0.0) || !std::isfinite(width) || !(bound >= 0.0) || !std::isfinite(bound)) {
        throw InputError("bucket queue needs a finite bound >= 0 and a positive width, got bound " +
                         std::to_string(bound) + ", width " + std::to_string(width));
    }
    const double buckets = std::floor(bound / width) + 1.0;
    if (buckets > 1e8) {
        throw InputError("bucket queue: bound / width gives too many buckets (" + std::to_string(buckets) + ")");
    }
    // A queue drained to the end leaves every slot as not_queued, so reusing it for a graph of the
    // same size needs no O(nodes) pass; one that was abandoned half-way is cleared.
    if (m_slots.size() != node_count || m_started || !m_current.empty()) {
        m_slots.assign(node_count, Slot{});
    }
    m_heads.assign(static_cast<std::size_t>(buckets), no_node);
    m_current.clear();
    m_current_next = 0;
    m_bucket = 0;
    m_started = false;
    m_inverse_width = 1.0 / width;
}

std::uint32_t BucketQueue::bucket_of(double key) const noexcept {
    const double q = key * m_inverse_width;
    const auto last = static_cast<std::uint32_t>(m_heads.size() - 1);
    if (!(q < static_cast<double>(last))) {
        return last; // also +inf and NaN
    }
    return q > 0.0 ? static_cast<std::uint32_t>(q) : 0U;
}

void BucketQueue::link(NodeId v, std::uint32_t bucket) noexcept {
    Slot& s = m_slots[v];
    s.bucket = bucket;
    s.prev = no_node;
    s.next = m_heads[bucket];
    if (s.next != no_node) {
        m_slots[s.next].prev = v;
    }
    m_heads[bucket] = v;
}

void BucketQueue::unlink(NodeId v) noexcept {
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

void BucketQueue::update(NodeId v, double key) {
    Slot& s = m_slots[v];
    if (s.bucket == in_current) {
        return; // already waiting in the bucket being drained; the caller holds its new key
    }
    const std::uint32_t b = bucket_of(key);
    if (m_started && b <= m_bucket) {
        // Dropped into the bucket being drained (through an edge shorter than the width):
        // queued again at its end, which keeps the bucket's search label-correcting and exact.
        if (s.bucket != not_queued) {
            unlink(v);
        }
        s.bucket = in_current;
        m_current.push_back(v);
        return;
    }
    if (s.bucket == b) {
        return;
    }
    if (s.bucket != not_queued) {
        unlink(v);
    }
    link(v, b);
}

bool BucketQueue::advance() noexcept {
    m_current.clear();
    m_current_next = 0;
    auto b = m_started ? m_bucket + 1 : 0U;
    m_started = true;
    for (const auto count = static_cast<std::uint32_t>(m_heads.size()); b < count; ++b) {
        if (m_heads[b] == no_node) {
            continue;
        }
        for (NodeId v = m_heads[b]; v != no_node; v = m_slots[v].next) {
            m_slots[v].bucket = in_current;
            m_current.push_back(v);
        }
        m_heads[b] = no_node;
        m_bucket = b;
        return true;
    }
    m_bucket = static_cast<std::uint32_t>(m_heads.size());
    return false;
}

NodeId BucketQueue::take() {
    while (m_current_next == m_current.size()) {
        if (!advance()) {
            m_current.clear();
            m_started = false; // drained: every slot is not_queued again, reset() can skip clearing
            return no_node;
        }
    }
    const NodeId v = m_current[m_current_next++];
    m_slots[v].bucket = not_queued;
    return v;
}

} // namespace geo::network
