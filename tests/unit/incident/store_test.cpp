// Specifications of the GeoPackage incident store: schema validity, idempotent
// adds, the status loop, filters.

#include "geo/incident/geopackage_store.hpp"

#include "incident_test_support.hpp"

#include <gtest/gtest.h>

#include <sqlite3.h>

#include <cstdio>
#include <filesystem>
#include <string>

namespace fs = std::filesystem;
using namespace geo::incident;

namespace {

fs::path temp_store(const std::string& name) {
    return incident_test::fresh_store("test", name);
}

using incident_test::at;

NewIncident sample(std::string external_id, const char* when = "2024-03-01T08:00:00Z") {
    NewIncident n;
    n.external_id = std::move(external_id);
    n.category = "noise";
    n.description = "噪音扰民 late-night construction";
    n.reported_at = at(when);
    n.location = {117.70, 39.02};
    n.grid_code = "120116001001001";
    n.jurisdiction_code = "120116001001";
    n.source = "test";
    return n;
}

std::string run(const std::string& command) {
    std::string out;
    FILE* p = ::popen(command.c_str(), "r");
    if (p == nullptr) {
        return out;
    }
    char buf[4096];
    while (const std::size_t n = std::fread(buf, 1, sizeof buf, p)) {
        out.append(buf, n);
    }
    ::pclose(p);
    return out;
}

std::string sql_scalar(const fs::path& path, const std::string& sql) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* st = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
        const auto* t = sqlite3_column_text(st, 0);
        out = t ? reinterpret_cast<const char*>(t) : "";
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

} // namespace

TEST(IncidentStore, NewFileIsAGeoPackage13WithWalAndFullSync) {
    const auto path = temp_store("schema.gpkg");
    { GeoPackageIncidentStore store(path); }
    EXPECT_EQ(sql_scalar(path, "PRAGMA application_id"), std::to_string(0x47504B47));
    EXPECT_EQ(sql_scalar(path, "PRAGMA user_version"), "10300");
    EXPECT_EQ(sql_scalar(path, "PRAGMA journal_mode"), "wal");
    EXPECT_EQ(sql_scalar(path, "SELECT data_type FROM gpkg_contents WHERE table_name='incidents'"), "features");
    EXPECT_EQ(sql_scalar(path, "SELECT data_type FROM gpkg_contents WHERE table_name='incident_history'"),
              "attributes");
    EXPECT_EQ(sql_scalar(path, "SELECT geometry_type_name || ' ' || srs_id FROM gpkg_geometry_columns"), "POINT 4326");
    EXPECT_EQ(sql_scalar(path, "SELECT organization || ':' || organization_coordsys_id FROM gpkg_spatial_ref_sys "
                               "WHERE srs_id = 4326"),
              "EPSG:4326");
}

TEST(IncidentStore, EveryConnectionRunsWithWalAndSynchronousFull) {
    // synchronous is per connection (not stored in the file), so it is read back from the
    // store's own connection: 2 = FULL, the WAL is fsynced at every COMMIT. journal_mode=wal is
    // persistent: the file says so to any connection (checked above with a raw one too).
    const auto path = temp_store("pragmas.gpkg");
    GeoPackageIncidentStore store(path, GeoPackageOptions{.bulk_min_rows = 10});
    auto d = store.durability();
    EXPECT_EQ(d.journal_mode, "wal");
    EXPECT_EQ(d.synchronous, 2) << "PRAGMA synchronous must be FULL (2), not NORMAL (1) or OFF (0)";

    // Still so after writes of every kind, including a bulk-mode add_all.
    std::vector<NewIncident> many;
    for (int k = 0; k < 60; ++k) {
        many.push_back(sample(std::string("p").append(std::to_string(k))));
    }
    bool given = false;
    const auto added = store.add_all(many.size(), [&]() -> std::span<const NewIncident> {
        if (given) {
            return {};
        }
        given = true;
        return many;
    });
    store.transition(added.front().id, Status::dispatched, at("2024-03-01T09:00:00Z"));
    d = store.durability();
    EXPECT_EQ(d.journal_mode, "wal");
    EXPECT_EQ(d.synchronous, 2);

    // A second writer on the same file, and a read-only one.
    GeoPackageIncidentStore second(path);
    EXPECT_EQ(second.durability().journal_mode, "wal");
    EXPECT_EQ(second.durability().synchronous, 2);
    GeoPackageIncidentStore reader(path, GeoPackageOptions{.read_only = true});
    EXPECT_EQ(reader.durability().journal_mode, "wal");
    EXPECT_EQ(sql_scalar(path, "PRAGMA journal_mode"), "wal");
}

