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
    if (buckets > 1e8) { // also keeps bucket indices below not_queued
        throw InputError("bucket queue: bound / width gives too many buckets (" + std::to_string(buckets) + ")");
    }
    // A queue drained to the end leaves every slot not_queued, so reusing it for a graph of the
    // same size needs no O(nodes) pass; one abandoned half-way is cleared.
    if (m_slots.size() != node_count || m_queued != 0) {
        m_slots.assign(node_count, Slot{});
    }
    m_heads.assign(static_cast<std::size_t>(buckets), no_node);
    m_queued = 0;
    m_bucket = 0;
    m_last_bucket = m_heads.size() - 1;
    m_last_bucket_key = static_cast<double>(m_last_bucket);
    m_tail = no_node;
    m_tail_known = false;
    m_started = false;
    m_inverse_width = 1.0 / width;
}

bool BucketQueue::advance() noexcept {
    std::size_t b = m_started ? m_bucket + 1 : 0U;
    m_started = true;
    for (const std::size_t count = m_heads.size(); b < count; ++b) {
        if (m_heads[b] != no_node) {
            m_bucket = b;
            m_tail_known = false;
            return true;
        }
    }
    return false; // unreachable while m_queued > 0
}

} // namespace geo::network
