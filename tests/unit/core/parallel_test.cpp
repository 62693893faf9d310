// parallel_for: every item exactly once on any number of threads, the first
// failing item's exception passed on, nested and concurrent calls safe.

#include "geo/core/parallel.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <numeric>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using geo::core::parallel_for;

TEST(ParallelFor, CallsEveryItemExactlyOnceOnAnyNumberOfThreads) {
    for (const int threads : {1, 2, 3, 8}) {
        std::vector<int> calls(1000, 0);
        std::set<std::thread::id> seen;
        std::mutex m;
        parallel_for(calls.size(), threads, [&](std::size_t i) {
            ++calls[i];
            const std::lock_guard lock(m);
            seen.insert(std::this_thread::get_id());
        });
        EXPECT_EQ(std::accumulate(calls.begin(), calls.end(), 0), 1000) << threads << " threads";
        EXPECT_EQ(*std::min_element(calls.begin(), calls.end()), 1);
        EXPECT_LE(seen.size(), static_cast<std::size_t>(threads));
    }
}

TEST(ParallelFor, NothingToDoCallsNothing) {
    int calls = 0;
    parallel_for(0, 4, [&](std::size_t) { ++calls; });
    EXPECT_EQ(calls, 0);
}

TEST(ParallelFor, TheFirstFailingItemsExceptionIsPassedOn) {
    for (const int threads : {1, 2, 4}) {
        try {
            parallel_for(100, threads, [](std::size_t i) {
                if (i == 7) {
                    throw std::runtime_error("item 7");
                }
            });
            FAIL() << "no exception with " << threads << " threads";
        } catch (const std::runtime_error& e) {
            EXPECT_EQ(std::string(e.what()), "item 7");
        }
    }
}

TEST(ParallelFor, NestedCallsRunAndFinish) {
    std::atomic<int> total{0};
    parallel_for(8, 2, [&](std::size_t) { parallel_for(10, 2, [&](std::size_t) { ++total; }); });
    EXPECT_EQ(total.load(), 80);
}

TEST(ParallelFor, ConcurrentCallersFromTwoThreadsBothFinish) {
    std::atomic<int> total{0};
    auto job = [&] {
        for (int round = 0; round < 50; ++round) {
            parallel_for(20, 2, [&](std::size_t) { ++total; });
        }
    };
    std::thread other(job);
    job();
    other.join();
    EXPECT_EQ(total.load(), 2 * 50 * 20);
}