TEST(IncidentStore, GeometryBlobIsStandardGeoPackageBinaryPoint) {
    const auto path = temp_store("blob.gpkg");
    {
        GeoPackageIncidentStore store(path);
        store.add(sample("a"));
    }
    // 'GP', version 0, flags 0x03 (little endian, xy envelope), srs 4326, then WKB.
    EXPECT_EQ(sql_scalar(path, "SELECT hex(substr(geom, 1, 8)) FROM incidents"), "47500003E6100000");
    EXPECT_EQ(sql_scalar(path, "SELECT length(geom) FROM incidents"), "61");
    EXPECT_EQ(sql_scalar(path, "SELECT hex(substr(geom, 41, 5)) FROM incidents"), "0101000000");
}

TEST(IncidentStore, GdalReadsTheStoreAsGeoPackage) {
    if (std::system("ogrinfo --version > /dev/null 2>&1") != 0) {
        GTEST_SKIP() << "ogrinfo (gdal-bin) not installed";
    }
    const auto path = temp_store("gdal.gpkg");
    {
        GeoPackageIncidentStore store(path);
        store.add(sample("a"));
        const auto b = store.add(sample("b"));
        store.transition(b.id, Status::dispatched, at("2024-03-01T09:00:00Z"), "to grid worker");
    }
    const std::string info = run("ogrinfo -ro -q " + path.string() + " incidents 2>&1");
    EXPECT_NE(info.find("POINT (117.7 39.02)"), std::string::npos) << info;
    EXPECT_NE(info.find("status (String) = dispatched"), std::string::npos) << info;
    EXPECT_EQ(info.find("ERROR"), std::string::npos) << info;
    EXPECT_EQ(info.find("Warning"), std::string::npos) << info;
    const std::string summary = run("ogrinfo -ro -so " + path.string() + " incidents 2>&1");
    EXPECT_NE(summary.find("Geometry: Point"), std::string::npos) << summary;
    EXPECT_NE(summary.find("Feature Count: 2"), std::string::npos) << summary;
    EXPECT_NE(summary.find("WGS 84"), std::string::npos) << summary;
    const std::string history = run("ogrinfo -ro -q " + path.string() + " incident_history 2>&1");
    EXPECT_NE(history.find("to_status (String) = dispatched"), std::string::npos) << history;
    // GDAL's own validity check of the R-tree extension and triggers.
    const std::string rtree =
        run("ogrinfo -ro -q " + path.string() + " -sql \"SELECT HasSpatialIndex('incidents','geom')\" 2>&1");
    EXPECT_NE(rtree.find("= 1"), std::string::npos) << rtree;
}

TEST(IncidentStore, AddingTheSameExternalIdTwiceStoresItOnce) {
    GeoPackageIncidentStore store(temp_store("idem.gpkg"));
    const auto first = store.add(sample("hotline-1"));
    const auto again = store.add(sample("hotline-1"));
    EXPECT_TRUE(first.created);
    EXPECT_FALSE(again.created);
    EXPECT_EQ(first.id, again.id);
    std::vector<NewIncident> batch{sample("hotline-1"), sample("hotline-2"), sample("hotline-2")};
    const auto r = store.add_batch(batch);
    EXPECT_FALSE(r[0].created);
    EXPECT_TRUE(r[1].created);
    EXPECT_FALSE(r[2].created);
    EXPECT_EQ(r[1].id, r[2].id);
    EXPECT_EQ(store.count(), 2u);
    EXPECT_EQ(store.history(first.id).size(), 1u) << "one creation row, not one per add";
    const auto created_in_batch = store.history(r[1].id);
    ASSERT_EQ(created_in_batch.size(), 1u) << "one creation row for an incident added in a batch";
    EXPECT_FALSE(created_in_batch[0].from);
    EXPECT_EQ(created_in_batch[0].to, Status::reported);
    EXPECT_EQ(created_in_batch[0].at, sample("hotline-2").reported_at);
}

