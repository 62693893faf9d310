// Specifications of the GeoPackage store's bulk mode (large add_batch calls):
// the R-tree insert trigger and the secondary indexes are dropped inside the
// batch's transaction and rebuilt before its COMMIT. The rules: the result is
// the same store as row-by-row maintenance gives (R-tree = table, standard
// trigger text, indexes present), re-importing adds nothing, a failed batch
// leaves the store as it was, and a process killed mid-batch leaves a sound
// file holding exactly the committed batches.

#include "geo/incident/geopackage_store.hpp"
#include "geo/incident/importer.hpp"

#include "incident_test_support.hpp"

#include <gtest/gtest.h>

#include <sqlite3.h>

#include <chrono>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using namespace geo::incident;

namespace {

fs::path temp_store(const std::string& name) {
    return incident_test::fresh_store("bulk", name);
}

// `count` incidents with ids "<prefix>-<i>" at seeded points around Binhai.
std::vector<NewIncident> incidents(const std::string& prefix, std::size_t count, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> lon(117.3, 118.1), lat(38.6, 39.4);
    std::vector<NewIncident> out(count);
    for (std::size_t i = 0; i < count; ++i) {
        out[i].external_id = prefix + "-" + std::to_string(i);
        out[i].category = i % 2 == 0 ? "noise" : "parking";
        out[i].reported_at = TimePoint{std::chrono::seconds{1700000000 + static_cast<std::int64_t>(i)}};
        out[i].location = {lon(rng), lat(rng)};
        out[i].grid_code = "G" + std::to_string(i % 17);
        out[i].source = "bulk test";
    }
    return out;
}

GeoPackageOptions bulk_from(std::size_t rows) {
    GeoPackageOptions o;
    o.bulk_min_rows = rows;
    return o;
}

// Read-only raw SQLite access for what the store API does not show.
class Raw {
  public:
    explicit Raw(const fs::path& path) { sqlite3_open_v2(path.c_str(), &m_db, SQLITE_OPEN_READONLY, nullptr); }
    ~Raw() { sqlite3_close(m_db); }
    Raw(const Raw&) = delete;
    Raw& operator=(const Raw&) = delete;
    Raw(Raw&&) = delete;
    Raw& operator=(Raw&&) = delete;

    std::string text(const std::string& sql) const {
        std::string out;
        rows(sql, [&](sqlite3_stmt* st) {
            const auto* t = sqlite3_column_text(st, 0);
            out = t ? reinterpret_cast<const char*>(t) : "";
        });
        return out;
    }

    template <typename F> void rows(const std::string& sql, F&& visit) const {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(m_db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
            ADD_FAILURE() << sqlite3_errmsg(m_db) << " in " << sql;
            return;
        }
        while (sqlite3_step(st) == SQLITE_ROW) {
            visit(st);
        }
        sqlite3_finalize(st);
    }

  private:
    sqlite3* m_db = nullptr;
};

// The index structures a store must have whichever way it was written.
void expect_indexes_like_a_fresh_store(const fs::path& path) {
    const fs::path reference = temp_store("reference.gpkg");
    { GeoPackageIncidentStore create(reference); }
    const Raw fresh(reference);
    const Raw raw(path);
    const std::string sql = "SELECT group_concat(name || ':' || sql, '\n') FROM "
                            "(SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql NOT NULL "
                            "ORDER BY name)";
    EXPECT_EQ(raw.text(sql), fresh.text(sql)) << "same triggers (standard GeoPackage text) and indexes";
    EXPECT_NE(raw.text(sql).find("rtree_incidents_geom_insert"), std::string::npos);
}

// Every incident with a geometry is in the R-tree with a box containing its
// point, and nothing else is; rtreecheck() finds the tree well formed.
void expect_rtree_matches_table(const fs::path& path) {
    const Raw raw(path);
    EXPECT_EQ(raw.text("SELECT rtreecheck('rtree_incidents_geom')"), "ok");
    std::map<std::int64_t, std::vector<double>> boxes;
    raw.rows("SELECT id, minx, maxx, miny, maxy FROM rtree_incidents_geom", [&](sqlite3_stmt* st) {
        boxes[sqlite3_column_int64(st, 0)] = {sqlite3_column_double(st, 1), sqlite3_column_double(st, 2),
                                              sqlite3_column_double(st, 3), sqlite3_column_double(st, 4)};
    });
    GeoPackageIncidentStore store(path, GeoPackageOptions{.read_only = true});
    std::size_t n = 0;
    store.for_each({}, [&](const Incident& in) {
        ++n;
        const auto it = boxes.find(in.id);
        ASSERT_NE(it, boxes.end()) << "incident " << in.id << " missing from the R-tree";
        const auto& b = it->second;
        EXPECT_TRUE(b[0] <= in.location.x && in.location.x <= b[1] && b[2] <= in.location.y && in.location.y <= b[3])
            << "R-tree box of incident " << in.id << " does not contain its point";
    });
    EXPECT_EQ(boxes.size(), n) << "R-tree entries without an incident";
}

} // namespace

