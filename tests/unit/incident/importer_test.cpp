// Import rules: idempotent, bad rows reported with their reason and skipped,
// outside points kept and flagged, CRS handled; and a real point data set
// nobody here wrote (OpenStreetMap Monaco 2016, © OpenStreetMap contributors)
// read through GDAL's OSM driver. The store is read back through GDAL.

#include "geo/incident/geopackage_store.hpp"
#include "geo/incident/hotspots.hpp"
#include "geo/incident/importer.hpp"
#include "geo/incident/stats.hpp"
#include "geo/io/reader.hpp"
#include "geo/io/writer.hpp"

#include "incident_test_support.hpp"

#include <gtest/gtest.h>

#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;
using geo::core::Geometry;
using namespace geo::incident;

namespace {

fs::path fresh(const std::string& name) {
    return incident_test::fresh_store("import", name);
}

// A grid GeoPackage written through geo::io (GDAL): n×n cells over a box,
// codes "C<row><col>", parent "J<row>".
fs::path write_grids(const std::string& name, geo::core::Box box, int n) {
    geo::io::Layer layer;
    layer.name = "grids";
    layer.fields = {{"code", geo::io::FieldType::string}, {"parent_code", geo::io::FieldType::string}};
    const double w = box.width() / n;
    const double h = box.height() / n;
    for (int r = 0; r < n; ++r) {
        for (int c = 0; c < n; ++c) {
            geo::io::Feature f;
            f.geometry =
                Geometry::box({box.min_x + c * w, box.min_y + r * h, box.min_x + (c + 1) * w, box.min_y + (r + 1) * h});
            std::string code = "C";
            code += std::to_string(r);
            code += std::to_string(c);
            std::string parent = "J";
            parent += std::to_string(r);
            f.attributes = {code, parent};
            layer.features.push_back(std::move(f));
        }
    }
    const fs::path p = fresh(name);
    geo::io::write_layer(p.string(), layer);
    return p;
}

// Hand-written GeoJSON with every kind of row the importer must cope with.
fs::path write_incidents_geojson() {
    const fs::path p = fresh("incidents.geojson");
    std::ofstream out(p);
    out << R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"ticket":"T1","type":"噪音扰民","time":"2024-03-01 08:00:00"},
 "geometry":{"type":"Point","coordinates":[0.5,0.5]}},
{"type":"Feature","properties":{"ticket":"T2","type":"环境卫生","time":"2024-03-02T09:30:00+08:00"},
 "geometry":{"type":"Point","coordinates":[1.0,0.5]}},
{"type":"Feature","properties":{"ticket":"T3","type":"供热","time":"not a time"},
 "geometry":{"type":"Point","coordinates":[0.5,1.5]}},
{"type":"Feature","properties":{"ticket":"T4","type":"停车","time":"2024-03-03 10:00:00"},
 "geometry":null},
{"type":"Feature","properties":{"ticket":"T5","type":"供水","time":"2024-03-03 10:00:00"},
 "geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}},
{"type":"Feature","properties":{"ticket":"T6","type":"道路破损","time":"2024-03-04 11:00:00"},
 "geometry":{"type":"Point","coordinates":[5.0,5.0]}},
{"type":"Feature","properties":{"ticket":"T7","type":"物业","time":"2024-03-05 12:00:00"},
 "geometry":{"type":"Point","coordinates":[1.5,1.5]}}
]})";
    return p;
}

ImportOptions ticket_options() {
    ImportOptions o;
    o.id_field = "ticket";
    o.category_field = "type";
    o.time_field = "time";
    return o;
}

} // namespace

