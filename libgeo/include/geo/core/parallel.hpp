#pragma once
// geo::core::parallel_for: the one small thread pool of libgeo's analyses
// (facility categories and per-facility service areas in access, …). Items
// are handed out one at a time in index order, so a few heavy items do not
// leave a thread idle; results go wherever `fn` writes them by index, so the
// outcome does not depend on the number of threads. GEOS calls are safe on
// every thread: geo::core keeps one GEOS context per thread.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <system_error>
#include <thread>
#include <vector>

namespace geo::core {

/// Calls fn(i) for every i in [0, count) on up to `threads` threads (the
/// calling thread is one of them). When fn throws, the items not yet started
/// are skipped and the first exception (by item index) is rethrown after
/// every thread has stopped.
template <typename Fn> void parallel_for(std::size_t count, int threads, Fn&& fn) {
    const std::size_t workers = std::clamp<std::size_t>(threads > 0 ? static_cast<std::size_t>(threads) : 1U, 1U,
                                                        std::max<std::size_t>(count, 1U));
    if (workers == 1) {
        for (std::size_t i = 0; i < count; ++i) {
            fn(i);
        }
        return;
    }
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    std::vector<std::exception_ptr> errors(count);
    auto work = [&] {
        for (std::size_t i = next++; i < count && !failed; i = next++) {
            try {
                fn(i);
            } catch (...) {
                errors[i] = std::current_exception();
                failed = true;
            }
        }
    };
    std::vector<std::thread> pool;
    pool.reserve(workers - 1);
    for (std::size_t t = 1; t < workers; ++t) {
        try {
            pool.emplace_back(work);
        } catch (const std::system_error&) {
            break; // no more threads to be had: the ones running (and this one) do the rest
        }
    }
    work();
    for (std::thread& t : pool) {
        t.join();
    }
    for (const std::exception_ptr& e : errors) {
        if (e) {
            std::rethrow_exception(e);
        }
    }
}

} // namespace geo::core