TEST(IncidentStore, IncidentReadsBackAsWritten) {
    GeoPackageIncidentStore store(temp_store("roundtrip.gpkg"));
    auto n = sample("x");
    n.synthetic = true;
    const auto id = store.add(n).id;
    const auto got = store.get(id);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->external_id, "x");
    EXPECT_EQ(got->category, "noise");
    EXPECT_EQ(got->description, n.description);
    EXPECT_EQ(got->reported_at, n.reported_at);
    EXPECT_EQ(got->status, Status::reported);
    EXPECT_DOUBLE_EQ(got->location.x, 117.70);
    EXPECT_DOUBLE_EQ(got->location.y, 39.02);
    EXPECT_EQ(got->grid_code, n.grid_code);
    EXPECT_EQ(got->jurisdiction_code, n.jurisdiction_code);
    EXPECT_TRUE(got->synthetic);
    EXPECT_FALSE(got->outside);
    EXPECT_EQ(store.find_external("x")->id, id);
    EXPECT_FALSE(store.get(id + 1000));
}

TEST(IncidentStore, FullLoopIsRecordedInHistory) {
    GeoPackageIncidentStore store(temp_store("loop.gpkg"));
    const auto id = store.add(sample("loop")).id;
    store.transition(id, Status::dispatched, at("2024-03-01T09:00:00Z"));
    store.transition(id, Status::handling, at("2024-03-01T10:00:00Z"));
    store.transition(id, Status::resolved, at("2024-03-02T10:00:00Z"));
    const auto done = store.transition(id, Status::evaluated, at("2024-03-03T10:00:00Z"), "满意");
    EXPECT_EQ(done.status, Status::evaluated);
    EXPECT_EQ(done.updated_at, at("2024-03-03T10:00:00Z"));
    const auto h = store.history(id);
    ASSERT_EQ(h.size(), 5u);
    EXPECT_FALSE(h[0].from);
    EXPECT_EQ(h[0].to, Status::reported);
    EXPECT_EQ(h[0].at, at("2024-03-01T08:00:00Z"));
    EXPECT_EQ(h[4].from, Status::resolved);
    EXPECT_EQ(h[4].to, Status::evaluated);
    EXPECT_EQ(h[4].note, "满意");
}

TEST(IncidentStore, InvalidTransitionThrowsNamingBothStatesAndChangesNothing) {
    GeoPackageIncidentStore store(temp_store("invalid.gpkg"));
    const auto id = store.add(sample("bad")).id;
    try {
        store.transition(id, Status::evaluated, at("2024-03-02T00:00:00Z"));
        FAIL() << "reported → evaluated must be refused";
    } catch (const TransitionError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("reported"), std::string::npos) << what;
        EXPECT_NE(what.find("evaluated"), std::string::npos) << what;
        EXPECT_EQ(e.from(), Status::reported);
        EXPECT_EQ(e.to(), Status::evaluated);
    }
    EXPECT_EQ(store.get(id)->status, Status::reported);
    EXPECT_EQ(store.history(id).size(), 1u);
    store.transition(id, Status::rejected, at("2024-03-02T00:00:00Z"));
    EXPECT_THROW(store.transition(id, Status::dispatched, at("2024-03-03T00:00:00Z")), TransitionError)
        << "rejected is final";
    EXPECT_THROW(store.transition(id + 99, Status::dispatched, at("2024-03-03T00:00:00Z")), NotFoundError);
}

TEST(IncidentStore, StatusChangeBeforeTheLastChangeIsRefused) {
    GeoPackageIncidentStore store(temp_store("backwards.gpkg"));
    const auto id = store.add(sample("t", "2024-03-05T00:00:00Z")).id;
    EXPECT_THROW(store.transition(id, Status::dispatched, at("2024-03-04T00:00:00Z")), geo::InputError);
}

