#include "io_test_support.hpp"

#include "geo/core/error.hpp"
#include "geo/io/validate.hpp"

#include <gtest/gtest.h>

using geo::io::IssueKind;
using geo::io::read_layer;
using geo::io::ReadOptions;
using geo::io::validate_layer;
using geo::io::ValidateOptions;
using io_test::TempDir;

namespace {

std::string write_geojson(const TempDir& dir, const std::string& name, const std::vector<std::string>& features) {
    const auto path = dir.file(name);
    io_test::write_text(path, io_test::geojson(features));
    return path;
}

const char* kSquare = "[[[0,0],[1,0],[1,1],[0,1],[0,0]]]";

} // namespace

TEST(Validate, CleanLayerHasNoIssues) {
    TempDir dir;
    const auto path = write_geojson(dir, "ok.geojson", {io_test::polygon_feature(1, kSquare)});
    const auto report = validate_layer(path);
    EXPECT_TRUE(report.ok());
    EXPECT_EQ(report.features_checked, 1);
}

TEST(Validate, SelfIntersectionIsReportedWithItsLocationAndFeatureId) {
    TempDir dir;
    const auto path = write_geojson(
        dir, "bowtie.geojson",
        {io_test::polygon_feature(1, kSquare), io_test::polygon_feature(2, "[[[0,0],[2,2],[2,0],[0,2],[0,0]]]")});
    const auto report = validate_layer(path);
    ASSERT_EQ(report.count(IssueKind::invalid_geometry), 1U);
    const auto& issue = report.issues.front();
    EXPECT_EQ(issue.feature_id, 1); // GeoJSON FIDs count from 0
    EXPECT_NE(issue.message.find("Self-intersection"), std::string::npos) << issue.message;
    ASSERT_TRUE(issue.location.has_value());
    EXPECT_DOUBLE_EQ(issue.location->x, 1.0);
    EXPECT_DOUBLE_EQ(issue.location->y, 1.0);
}

TEST(Validate, UnclosedRingInGeoJsonIsReportedFromTheRawRing) {
    TempDir dir;
    const auto path = write_geojson(
        dir, "open.geojson",
        {io_test::polygon_feature(1, "[[[0,0],[4,0],[4,3],[0,3]]]"), io_test::polygon_feature(2, kSquare)});
    const auto report = validate_layer(path);
    ASSERT_EQ(report.count(IssueKind::unclosed_ring), 1U);
    EXPECT_EQ(report.issues.front().feature_id, 0);
    EXPECT_NE(report.issues.front().message.find("exterior ring"), std::string::npos);
    EXPECT_EQ(report.count(IssueKind::invalid_geometry), 0U); // closing it makes a valid polygon
}

TEST(Validate, RingWithTooFewPointsIsInvalid) {
    TempDir dir;
    const auto path = write_geojson(dir, "thin.geojson", {io_test::polygon_feature(1, "[[[0,0],[1,1],[0,0]]]")});
    const auto report = validate_layer(path);
    EXPECT_EQ(report.count(IssueKind::invalid_geometry), 1U);
}

TEST(Validate, EmptyAndMissingGeometriesAreReported) {
    TempDir dir;
    const auto path = dir.file("holes.gpkg");
    {
        GDALAllRegister();
        GDALDatasetUniquePtr ds(io_test::driver("GPKG").Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        OGRSpatialReference wgs84;
        wgs84.importFromEPSG(4326);
        OGRLayer* layer = ds->CreateLayer("holes", &wgs84, wkbPolygon, nullptr);
        for (const char* wkt : {"POLYGON EMPTY", "", "POLYGON ((0 0, 1 0, 1 1, 0 0))"}) {
            OGRFeature f(layer->GetLayerDefn());
            if (*wkt != '\0') {
                OGRGeometry* g = nullptr;
                OGRGeometryFactory::createFromWkt(wkt, nullptr, &g);
                f.SetGeometryDirectly(g);
            }
            ASSERT_EQ(layer->CreateFeature(&f), OGRERR_NONE);
        }
    }
    const auto report = validate_layer(path);
    EXPECT_EQ(report.count(IssueKind::empty_geometry), 1U);
    EXPECT_EQ(report.count(IssueKind::null_geometry), 1U);
    EXPECT_EQ(report.features_with_geometry_issues(), 2U);
}

TEST(Validate, DuplicateIdsInTheIdFieldAreReportedWithBothFeatures) {
    TempDir dir;
    const auto path = write_geojson(dir, "dups.geojson",
                                    {io_test::polygon_feature(7, kSquare), io_test::polygon_feature(8, kSquare),
                                     io_test::polygon_feature(7, kSquare)});
    ValidateOptions options;
    options.id_field = "code";
    const auto report = validate_layer(path, options);
    ASSERT_EQ(report.count(IssueKind::duplicate_id), 1U);
    const auto& issue = report.issues.front();
    EXPECT_EQ(issue.feature_id, 2);
    EXPECT_EQ(issue.id_value, "7");
    EXPECT_NE(issue.message.find("feature 0"), std::string::npos) << issue.message;
}

TEST(Validate, UnknownIdFieldIsAnInputErrorListingFields) {
    TempDir dir;
    const auto path = write_geojson(dir, "ok.geojson", {io_test::polygon_feature(1, kSquare)});
    ValidateOptions options;
    options.id_field = "gid";
    try {
        (void)validate_layer(path, options);
        FAIL();
    } catch (const geo::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("code"), std::string::npos) << e.what();
    }
}

