// The bucket queue and the Reach built on it must give exactly what a plain
// binary-heap Dijkstra gives, bit for bit, whatever the bucket width: on
// random graphs with zero-length, tiny and long edges, many sources and
// bounds that cut the search.

#include "geo/core/error.hpp"
#include "geo/network/bucket_queue.hpp"
#include "geo/network/dijkstra.hpp"
#include "geo/network/graph.hpp"

#include "reference_dijkstra.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <utility>
#include <vector>

using namespace geo::network;

namespace {

// A random graph: nodes on a jittered grid, edges to grid neighbours (some
// left out) plus random chords, straight lines between their nodes. A share
// of the nodes get a twin at the same point or a few millimetres away, joined
// to it by a zero-length or tiny edge and to a neighbour of the original: the
// cases where a bucket wider than an edge has to correct itself.
Graph random_graph(std::mt19937& rng, int side) {
    std::uniform_real_distribution<double> jitter(-20.0, 20.0);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    GraphBuilder b;
    std::vector<NodeId> ids;
    std::vector<geo::core::XY> where;
    for (int y = 0; y < side; ++y) {
        for (int x = 0; x < side; ++x) {
            const geo::core::XY p{x * 60.0 + jitter(rng), y * 60.0 + jitter(rng)};
            ids.push_back(b.add_node(p));
            where.push_back(p);
        }
    }
    const auto grid = ids.size();
    for (std::size_t i = 0; i < grid; ++i) {
        const double r = unit(rng);
        if (r < 0.16) {
            const double shift = r < 0.08 ? 0.0 : 0.003;
            const NodeId twin = b.add_node({where[i].x + shift, where[i].y});
            b.add_edge(ids[i], twin);
            b.add_edge(twin, ids[(i + 1) % grid]);
        }
    }
    for (int y = 0; y < side; ++y) {
        for (int x = 0; x < side; ++x) {
            const auto i = static_cast<std::size_t>(y * side + x);
            if (x + 1 < side && unit(rng) < 0.85) {
                b.add_edge(ids[i], ids[i + 1]);
            }
            if (y + 1 < side && unit(rng) < 0.85) {
                b.add_edge(ids[i], ids[i + static_cast<std::size_t>(side)]);
            }
        }
    }
    std::uniform_int_distribution<std::size_t> any(0, grid - 1);
    for (int k = 0; k < side; ++k) {
        b.add_edge(ids[any(rng)], ids[any(rng)]);
    }
    return b.build();
}

std::vector<Source> random_sources(std::mt19937& rng, const Graph& g, int count) {
    std::uniform_int_distribution<EdgeId> edge(0, static_cast<EdgeId>(g.edge_count() - 1));
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::vector<Source> sources;
    for (int k = 0; k < count; ++k) {
        const EdgeId e = edge(rng);
        sources.push_back({{e, unit(rng) * g.edge_length(e)}, static_cast<std::uint32_t>(k)});
    }
    return sources;
}

} // namespace

TEST(BucketQueue, TakesNodesBucketByBucket) {
    BucketQueue q;
    q.reset(5, 100.0, 10.0);
    q.update(0, 55.0);
    q.update(1, 5.0);
    q.update(2, 99.0);
    q.update(3, 57.0);
    q.update(2, 12.0); // decrease: moves to bucket 1
    EXPECT_EQ(q.take(), 1U);
    EXPECT_EQ(q.take(), 2U);
    const NodeId a = q.take();
    const NodeId b = q.take();
    EXPECT_TRUE((a == 0 && b == 3) || (a == 3 && b == 0)); // same bucket [50, 60)
    EXPECT_EQ(q.take(), no_node);
}

TEST(BucketQueue, ANodeImprovedIntoTheBucketBeingDrainedIsTakenAgain) {
    BucketQueue q;
    q.reset(3, 100.0, 10.0);
    q.update(0, 51.0);
    q.update(1, 58.0);
    EXPECT_NE(q.take(), no_node); // drains bucket 5: both nodes are in its queue now
    q.update(2, 53.0);            // reached through a short edge: same bucket, queued at its end
    NodeId last = no_node;
    for (NodeId v = q.take(); v != no_node; v = q.take()) {
        last = v;
    }
    EXPECT_EQ(last, 2U);
}