TEST(IncidentStore, FiltersSelectByBoxCategoryStatusTimeAndGrid) {
    GeoPackageIncidentStore store(temp_store("filter.gpkg"));
    auto a = sample("a", "2024-01-10T00:00:00Z");
    auto b = sample("b", "2024-02-10T00:00:00Z");
    b.category = "sanitation";
    b.location = {117.80, 39.10};
    b.grid_code = "G2";
    auto c = sample("c", "2024-03-10T00:00:00Z");
    c.location = {118.5, 40.0};
    c.grid_code.reset();
    c.outside = true;
    store.add_batch(std::vector<NewIncident>{a, b, c});
    store.transition(store.find_external("b")->id, Status::dispatched, at("2024-02-11T00:00:00Z"));

    IncidentFilter box;
    box.bbox = geo::core::Box{117.6, 39.0, 117.9, 39.2};
    EXPECT_EQ(store.count(box), 2u);
    IncidentFilter cat;
    cat.categories = {"sanitation"};
    EXPECT_EQ(store.query(cat).at(0).external_id, "b");
    IncidentFilter st;
    st.statuses = {Status::dispatched};
    EXPECT_EQ(store.count(st), 1u);
    IncidentFilter time;
    time.from = at("2024-02-01T00:00:00Z");
    time.to = at("2024-03-01T00:00:00Z");
    EXPECT_EQ(store.query(time).at(0).external_id, "b");
    IncidentFilter grid;
    grid.grid_code = "G2";
    EXPECT_EQ(store.count(grid), 1u);
    IncidentFilter after;
    after.after_id = store.find_external("a")->id;
    after.limit = 1;
    EXPECT_EQ(store.query(after).at(0).external_id, "b");
    EXPECT_TRUE(store.find_external("c")->outside);
}

TEST(IncidentStore, ReaderSeesCommittedDataWhileAnotherConnectionWrites) {
    const auto path = temp_store("readers.gpkg");
    GeoPackageIncidentStore writer(path);
    writer.add(sample("first"));
    GeoPackageIncidentStore reader(path, GeoPackageOptions{.read_only = true});
    // Hold a write transaction open on a raw connection: WAL readers go on.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "BEGIN IMMEDIATE; DELETE FROM incident_history;", nullptr, nullptr, nullptr), SQLITE_OK);
    EXPECT_EQ(reader.count(), 1u);
    EXPECT_EQ(reader.history(1).size(), 1u) << "uncommitted delete is invisible";
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db);
}

TEST(IncidentStore, StoreIsAddedToAnExistingGeoPackageWithoutTouchingItsLayers) {
    if (std::system("ogr2ogr --version > /dev/null 2>&1") != 0) {
        GTEST_SKIP() << "ogr2ogr (gdal-bin) not installed";
    }
    const auto path = temp_store("scenario.gpkg");
    const auto csv = path.parent_path() / "grids.csv";
    {
        FILE* f = std::fopen(csv.c_str(), "w");
        std::fputs("code,WKT\nG1,\"POLYGON((0 0,1 0,1 1,0 1,0 0))\"\n", f);
        std::fclose(f);
    }
    ASSERT_EQ(std::system(("ogr2ogr -q -f GPKG " + path.string() + " " + csv.string() +
                           " -nln grids -a_srs EPSG:4326 -oo GEOM_POSSIBLE_NAMES=WKT")
                              .c_str()),
              0);
    {
        GeoPackageIncidentStore store(path);
        store.add(sample("a"));
    }
    const std::string info = run("ogrinfo -ro -q " + path.string() + " 2>&1");
    EXPECT_NE(info.find("grids"), std::string::npos) << info;
    EXPECT_NE(info.find("incidents (Point)"), std::string::npos) << info;
}