TEST(IncidentImport, ReportsBadRowsWithTheirReasonAndKeepsGoing) {
    const GridAssigner grids(load_grids({write_grids("g1.gpkg", {0, 0, 2, 2}, 2).string(), "", "", "", ""}));
    GeoPackageIncidentStore store(fresh("s1.gpkg"));
    const auto r = import_file(write_incidents_geojson().string(), grids, store, ticket_options());
    EXPECT_EQ(r.rows, 7u);
    EXPECT_EQ(r.added, 4u);
    EXPECT_EQ(r.bad_time, 1u);
    EXPECT_EQ(r.bad_geometry, 2u);
    EXPECT_EQ(r.outside, 1u);
    ASSERT_EQ(r.issues.size(), 4u);
    std::map<std::string, RowIssue> by_id;
    for (const auto& i : r.issues) {
        by_id[i.external_id] = i;
    }
    EXPECT_EQ(by_id["T3"].problem, RowProblem::bad_time);
    EXPECT_NE(by_id["T3"].detail.find("not a time"), std::string::npos);
    EXPECT_EQ(by_id["T4"].problem, RowProblem::bad_geometry);
    EXPECT_EQ(by_id["T5"].problem, RowProblem::bad_geometry);
    EXPECT_NE(by_id["T5"].detail.find("not a point"), std::string::npos) << by_id["T5"].detail;
    EXPECT_EQ(by_id["T6"].problem, RowProblem::outside_grids);
    EXPECT_TRUE(by_id["T6"].kept);

    const auto t1 = store.find_external("T1");
    ASSERT_TRUE(t1);
    EXPECT_EQ(t1->grid_code, "C00");
    EXPECT_EQ(t1->jurisdiction_code, "J0");
    EXPECT_EQ(t1->category, "噪音扰民");
    EXPECT_EQ(format_time(t1->reported_at), "2024-03-01T00:00:00Z") << "naive times are Beijing time";
    EXPECT_EQ(store.find_external("T2")->grid_code, "C00") << "shared edge: smallest code";
    EXPECT_EQ(format_time(store.find_external("T2")->reported_at), "2024-03-02T01:30:00Z");
    const auto t6 = store.find_external("T6");
    ASSERT_TRUE(t6) << "outside points are kept";
    EXPECT_TRUE(t6->outside);
    EXPECT_FALSE(t6->grid_code);
}

TEST(IncidentImport, ARowWithCoordinatesOutsideWgs84IsSkippedNotTheFile) {
    const GridAssigner grids(load_grids({write_grids("g9.gpkg", {0, 0, 2, 2}, 2).string(), "", "", "", ""}));
    GeoPackageIncidentStore store(fresh("s9.gpkg"));
    const fs::path p = fresh("out_of_range.geojson");
    std::ofstream(p) << R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"ticket":"R1","type":"noise","time":"2024-03-01 08:00:00"},
 "geometry":{"type":"Point","coordinates":[0.5,0.5]}},
{"type":"Feature","properties":{"ticket":"R2","type":"noise","time":"2024-03-01 09:00:00"},
 "geometry":{"type":"Point","coordinates":[200.0,0.5]}}]})";
    const auto r = import_file(p.string(), grids, store, ticket_options());
    EXPECT_EQ(r.rows, 2u);
    EXPECT_EQ(r.added, 1u);
    EXPECT_EQ(r.bad_geometry, 1u);
    ASSERT_EQ(r.issues.size(), 1u);
    EXPECT_EQ(r.issues[0].external_id, "R2");
    EXPECT_NE(r.issues[0].detail.find("outside WGS 84"), std::string::npos) << r.issues[0].detail;
}

TEST(IncidentImport, ARowWithTextThatIsNotUtf8IsSkippedAndNamedNotTheFile) {
    // A UTF-8 CSV in which one description was written in Latin-1 ("café" as 63 61 66 E9):
    // that row is reported as bad text encoding with its FID, the others are imported.
    const GridAssigner grids(load_grids({write_grids("g10.gpkg", {0, 0, 2, 2}, 2).string(), "", "", "", ""}));
    GeoPackageIncidentStore store(fresh("s10.gpkg"));
    const fs::path csv = fresh("one_latin1.csv");
    std::ofstream(csv, std::ios::binary) << "ticket,lon,lat,category,reported_at,description\n"
                                            "L1,0.5,0.5,噪音扰民,2024-03-01 08:00:00,楼下施工\n"
                                            "L2,1.5,0.5,noise,2024-03-01 09:00:00,caf\xE9 terrace\n"
                                            "L3,1.5,1.5,环境卫生,2024-03-01 10:00:00,垃圾\n";
    // Other commands stay strict: the same file stops a plain read at the bad row.
    geo::io::ReadOptions strict;
    strict.crs_override = "EPSG:4326";
    EXPECT_THROW((void)geo::io::read_layer(csv.string(), strict), geo::InputError);

    ImportOptions o;
    o.read.crs_override = "EPSG:4326";
    o.id_field = "ticket";
    const auto r = import_file(csv.string(), grids, store, o);
    EXPECT_EQ(r.rows, 3u);
    EXPECT_EQ(r.added, 2u);
    EXPECT_EQ(r.bad_text, 1u);
    ASSERT_EQ(r.issues.size(), 1u);
    EXPECT_EQ(r.issues[0].problem, RowProblem::bad_text);
    EXPECT_STREQ(to_string(r.issues[0].problem), "bad text encoding");
    EXPECT_EQ(r.issues[0].feature_id, 2) << "GDAL's CSV FIDs start at 1";
    EXPECT_NE(r.issues[0].detail.find("'description'"), std::string::npos) << r.issues[0].detail;
    ASSERT_FALSE(r.notes.empty());
    EXPECT_NE(r.notes.back().find("--encoding"), std::string::npos) << r.notes.back();
    EXPECT_TRUE(store.find_external("L1"));
    EXPECT_FALSE(store.find_external("L2"));
    EXPECT_EQ(store.find_external("L3")->category, "环境卫生");
}