TEST(BucketQueue, KeysBeyondTheBoundGoToTheLastBucket) {
    BucketQueue q;
    q.reset(2, 10.0, 1.0);
    q.update(0, 1e9);
    q.update(1, 3.0);
    EXPECT_EQ(q.take(), 1U);
    EXPECT_EQ(q.take(), 0U);
    EXPECT_EQ(q.take(), no_node);
}

TEST(BucketQueue, RejectsAWidthThatIsNotPositive) {
    BucketQueue q;
    EXPECT_THROW(q.reset(2, 10.0, 0.0), geo::InputError);
    EXPECT_THROW(q.reset(2, std::nan(""), 1.0), geo::InputError);
    EXPECT_THROW(q.reset(2, 1e12, 1e-6), geo::InputError); // 1e18 buckets
}

TEST(BucketQueue, AnAbandonedQueueIsClearedByReset) {
    BucketQueue q;
    q.reset(3, 100.0, 10.0);
    q.update(0, 5.0);
    q.update(1, 95.0);
    EXPECT_EQ(q.take(), 0U); // node 1 is left queued
    q.reset(3, 100.0, 10.0);
    q.update(2, 50.0);
    EXPECT_EQ(q.take(), 2U);
    EXPECT_EQ(q.take(), no_node);
    q.reset(3, 100.0, 10.0);
    q.update(0, 20.0); // queued, never taken
    q.reset(3, 100.0, 10.0);
    q.update(1, 30.0);
    EXPECT_EQ(q.take(), 1U);
    EXPECT_EQ(q.take(), no_node);
}

TEST(Dijkstra, BucketQueueDistancesEqualAHeapDijkstraBitForBit) {
    std::mt19937 rng(20261202);
    int compared = 0;
    for (int trial = 0; trial < 40; ++trial) {
        const Graph g = random_graph(rng, 8 + trial % 12);
        const int count = 1 + trial % 7;
        const std::vector<Source> sources = random_sources(rng, g, count);
        for (const double cutoff : {0.0, 37.5, 250.0, 1125.0, unreachable}) {
            const Reach reach(g, sources, cutoff);
            const std::vector<double> expected = geo::testing::reference_dijkstra(g, sources, cutoff);
            for (NodeId v = 0; v < g.node_count(); ++v) {
                ASSERT_EQ(reach.node_distance(v), expected[v])
                    << "trial " << trial << ", cutoff " << cutoff << ", node " << v;
                ++compared;
            }
        }
    }
    EXPECT_GT(compared, 10000);
}

TEST(Dijkstra, ReachEachGivesTheSameRunsOnAnyNumberOfThreads) {
    std::mt19937 rng(7);
    const Graph g = random_graph(rng, 20);
    std::vector<std::vector<Source>> groups;
    for (int k = 1; k <= 9; ++k) {
        groups.push_back(random_sources(rng, g, k));
    }
    const std::vector<Reach> one = reach_each(g, groups, 500.0, 1);
    const std::vector<Reach> three = reach_each(g, groups, 500.0, 3);
    ASSERT_EQ(one.size(), groups.size());
    ASSERT_EQ(three.size(), groups.size());
    for (std::size_t k = 0; k < groups.size(); ++k) {
        for (NodeId v = 0; v < g.node_count(); ++v) {
            ASSERT_EQ(one[k].node_distance(v), three[k].node_distance(v));
            ASSERT_EQ(one[k].node_source(v), three[k].node_source(v));
        }
        EXPECT_EQ(one[k].sources().size(), groups[k].size());
    }
}

TEST(Dijkstra, ReachEachPassesOnTheFirstError) {
    std::mt19937 rng(3);
    const Graph g = random_graph(rng, 6);
    std::vector<std::vector<Source>> groups{random_sources(rng, g, 2), {{{9999, 0.0}, 1}}};
    EXPECT_THROW((void)reach_each(g, groups, 100.0, 2), geo::InputError);
}
