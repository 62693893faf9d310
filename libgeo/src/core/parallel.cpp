#include "geo/core/parallel.hpp"

#include <condition_variable>
#include <mutex>
#include <system_error>
#include <thread>

namespace geo::core::detail {

namespace {

// One job at a time: the caller publishes `task` with a number of helper slots, idle pool threads
// take a slot each and run it, the caller runs it too, then withdraws the slots nobody took and
// waits for the helpers that did.
class Pool {
  public:
    void run(std::size_t helpers, const std::function<void()>& task) {
        std::unique_lock lock(m_mutex);
        if (m_task != nullptr) { // busy: nested or concurrent use runs on the calling thread
            lock.unlock();
            task();
            return;
        }
        grow(helpers);
        m_task = &task;
        m_slots = std::min(helpers, m_threads.size());
        m_wake.notify_all();
        lock.unlock();

        task();

        lock.lock();
        m_slots = 0; // helpers that have not started yet would find no work left
        m_done.wait(lock, [&] { return m_running == 0; });
        m_task = nullptr;
    }

  private:
    // Starts threads up to `count` (kept for the life of the process). When the system refuses a
    // thread, the ones running (and the caller) do the work.
    void grow(std::size_t count) {
        while (m_threads.size() < count) {
            try {
                m_threads.emplace_back([this] { serve(); });
            } catch (const std::system_error&) {
                break;
            }
        }
    }

    void serve() {
        std::unique_lock lock(m_mutex);
        for (;;) {
            m_wake.wait(lock, [&] { return m_slots > 0; });
            --m_slots;
            ++m_running;
            const std::function<void()>* task = m_task;
            lock.unlock();
            (*task)();
            lock.lock();
            if (--m_running == 0) {
                m_done.notify_all();
            }
        }
    }

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_done;
    std::vector<std::thread> m_threads;
    const std::function<void()>* m_task = nullptr;
    std::size_t m_slots = 0;   // helpers still wanted for the current task
    std::size_t m_running = 0; // helpers inside the current task
};

} // namespace

void run_shared(std::size_t helpers, const std::function<void()>& task) {
    // Never destroyed: its threads wait for work until the process ends (joining them from a
    // static destructor would race with other static destructors still using libgeo).
    static Pool* const pool = new Pool;
    pool->run(helpers, task);
}

} // namespace geo::core::detail