TEST(IncidentStore, NonGeoPackageSqliteFileIsRefused) {
    const auto path = temp_store("other.sqlite");
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_exec(db, "CREATE TABLE t(x)", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    EXPECT_THROW(GeoPackageIncidentStore{path}, geo::IoError);
}

TEST(IncidentTime, ParsesIsoVariantsAndOffsets) {
    EXPECT_EQ(format_time(*parse_time("2024-03-01T08:30:00Z")), "2024-03-01T08:30:00Z");
    EXPECT_EQ(format_time(*parse_time("2024-03-01 16:30:00+08:00")), "2024-03-01T08:30:00Z");
    EXPECT_EQ(format_time(*parse_time("2024/03/01 16:30", 480)), "2024-03-01T08:30:00Z");
    EXPECT_EQ(format_time(*parse_time("2024-03-01T08:30:00.123Z")), "2024-03-01T08:30:00Z");
    EXPECT_EQ(format_time(*parse_time("2024-03-01")), "2024-03-01T00:00:00Z");
    EXPECT_FALSE(parse_time("yesterday"));
    EXPECT_FALSE(parse_time("2024-02-30T00:00:00Z"));
    EXPECT_FALSE(parse_time("2024-03-01T25:00:00Z"));
    EXPECT_EQ(format_time(*parse_time_with_format("01.03.2024 16:30", "%d.%m.%Y %H:%M", 480)), "2024-03-01T08:30:00Z");
    EXPECT_FALSE(parse_time_with_format("2024-03-01", "%d.%m.%Y %H:%M"));
}

TEST(IncidentTime, UtcOffsetsAreReadWithAndWithoutColon) {
    EXPECT_EQ(parse_utc_offset("+08:00"), 480);
    EXPECT_EQ(parse_utc_offset("+0800"), 480);
    EXPECT_EQ(parse_utc_offset("-0530"), -330);
    EXPECT_EQ(parse_utc_offset("-05:30"), -330);
    EXPECT_EQ(parse_utc_offset("+05:45"), 345);
    EXPECT_EQ(parse_utc_offset("8"), 480);
    EXPECT_EQ(parse_utc_offset("+08"), 480);
    EXPECT_EQ(parse_utc_offset("-12"), -720);
    EXPECT_EQ(parse_utc_offset("00:00"), 0);
    EXPECT_EQ(parse_utc_offset("+18:00"), 18 * 60);
    EXPECT_FALSE(parse_utc_offset("+18:30")) << "beyond ±18 hours";
    EXPECT_FALSE(parse_utc_offset("+08:60"));
    EXPECT_FALSE(parse_utc_offset("+8:0"));
    EXPECT_FALSE(parse_utc_offset("+080"));
    EXPECT_FALSE(parse_utc_offset("08:00x"));
    EXPECT_FALSE(parse_utc_offset("Beijing"));
    EXPECT_FALSE(parse_utc_offset(""));
    EXPECT_FALSE(parse_utc_offset("+"));
}

TEST(IncidentStatus, LoopAllowsOnlyItsEdges) {
    EXPECT_TRUE(is_allowed_transition(Status::reported, Status::dispatched));
    EXPECT_TRUE(is_allowed_transition(Status::dispatched, Status::handling));
    EXPECT_TRUE(is_allowed_transition(Status::handling, Status::resolved));
    EXPECT_TRUE(is_allowed_transition(Status::resolved, Status::evaluated));
    EXPECT_TRUE(is_allowed_transition(Status::dispatched, Status::reported));
    EXPECT_TRUE(is_allowed_transition(Status::resolved, Status::handling));
    EXPECT_TRUE(is_allowed_transition(Status::reported, Status::rejected));
    EXPECT_FALSE(is_allowed_transition(Status::reported, Status::handling));
    EXPECT_FALSE(is_allowed_transition(Status::handling, Status::evaluated));
    EXPECT_FALSE(is_allowed_transition(Status::evaluated, Status::handling));
    EXPECT_FALSE(is_allowed_transition(Status::reported, Status::reported));
    for (Status s : all_statuses) {
        EXPECT_EQ(parse_status(to_string(s)), s);
    }
    EXPECT_THROW((void)parse_status("closed"), geo::InputError);
}