TEST(IncidentBulkImport, RtreeAndIndexesAfterABulkBatchMatchTheTable) {
    const fs::path path = temp_store("bulk.gpkg");
    const auto batch = incidents("a", 3000, 1);
    {
        GeoPackageIncidentStore store(path, bulk_from(1000));
        const auto results = store.add_batch(batch);
        ASSERT_EQ(results.size(), batch.size());
        for (const auto& r : results) {
            EXPECT_TRUE(r.created);
        }
        EXPECT_EQ(store.integrity_check(), "ok");
        for (const auto& r : results) {
            EXPECT_EQ(store.history(r.id).size(), 1U) << "creation row in the history";
        }
    }
    expect_rtree_matches_table(path);
    expect_indexes_like_a_fresh_store(path);
}

TEST(IncidentBulkImport, BulkBatchIntoANonEmptyStoreIndexesOldAndNewRowsAndLaterAddsUseTheTrigger) {
    const fs::path path = temp_store("mixed.gpkg");
    GeoPackageIncidentStore store(path, bulk_from(1000));
    (void)store.add_batch(incidents("old", 800, 2)); // below the threshold: row by row
    (void)store.add_batch(incidents("new", 2000, 3));
    const NewIncident later = incidents("later", 1, 4).front();
    const AddResult added = store.add(later);
    ASSERT_TRUE(added.created);
    EXPECT_EQ(store.count(), 2801U);

    const geo::core::Box around{later.location.x - 1e-9, later.location.y - 1e-9, later.location.x + 1e-9,
                                later.location.y + 1e-9};
    IncidentFilter f;
    f.bbox = around;
    const auto found = store.query(f);
    ASSERT_EQ(found.size(), 1U) << "an add after the bulk batch reaches the R-tree through the trigger";
    EXPECT_EQ(found.front().id, added.id);
    expect_rtree_matches_table(path);
    expect_indexes_like_a_fresh_store(path);
}

TEST(IncidentBulkImport, ReimportingABulkBatchAddsNothingAndReturnsTheStoredIds) {
    const fs::path path = temp_store("again.gpkg");
    GeoPackageIncidentStore store(path, bulk_from(1000));
    const auto batch = incidents("r", 2500, 5);
    const auto first = store.add_batch(batch);
    const auto second = store.add_batch(batch);
    ASSERT_EQ(second.size(), first.size());
    for (std::size_t i = 0; i < first.size(); ++i) {
        EXPECT_FALSE(second[i].created);
        EXPECT_EQ(second[i].id, first[i].id);
    }
    EXPECT_EQ(store.count(), batch.size());
    std::size_t history_rows = 0;
    store.for_each_change([&](const StatusChange&) { ++history_rows; });
    EXPECT_EQ(history_rows, batch.size());
    expect_rtree_matches_table(path);
}

TEST(IncidentBulkImport, FailedBulkBatchLeavesTheStoreAsItWas) {
    const fs::path path = temp_store("failed.gpkg");
    GeoPackageIncidentStore store(path, bulk_from(1000));
    (void)store.add_batch(incidents("ok", 1500, 6));
    auto bad = incidents("bad", 3000, 7);
    bad[2500].location = {500.0, 39.0}; // invalid: thrown after bulk mode has started
    EXPECT_THROW((void)store.add_batch(bad), geo::InputError);
    EXPECT_EQ(store.count(), 1500U);
    EXPECT_EQ(store.integrity_check(), "ok");
    // The connection goes on working normally after the rollback.
    const AddResult r = store.add(incidents("after", 1, 8).front());
    EXPECT_TRUE(r.created);
    EXPECT_THROW(store.transition(r.id, Status::evaluated, TimePoint{std::chrono::seconds{1800000000}}),
                 TransitionError);
    expect_rtree_matches_table(path);
    expect_indexes_like_a_fresh_store(path);
}

