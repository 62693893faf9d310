// Durability: a writer killed with SIGKILL in the middle of a burst loses no
// acknowledged incident and no acknowledged status change, and leaves a sound
// file.
//
// The child process adds incidents as fast as it can and moves some of them
// along the loop (single transitions and transition_batch calls). After each
// add, add_batch, transition or transition_batch returns, it writes what was
// acknowledged to a pipe: (incident id, status it now has). The parent lets it
// run, kills it with SIGKILL at an arbitrary moment (mid-transaction with high
// probability), reopens the store and checks every incident and every status
// change it was told about: the incident is there, its history begins with
// exactly the acknowledged changes, and its status is its history's last.

#include "geo/incident/geopackage_store.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <cstdio>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <map>
#include <set>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using namespace geo::incident;

namespace {

// One acknowledged write, as the child reports it (16 bytes: one atomic pipe write).
struct Ack {
    std::int64_t id = 0;
    std::int32_t status = 0; // Status the incident has after the acknowledged call
    std::int32_t pad = 0;
};

void send(int fd, std::int64_t id, Status status) {
    const Ack a{id, static_cast<std::int32_t>(status), 0};
    if (::write(fd, &a, sizeof a) != static_cast<ssize_t>(sizeof a)) {
        ::_exit(3);
    }
}

[[noreturn]] void writer_child(const fs::path& path, int fd, int run) {
    try {
        GeoPackageIncidentStore store(path);
        std::int64_t n = 0;
        std::map<std::int64_t, TimePoint> last_change; // per incident this child moved
        std::deque<std::int64_t> dispatched;           // waiting to be handled
        std::deque<std::int64_t> resolved;             // waiting to be evaluated
        for (int round = 0; round < 100000; ++round) {
            std::vector<NewIncident> batch;
            const int size = round % 3 == 0 ? 20 : 1; // mix batches and single adds
            for (int k = 0; k < size; ++k) {
                NewIncident in;
                in.external_id = "burst-" + std::to_string(run) + "-" + std::to_string(n++);
                in.category = "noise";
                in.reported_at = TimePoint{std::chrono::seconds{1700000000 + n}};
                in.location = {117.0 + static_cast<double>(n % 1000) * 1e-4, 39.0};
                in.source = "durability test";
                batch.push_back(in);
            }
            std::vector<AddResult> acked;
            if (size == 1) {
                acked.push_back(store.add(batch.front()));
            } else {
                acked = store.add_batch(batch);
            }
            for (const auto& a : acked) {
                send(fd, a.id, Status::reported);
            }
            // Status changes are acknowledged writes too: one transition, one two-step
            // transition_batch (handling, then resolved), one evaluation, in turn.
            if (round % 3 == 1) {
                const std::int64_t id = acked.front().id;
                const TimePoint t = batch.front().reported_at + std::chrono::minutes(1);
                store.transition(id, Status::dispatched, t, "kill -9 test");
                send(fd, id, Status::dispatched);
                last_change[id] = t;
                dispatched.push_back(id);
            } else if (round % 3 == 2 && !dispatched.empty()) {
                const std::int64_t id = dispatched.front();
                dispatched.pop_front();
                const TimePoint t = last_change[id] + std::chrono::minutes(1);
                const std::vector<StatusUpdate> steps{{id, Status::handling, t, "on site"},
                                                      {id, Status::resolved, t + std::chrono::minutes(1), "fixed"}};
                store.transition_batch(steps);
                send(fd, id, Status::handling);
                send(fd, id, Status::resolved);
                last_change[id] = t + std::chrono::minutes(1);
                resolved.push_back(id);
            } else if (round % 3 == 0 && !resolved.empty()) {
                const std::int64_t id = resolved.front();
                resolved.pop_front();
                store.transition(id, Status::evaluated, last_change[id] + std::chrono::minutes(1));
                send(fd, id, Status::evaluated);
                last_change.erase(id);
            }
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "durability writer: %s\n", e.what());
        ::_exit(2);
    }
    ::_exit(0);
}

} // namespace