TEST(Validate, NonUtf8TextIsAFindingNotACrash) {
    TempDir dir;
    const auto path = io_test::make_shapefile(dir, "cities", io_test::latin1_names(), "");
    const auto report = validate_layer(path);
    EXPECT_EQ(report.count(IssueKind::invalid_utf8), 3U);
    ValidateOptions options;
    options.read.encoding = "LATIN1";
    EXPECT_TRUE(validate_layer(path, options).ok());
}

TEST(Validate, MissingCrsIsOneLayerIssueAndTheOtherChecksStillRun) {
    TempDir dir;
    const auto path = io_test::make_shapefile(dir, "noprj", io_test::latin1_names(), "ISO-8859-1");
    std::filesystem::remove(dir.file("noprj.prj"));
    const auto report = validate_layer(path);
    ASSERT_EQ(report.issues.size(), 1U);
    EXPECT_EQ(report.issues[0].kind, IssueKind::missing_crs);
    EXPECT_EQ(report.issues[0].feature_id, -1);
    EXPECT_GT(report.features_checked, 0);
    // With --crs the layer is fine.
    ValidateOptions with_crs;
    with_crs.read.crs_override = "EPSG:4326";
    EXPECT_TRUE(validate_layer(path, with_crs).ok());
}

TEST(Validate, SwappedLatLonAndMetresInADegreeCrsAreOutOfRange) {
    TempDir dir;
    const auto swapped = dir.file("swapped.geojson");
    io_test::write_text(swapped, R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},
        "geometry":{"type":"Point","coordinates":[39.02,117.70]}}]})");
    auto report = validate_layer(swapped);
    ASSERT_EQ(report.issues.size(), 1U);
    EXPECT_EQ(report.issues[0].kind, IssueKind::out_of_range);
    EXPECT_NE(report.issues[0].message.find("swapped"), std::string::npos) << report.issues[0].message;

    const auto metres = dir.file("metres.geojson");
    io_test::write_text(metres, R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},
        "geometry":{"type":"Point","coordinates":[560000,4319000]}}]})");
    report = validate_layer(metres);
    ASSERT_EQ(report.issues.size(), 1U);
    EXPECT_NE(report.issues[0].message.find("metres"), std::string::npos) << report.issues[0].message;
    EXPECT_THROW((void)read_layer(metres), geo::InputError);
    ReadOptions right_crs;
    right_crs.crs_override = "EPSG:4548";
    EXPECT_EQ(read_layer(metres, right_crs).features.size(), 1U);
}

TEST(Validate, AMinorityGeometryKindIsReportedPerFeature) {
    TempDir dir;
    const auto path = dir.file("mixed.geojson");
    io_test::write_text(path, R"({"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}},
        {"type":"Feature","properties":{},"geometry":{"type":"MultiPolygon","coordinates":[[[[2,0],[3,0],[3,1],[2,0]]]]}},
        {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[5,5]}}]})");
    const auto report = validate_layer(path);
    ASSERT_EQ(report.issues.size(), 1U);
    EXPECT_EQ(report.issues[0].kind, IssueKind::mixed_geometry_types);
    EXPECT_EQ(report.issues[0].feature_id, 2);
}

TEST(Validate, EmptyFileIsAnIoError) {
    TempDir dir;
    const auto path = dir.file("empty.gpkg");
    io_test::write_text(path, "");
    EXPECT_THROW((void)validate_layer(path), geo::IoError);
}