TEST(IncidentBulkImport, KillNineMidBulkBatchKeepsExactlyTheCommittedBatchesAndASoundFile) {
    const fs::path path = temp_store("kill.gpkg");
    const auto first = incidents("committed", 2000, 9);
    const auto second = incidents("in-flight", 60000, 10);
    // Kills at growing delays until the batch gets acknowledged, so that on
    // any machine speed they land while rows go in, while the indexes and
    // the R-tree are rebuilt and around COMMIT.
    bool second_stored = false;
    int kills_before_commit = 0;
    for (int delay = 30; !second_stored && delay < 20000; delay = delay * 3 / 2) {
        fs::remove(path);
        fs::remove(path.string() + "-wal");
        fs::remove(path.string() + "-shm");
        int fds[2];
        ASSERT_EQ(::pipe(fds), 0);
        const pid_t pid = ::fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            ::close(fds[0]);
            try {
                GeoPackageIncidentStore store(path, bulk_from(1000));
                (void)store.add_batch(first);
                const char committed = 'A';
                if (::write(fds[1], &committed, 1) != 1) {
                    ::_exit(3);
                }
                (void)store.add_batch(second);
                const char also = 'B';
                if (::write(fds[1], &also, 1) != 1) {
                    ::_exit(3);
                }
            } catch (...) {
                ::_exit(2);
            }
            ::pause(); // wait for the kill
            ::_exit(0);
        }
        ::close(fds[1]);
        char ack = 0;
        ASSERT_EQ(::read(fds[0], &ack, 1), 1);
        ASSERT_EQ(ack, 'A');
        std::this_thread::sleep_for(std::chrono::milliseconds(delay));
        ASSERT_EQ(::kill(pid, SIGKILL), 0);
        int status = 0;
        ::waitpid(pid, &status, 0);
        ASSERT_TRUE(WIFSIGNALED(status));
        const bool second_acknowledged = ::read(fds[0], &ack, 1) == 1 && ack == 'B';
        ::close(fds[0]);

        {
            GeoPackageIncidentStore store(path, bulk_from(1000));
            EXPECT_EQ(store.integrity_check(), "ok");
            // All or nothing: the in-flight batch is there only if its COMMIT
            // happened (the kill may fall between COMMIT and the
            // acknowledgement), and always once it was acknowledged.
            const std::size_t n = store.count();
            second_stored = n == first.size() + second.size();
            EXPECT_TRUE(n == first.size() || second_stored) << n << " incidents after a kill " << delay << " ms in";
            if (second_acknowledged) {
                EXPECT_TRUE(second_stored) << "an acknowledged batch is stored";
            }
            kills_before_commit += second_stored ? 0 : 1;
            std::size_t history_rows = 0;
            store.for_each_change([&](const StatusChange&) { ++history_rows; });
            EXPECT_EQ(history_rows, n);
            // Re-importing the committed batch adds nothing.
            for (const auto& r : store.add_batch(first)) {
                EXPECT_FALSE(r.created);
            }
        }
        expect_rtree_matches_table(path);
        expect_indexes_like_a_fresh_store(path);
    }
    EXPECT_TRUE(second_stored) << "the last run lets the batch commit";
    EXPECT_GE(kills_before_commit, 2) << "at least two kills landed inside the bulk batch";
}

TEST(IncidentBulkImport, ImporterInOneBulkBatchStoresTheSameAsBatchByBatch) {
    geo::io::Layer layer;
    layer.name = "incidents";
    layer.fields = {{"ticket", geo::io::FieldType::string}, {"category", geo::io::FieldType::string}};
    for (const auto& in : incidents("t", 1200, 11)) {
        geo::io::Feature f;
        f.id = static_cast<std::int64_t>(layer.features.size());
        f.geometry = geo::core::Geometry::point(in.location);
        f.attributes = {in.external_id, in.category};
        layer.features.push_back(std::move(f));
    }
    const GridAssigner grids(
        {Grid{"A", "J", geo::core::Geometry::box({117.3, 38.6, 117.7, 39.4})},
         Grid{"B", "J", geo::core::Geometry::box({117.7, 38.6, 118.1, 39.0})}}); // the rest is outside
    ImportOptions options;
    options.id_field = "ticket";
    options.batch_size = 250; // several batches pulled by add_all, converted ahead on a second thread

    const fs::path bulk_path = temp_store("import_bulk.gpkg");
    const fs::path rows_path = temp_store("import_rows.gpkg");
    {
        GeoPackageIncidentStore bulk(bulk_path, bulk_from(100));
        options.bulk_rows = 100;
        const ImportReport r = import_layer(layer, "layer.gpkg", grids, bulk, options);
        EXPECT_EQ(r.added, 1200U);
        EXPECT_EQ(import_layer(layer, "layer.gpkg", grids, bulk, options).already_present, 1200U);
    }
    {
        GeoPackageIncidentStore rows(rows_path, bulk_from(0));
        options.bulk_rows = 0;
        EXPECT_EQ(import_layer(layer, "layer.gpkg", grids, rows, options).added, 1200U);
    }
    GeoPackageIncidentStore bulk(bulk_path, GeoPackageOptions{.read_only = true});
    GeoPackageIncidentStore rows(rows_path, GeoPackageOptions{.read_only = true});
    const auto a = bulk.query({});
    const auto b = rows.query({});
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].id, b[i].id);
        EXPECT_EQ(a[i].external_id, b[i].external_id);
        EXPECT_EQ(a[i].grid_code, b[i].grid_code);
        EXPECT_EQ(a[i].outside, b[i].outside);
        EXPECT_EQ(a[i].location.x, b[i].location.x);
    }
    expect_rtree_matches_table(bulk_path);
    expect_rtree_matches_table(rows_path);
}