TEST(IncidentDurability, KillNineMidBurstLosesNoAcknowledgedIncidentAndKeepsTheFileSound) {
    const fs::path dir = fs::temp_directory_path() / ("geo_incident_kill_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path path = dir / "kill9.gpkg";
    fs::remove(path);
    fs::remove(path.string() + "-wal");
    fs::remove(path.string() + "-shm");
    { GeoPackageIncidentStore create(path); } // schema exists before the race starts

    for (int run = 0; run < 3; ++run) {
        int fds[2];
        ASSERT_EQ(::pipe(fds), 0);
        const pid_t pid = ::fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            ::close(fds[0]);
            writer_child(path, fds[1], run);
        }
        ::close(fds[1]);
        // Per incident, the statuses it was acknowledged to have, in order.
        std::map<std::int64_t, std::vector<Status>> acknowledged;
        std::size_t acks = 0;
        std::size_t acked_changes = 0;
        auto take = [&](const Ack& a) {
            ++acks;
            const auto status = static_cast<Status>(a.status);
            acked_changes += status == Status::reported ? 0 : 1;
            acknowledged[a.id].push_back(status);
        };
        // Let the child get going, then kill it while it writes.
        const std::size_t kill_after = 150 + 97 * static_cast<std::size_t>(run);
        Ack a;
        while (acks < kill_after && ::read(fds[0], &a, sizeof a) == sizeof a) {
            take(a);
        }
        ASSERT_EQ(::kill(pid, SIGKILL), 0);
        int status = 0;
        ::waitpid(pid, &status, 0);
        ASSERT_TRUE(WIFSIGNALED(status)) << "the writer must have been killed, not have finished (exit status "
                                         << WEXITSTATUS(status) << ")";
        // Everything written to the pipe before the kill was acknowledged.
        while (::read(fds[0], &a, sizeof a) == sizeof a) {
            take(a);
        }
        ::close(fds[0]);
        ASSERT_GE(acks, kill_after);
        ASSERT_GT(acked_changes, 10u) << "the burst must include acknowledged status changes";

        GeoPackageIncidentStore store(path);
        EXPECT_EQ(store.integrity_check(), "ok");
        std::set<std::int64_t> missing;
        std::size_t lost_changes = 0;
        std::size_t beyond = 0; // incidents with committed but unacknowledged changes (the call in flight)
        for (const auto& [id, chain] : acknowledged) {
            const auto got = store.get(id);
            if (!got) {
                missing.insert(id);
                continue;
            }
            const auto history = store.history(id);
            ASSERT_FALSE(history.empty()) << "history row committed with the incident";
            EXPECT_FALSE(history.front().from.has_value()) << "first history row is the creation";
            for (std::size_t k = 1; k < history.size(); ++k) {
                EXPECT_EQ(history[k].from, history[k - 1].to) << "incident " << id << " history is a chain";
            }
            EXPECT_EQ(got->status, history.back().to) << "incident " << id << ": status and history agree";
            // The history starts with exactly the acknowledged statuses.
            bool prefix = history.size() >= chain.size();
            for (std::size_t k = 0; prefix && k < chain.size(); ++k) {
                prefix = history[k].to == chain[k];
            }
            if (!prefix) {
                ++lost_changes;
                ADD_FAILURE() << "incident " << id << ": acknowledged status " << to_string(chain.back())
                              << " not in its history (status now " << to_string(got->status) << ", " << history.size()
                              << " history rows for " << chain.size() << " acknowledged)";
            }
            beyond += history.size() > chain.size() ? 1 : 0;
        }
        EXPECT_TRUE(missing.empty()) << missing.size() << " acknowledged incidents lost in run " << run;
        EXPECT_EQ(lost_changes, 0u) << "acknowledged status changes lost in run " << run;
        EXPECT_LE(beyond, 1u) << "only the call in flight at the kill may have committed without acknowledgement";
    }
}