TEST(IncidentImport, ABrokenGeometryIsSkippedAndNamedNotTheFile) {
    // GDAL reads these geometries, GEOS cannot hold them: a ring of two points and a
    // one-point line. Each is one row's problem.
    const GridAssigner grids(load_grids({write_grids("g11.gpkg", {0, 0, 2, 2}, 2).string(), "", "", "", ""}));
    GeoPackageIncidentStore store(fresh("s11.gpkg"));
    const fs::path p = fresh("broken_geometry.geojson");
    std::ofstream(p) << R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"ticket":"G1","type":"noise","time":"2024-03-01 08:00:00"},
 "geometry":{"type":"Point","coordinates":[0.5,0.5]}},
{"type":"Feature","properties":{"ticket":"G2","type":"noise","time":"2024-03-01 09:00:00"},
 "geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0]]]}},
{"type":"Feature","properties":{"ticket":"G3","type":"noise","time":"2024-03-01 10:00:00"},
 "geometry":{"type":"LineString","coordinates":[[0.5,0.5]]}},
{"type":"Feature","properties":{"ticket":"G4","type":"noise","time":"2024-03-01 11:00:00"},
 "geometry":{"type":"Point","coordinates":[1.5,1.5]}}]})";
    EXPECT_THROW((void)geo::io::read_layer(p.string()), geo::GeometryError) << "other commands stay strict";

    const auto r = import_file(p.string(), grids, store, ticket_options());
    EXPECT_EQ(r.rows, 4u);
    EXPECT_EQ(r.added, 2u);
    EXPECT_EQ(r.bad_geometry, 2u);
    ASSERT_EQ(r.issues.size(), 2u);
    EXPECT_EQ(r.issues[0].feature_id, 1) << "issues in file order";
    EXPECT_EQ(r.issues[1].feature_id, 2);
    for (const auto& i : r.issues) {
        EXPECT_EQ(i.problem, RowProblem::bad_geometry);
        EXPECT_FALSE(i.detail.empty());
        EXPECT_NE(i.detail.back(), '\n');
    }
    // The two-point ring reaches the importer (not a point); the one-point line cannot be read.
    EXPECT_NE(r.issues[0].detail.find("not a point"), std::string::npos) << r.issues[0].detail;
    EXPECT_NE(r.issues[1].detail.find("WKB"), std::string::npos) << r.issues[1].detail;
    EXPECT_EQ(store.find_external("G4")->grid_code, "C11");
}

