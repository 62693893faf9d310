#pragma once
// geo::core::parallel_for: the one way libgeo's analyses use several cores
// (facility categories and service areas in access, …). Items are handed out
// one at a time in index order, so a few heavy items do not leave a thread
// idle; results go wherever `fn` writes them by index, so the outcome does
// not depend on the number of threads. GEOS calls are safe on every thread:
// geo::core keeps one GEOS context per thread.
//
// The threads come from one process-wide pool that is started on first use
// and kept: millisecond-scale work (a bounded Dijkstra per category) would
// otherwise pay a thread start per call and lose the per-thread scratch
// memory (thread_local queues) with every thread. A parallel_for called while
// the pool is busy (from inside another parallel_for, or from a second thread
// at the same time) runs on its calling thread alone.

#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <vector>

namespace geo::core {

namespace detail {

/// Runs `task` on the calling thread and on up to `helpers` pool threads at
/// once, and returns when every one of them has returned from it. Helpers
/// that have not started by the time the calling thread finishes are not
/// started at all, so `task` must be a work-sharing loop that is correct
/// with any number of participants. `task` must not throw.
void run_shared(std::size_t helpers, const std::function<void()>& task);

} // namespace detail

/// Calls fn(i) for every i in [0, count) on up to `threads` threads (the
/// calling thread is one of them). When fn throws, the items not yet started
/// are skipped and the first exception (by item index) is rethrown after
/// every thread has stopped.
template <typename Fn> void parallel_for(std::size_t count, int threads, Fn&& fn) {
    const std::size_t wanted = threads > 1 ? static_cast<std::size_t>(threads) : 1U;
    const std::size_t workers = wanted < count ? wanted : count;
    if (workers <= 1) {
        for (std::size_t i = 0; i < count; ++i) {
            fn(i);
        }
        return;
    }
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    std::vector<std::exception_ptr> errors(count);
    detail::run_shared(workers - 1, [&] {
        for (std::size_t i = next++; i < count && !failed; i = next++) {
            try {
                fn(i);
            } catch (...) {
                errors[i] = std::current_exception();
                failed = true;
            }
        }
    });
    for (const std::exception_ptr& e : errors) {
        if (e) {
            std::rethrow_exception(e);
        }
    }
}

} // namespace geo::core
