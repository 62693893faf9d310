// Durability: a writer killed with SIGKILL in the middle of a burst loses no
// acknowledged incident and leaves a sound file.
//
// The child process adds incidents as fast as it can and, after each add or
// add_batch returns, writes the acknowledged ids to a pipe. The parent lets it
// run, kills it with SIGKILL at an arbitrary moment (mid-transaction with high
// probability), reopens the store and checks every id it was told about.

#include "geo/incident/geopackage_store.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <cstdio>
#include <cstdint>
#include <filesystem>
#include <set>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using namespace geo::incident;

namespace {

[[noreturn]] void writer_child(const fs::path& path, int fd, int run) {
    try {
        GeoPackageIncidentStore store(path);
        std::int64_t n = 0;
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
            if (round % 5 == 1) { // status changes are acknowledged writes too
                store.transition(acked.front().id, Status::dispatched, batch.front().reported_at);
            }
            for (const auto& a : acked) {
                const std::int64_t id = a.id;
                if (::write(fd, &id, sizeof id) != static_cast<ssize_t>(sizeof id)) {
                    ::_exit(3);
                }
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
        std::vector<std::int64_t> acknowledged;
        // Let the child get going, then kill it while it writes.
        const std::size_t kill_after = 150 + 97 * static_cast<std::size_t>(run);
        std::int64_t id = 0;
        while (acknowledged.size() < kill_after && ::read(fds[0], &id, sizeof id) == sizeof id) {
            acknowledged.push_back(id);
        }
        ASSERT_EQ(::kill(pid, SIGKILL), 0);
        int status = 0;
        ::waitpid(pid, &status, 0);
        ASSERT_TRUE(WIFSIGNALED(status)) << "the writer must have been killed, not have finished (exit status "
                                         << WEXITSTATUS(status) << ")";
        // Everything written to the pipe before the kill was acknowledged.
        while (::read(fds[0], &id, sizeof id) == sizeof id) {
            acknowledged.push_back(id);
        }
        ::close(fds[0]);
        ASSERT_GE(acknowledged.size(), kill_after);

        GeoPackageIncidentStore store(path);
        EXPECT_EQ(store.integrity_check(), "ok");
        std::set<std::int64_t> missing;
        for (const auto a : acknowledged) {
            const auto got = store.get(a);
            if (!got) {
                missing.insert(a);
            } else {
                EXPECT_FALSE(store.history(a).empty()) << "history row committed with the incident";
            }
        }
        EXPECT_TRUE(missing.empty()) << missing.size() << " acknowledged incidents lost in run " << run;
    }
}