TEST(IncidentImport, AGeometryBlobGdalCannotDecodeIsSkippedAndNamedNotTheFile) {
    // A GeoPackage whose second row's geometry blob is garbage: GDAL says "Unable to read
    // geometry" and goes on. A strict read fails at the end; the import skips that row.
    const GridAssigner grids(load_grids({write_grids("g15.gpkg", {0, 0, 2, 2}, 2).string(), "", "", "", ""}));
    GeoPackageIncidentStore store(fresh("s15.gpkg"));
    geo::io::Layer layer;
    layer.name = "pts";
    layer.fields = {{"ticket", geo::io::FieldType::string}, {"reported_at", geo::io::FieldType::string}};
    const double xs[] = {0.5, 1.5, 1.5};
    for (int k = 0; k < 3; ++k) {
        geo::io::Feature f;
        f.geometry = Geometry::point({xs[k], 0.5 + k * 0.5});
        f.attributes = {std::string("P").append(std::to_string(k + 1)), std::string("2024-03-01 08:00:00")};
        layer.features.push_back(std::move(f));
    }
    const fs::path p = fresh("corrupt_blob.gpkg");
    geo::io::write_layer(p.string(), layer);
    {
        sqlite3* db = nullptr;
        ASSERT_EQ(sqlite3_open(p.c_str(), &db), SQLITE_OK);
        // The R-tree triggers call GDAL's SQL functions, which a plain connection lacks.
        std::vector<std::string> triggers;
        sqlite3_exec(
            db, "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'rtree_pts_%'",
            [](void* out, int, char** v, char**) {
                static_cast<std::vector<std::string>*>(out)->emplace_back(v[0]);
                return 0;
            },
            &triggers, nullptr);
        for (const auto& t : triggers) {
            ASSERT_EQ(sqlite3_exec(db, ("DROP TRIGGER \"" + t + "\"").c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
        }
        ASSERT_EQ(sqlite3_exec(db, "UPDATE pts SET geom = X'4750000101000000DEADBEEF' WHERE fid = 2", nullptr, nullptr,
                               nullptr),
                  SQLITE_OK);
        sqlite3_close(db);
    }
    EXPECT_THROW((void)geo::io::read_layer(p.string()), geo::IoError) << "other commands stay strict";

    ImportOptions o;
    o.id_field = "ticket";
    const auto r = import_file(p.string(), grids, store, o);
    EXPECT_EQ(r.rows, 3u);
    EXPECT_EQ(r.added, 2u);
    EXPECT_EQ(r.bad_geometry, 1u);
    ASSERT_EQ(r.issues.size(), 1u);
    EXPECT_EQ(r.issues[0].feature_id, 2);
    EXPECT_EQ(r.issues[0].problem, RowProblem::bad_geometry);
    EXPECT_NE(r.issues[0].detail.find("Unable to read geometry"), std::string::npos) << r.issues[0].detail;
    EXPECT_TRUE(store.find_external("P3"));
}

TEST(IncidentImport, FidIdsComeFromTheRowNotTheFileName) {
    const GridAssigner grids(load_grids({write_grids("g12.gpkg", {0, 0, 2, 2}, 2).string(), "", "", "", ""}));
    GeoPackageIncidentStore store(fresh("s12.gpkg"));
    // Two different files, both called incidents.geojson, no id field: FID 0 in each.
    const fs::path dir_a = incident_test::temp_dir("import") / "a";
    const fs::path dir_b = incident_test::temp_dir("import") / "b";
    fs::create_directories(dir_a);
    fs::create_directories(dir_b);
    auto write = [](const fs::path& p, const char* category, double x) {
        std::ofstream(p) << R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"category":")"
                         << category << R"(","reported_at":"2024-03-01 08:00:00"},"geometry":{"type":"Point",)"
                         << R"("coordinates":[)" << x << R"(,0.5]}}]})";
    };
    write(dir_a / "incidents.geojson", "noise", 0.5);
    write(dir_b / "incidents.geojson", "heating", 1.5);
    EXPECT_EQ(import_file((dir_a / "incidents.geojson").string(), grids, store).added, 1u);
    EXPECT_EQ(import_file((dir_b / "incidents.geojson").string(), grids, store).added, 1u)
        << "same file name, same FID, different incident: no collision";
    // The first file renamed and moved: the same rows, nothing new.
    const fs::path moved = incident_test::temp_dir("import") / "moved_export.geojson";
    fs::copy_file(dir_a / "incidents.geojson", moved, fs::copy_options::overwrite_existing);
    const auto again = import_file(moved.string(), grids, store);
    EXPECT_EQ(again.added, 0u);
    EXPECT_EQ(again.already_present, 1u);
    EXPECT_EQ(store.count(), 2u);

    // The rule, spelled out: FID and a hash of what is stored.
    NewIncident in;
    in.category = "noise";
    in.reported_at = incident_test::at("2024-03-01T00:00:00Z");
    in.location = {0.5, 0.5};
    const std::string expected = fid_external_id(0, in, true);
    EXPECT_EQ(expected.rfind("fid:0:", 0), 0u);
    EXPECT_EQ(expected.size(), std::string("fid:0:").size() + 16);
    EXPECT_TRUE(store.find_external(expected)) << expected;
    NewIncident other = in;
    other.description = "different";
    EXPECT_NE(fid_external_id(0, other, true), expected);
    other = in;
    other.location.x += 1e-6;
    EXPECT_NE(fid_external_id(0, other, true), expected);
    EXPECT_NE(fid_external_id(1, in, true), expected);
}

TEST(IncidentImport, FileWithoutTimeFieldReimportsIdempotently) {
    // reported_at is the import time then, which must not enter the id.
    const GridAssigner grids(load_grids({write_grids("g13.gpkg", {0, 0, 2, 2}, 2).string(), "", "", "", ""}));
    GeoPackageIncidentStore store(fresh("s13.gpkg"));
    const fs::path p = fresh("no_time.geojson");
    std::ofstream(p) << R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"category":"noise"},"geometry":{"type":"Point","coordinates":[0.5,0.5]}},
{"type":"Feature","properties":{"category":"noise"},"geometry":{"type":"Point","coordinates":[1.5,0.5]}}]})";
    EXPECT_EQ(import_file(p.string(), grids, store).added, 2u);
    std::this_thread::sleep_for(std::chrono::milliseconds(1100)); // another import second
    const auto again = import_file(p.string(), grids, store);
    EXPECT_EQ(again.added, 0u);
    EXPECT_EQ(again.already_present, 2u);
}

TEST(IncidentImport, TheStoreKeepsTheGridsItWasImportedAgainst) {
    const auto grid_file = write_grids("g14.gpkg", {0, 0, 2, 2}, 2);
    const auto store_path = fresh("s14.gpkg");
    // A new store file: GDAL creates it with the grids, the store adds its tables.
    EXPECT_EQ(keep_grids_with_store({grid_file.string(), "", "", "", ""}, store_path.string()), GridCopy::copied);
    {
        GeoPackageIncidentStore store(store_path);
        const GridAssigner grids(load_grids({grid_file.string(), "", "", "", ""}));
        EXPECT_EQ(import_file(write_incidents_geojson().string(), grids, store, ticket_options()).added, 4u);
        EXPECT_EQ(store.integrity_check(), "ok");
    }
    EXPECT_EQ(keep_grids_with_store({grid_file.string(), "", "", "", ""}, store_path.string()),
              GridCopy::store_has_grids)
        << "the earlier copy: same codes";
    const auto other_grids = write_grids("g14b.gpkg", {0, 0, 3, 3}, 3);
    EXPECT_EQ(keep_grids_with_store({other_grids.string(), "", "", "", ""}, store_path.string()),
              GridCopy::store_has_other_grids)
        << "never overwritten";
    EXPECT_EQ(keep_grids_with_store({store_path.string(), "", "", "", ""}, store_path.string()), GridCopy::same_file);
    const auto copied = load_grids({store_path.string(), "", "", "", ""});
    const auto original = load_grids({grid_file.string(), "", "", "", ""});
    ASSERT_EQ(copied.size(), original.size());
    for (std::size_t i = 0; i < copied.size(); ++i) {
        EXPECT_EQ(copied[i].code, original[i].code);
        EXPECT_EQ(copied[i].parent_code, original[i].parent_code);
        EXPECT_TRUE(copied[i].geometry.equals(original[i].geometry)) << copied[i].code;
    }
    // The incident layers are still there next to the grids.
    GeoPackageIncidentStore reopened(store_path, GeoPackageOptions{.read_only = true});
    EXPECT_EQ(reopened.count(), 4u);
}

TEST(IncidentImport, ReimportingTheSameFileAddsNothing) {
    const GridAssigner grids(load_grids({write_grids("g2.gpkg", {0, 0, 2, 2}, 2).string(), "", "", "", ""}));
    const auto path = fresh("s2.gpkg");
    const auto input = write_incidents_geojson();
    {
        GeoPackageIncidentStore store(path);
        EXPECT_EQ(import_file(input.string(), grids, store, ticket_options()).added, 4u);
    }
    GeoPackageIncidentStore store(path);
    const auto again = import_file(input.string(), grids, store, ticket_options());
    EXPECT_EQ(again.added, 0u);
    EXPECT_EQ(again.already_present, 4u);
    EXPECT_EQ(store.count(), 4u);
}

TEST(IncidentImport, TimeFormatOptionParsesCustomTimes) {
    const GridAssigner grids(load_grids({write_grids("g3.gpkg", {0, 0, 2, 2}, 2).string(), "", "", "", ""}));
    GeoPackageIncidentStore store(fresh("s3.gpkg"));
    const auto csv = fresh("custom.csv");
    std::ofstream(csv) << "id,lon,lat,when,category\n"
                          "a,0.5,0.5,01.03.2024 08:00,noise\n"
                          "b,1.5,0.5,2024-03-01,noise\n";
    ImportOptions o;
    o.read.crs_override = "EPSG:4326";
    o.id_field = "id";
    o.time_field = "when";
    o.time_format = "%d.%m.%Y %H:%M";
    o.utc_offset_minutes = 0;
    // GDAL's CSV driver needs to be told which columns hold the point.
    const fs::path vrt = fresh("custom.vrt");
    std::ofstream(vrt) << "<OGRVRTDataSource><OGRVRTLayer name=\"custom\"><SrcDataSource>" << csv.string()
                       << "</SrcDataSource><GeometryType>wkbPoint</GeometryType><LayerSRS>EPSG:4326</LayerSRS>"
                          "<GeometryField encoding=\"PointFromColumns\" x=\"lon\" y=\"lat\"/></OGRVRTLayer>"
                          "</OGRVRTDataSource>";
    const auto r = import_file(vrt.string(), grids, store, o);
    EXPECT_EQ(r.added, 1u);
    EXPECT_EQ(r.bad_time, 1u);
    EXPECT_EQ(format_time(store.find_external("a")->reported_at), "2024-03-01T08:00:00Z");
}

TEST(IncidentImport, ProjectedInputIsTransformedToWgs84BeforeAssignment) {
    // Grid around 117.7E 39.0N; the incident comes in UTM 50N (EPSG:32650).
    const GridAssigner grids(
        load_grids({write_grids("g4.gpkg", {117.6, 38.9, 117.8, 39.1}, 2).string(), "", "", "", ""}));
    GeoPackageIncidentStore store(fresh("s4.gpkg"));
    geo::io::Layer layer;
    layer.name = "utm";
    layer.crs = geo::crs::Crs::from_epsg(32650);
    layer.fields = {{"category", geo::io::FieldType::string}, {"reported_at", geo::io::FieldType::string}};
    geo::io::Feature f;
    f.id = 1;
    f.geometry = Geometry::point({562364.0, 4314803.7}); // 117.72E 38.98N (cs2cs EPSG:4326 EPSG:32650)
    f.attributes = {std::string("heating"), std::string("2024-01-15T07:00:00Z")};
    layer.features.push_back(std::move(f));
    const auto r = import_layer(layer, "utm.gpkg", grids, store);
    EXPECT_EQ(r.added, 1u);
    const auto stored = store.query({});
    ASSERT_EQ(stored.size(), 1u);
    EXPECT_EQ(stored.front().external_id.rfind("fid:1:", 0), 0u) << stored.front().external_id;
    const auto in = store.find_external(stored.front().external_id);
    ASSERT_TRUE(in);
    EXPECT_NEAR(in->location.x, 117.72, 1e-6);
    EXPECT_NEAR(in->location.y, 38.98, 1e-6);
    EXPECT_EQ(in->grid_code, "C01");
}

TEST(IncidentImport, RealOsmPointsFromMonacoImportAndReadBackThroughGdal) {
    const fs::path pbf = fs::path(GEO_DATA_DIR) / "osm" / "monaco_2016.osm.pbf";
    if (!fs::exists(pbf)) {
        GTEST_SKIP() << pbf << " missing";
    }
    // 4×4 grids over the western part of Monaco only, so some points fall outside.
    const auto grid_file = write_grids("monaco_grids.gpkg", {7.405, 43.725, 7.425, 43.745}, 4);
    const auto grid_list = load_grids({grid_file.string(), "", "", "", ""});
    const GridAssigner grids{std::vector<Grid>(grid_list)};
    const auto store_path = fresh("monaco_store.gpkg");
    ImportReport r;
    {
        GeoPackageIncidentStore store(store_path);
        ImportOptions o;
        o.read.layer = "points";
        o.category_field = "highway"; // crossings, bus stops, traffic signals... stand in for categories
        r = import_file(pbf.string(), grids, store, o);
        EXPECT_GT(r.rows, 1000u) << "Monaco 2016 has thousands of tagged nodes";
        EXPECT_EQ(r.added + r.bad_geometry + r.bad_time, r.rows);
        EXPECT_GT(r.outside, 0u);
        EXPECT_LT(r.outside, r.added);
        EXPECT_EQ(store.count(), r.added);
        EXPECT_EQ(import_file(pbf.string(), grids, store, o).added, 0u) << "idempotent on real data";

        // Every stored point lies in the grid it was given (checked with GEOS directly).
        std::map<std::string, Geometry> by_code;
        for (const auto& g : grid_list) {
            by_code[g.code] = g.geometry;
        }
        std::size_t checked = 0;
        store.for_each({}, [&](const Incident& in) {
            if (in.grid_code) {
                EXPECT_TRUE(by_code.at(*in.grid_code).covers(Geometry::point(in.location))) << in.external_id;
                ++checked;
            }
        });
        EXPECT_EQ(checked, r.added - r.outside);

        StatsOptions so;
        const auto stats = compute_statistics(store, so);
        EXPECT_EQ(stats.total, r.added);
        EXPECT_EQ(stats.outside, r.outside);
        const auto hot = grid_hotspots(grid_list, store);
        std::size_t counted = 0;
        for (const auto& h : hot) {
            counted += h.count;
        }
        EXPECT_EQ(counted, r.added - r.outside);
        EXPECT_EQ(store.integrity_check(), "ok");
    }
    // GDAL (through geo::io) reads the store as a GeoPackage point layer.
    geo::io::ReadOptions read;
    read.layer = "incidents";
    const auto layer = geo::io::read_layer(store_path.string(), read);
    EXPECT_EQ(layer.features.size(), r.added);
    EXPECT_EQ(layer.crs.epsg(), 4326);
    const auto grid_field = layer.field_index("grid_code");
    std::size_t with_grid = 0;
    for (const auto& f : layer.features) {
        with_grid += geo::io::is_null(f.attributes[grid_field]) ? 0 : 1;
        ASSERT_EQ(f.geometry.type(), geo::core::GeometryType::point);
    }
    EXPECT_EQ(with_grid, r.added - r.outside);
}

TEST(IncidentHotspots, LayerWritesToGeoPackage) {
    const auto grid_list = load_grids({write_grids("g5.gpkg", {0, 0, 3, 3}, 3).string(), "", "", "", ""});
    const GridAssigner grids{std::vector<Grid>(grid_list)};
    GeoPackageIncidentStore store(fresh("s5.gpkg"));
    std::vector<NewIncident> many;
    for (int k = 0; k < 30; ++k) {
        NewIncident n;
        n.external_id = std::string("h").append(std::to_string(k));
        n.category = "noise";
        n.reported_at = *parse_time("2024-01-01T00:00:00Z");
        n.location = k < 20 ? geo::core::XY{0.5, 0.5} : geo::core::XY{0.5 + (k % 3), 0.5 + ((k / 3) % 3)};
        n.grid_code = grids.grids()[*grids.assign(n.location).grid].code;
        many.push_back(n);
    }
    store.add_batch(many);
    const auto hot = grid_hotspots(grid_list, store);
    const auto out = fresh("hot.gpkg");
    geo::io::write_layer(out.string(), hotspot_layer(grid_list, hot));
    geo::io::ReadOptions read;
    read.layer = "hotspots";
    const auto back = geo::io::read_layer(out.string(), read);
    ASSERT_EQ(back.features.size(), 9u);
    EXPECT_EQ(geo::io::to_string(back.attribute(back.features[0], "code")), "C00");
    EXPECT_GT(*geo::io::to_double(back.attribute(back.features[0], "gi_z")), 1.0);
}
