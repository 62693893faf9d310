#include "io_test_support.hpp"

#include "geo/core/error.hpp"
#include "geo/io/reader.hpp"
#include "geo/io/validate.hpp"

#include <gtest/gtest.h>

using geo::io::read_layer;
using geo::io::ReadOptions;
using io_test::TempDir;

namespace {

std::vector<std::string> names_of(const geo::io::Layer& layer) {
    std::vector<std::string> names;
    for (const auto& feature : layer.features) {
        names.push_back(std::get<std::string>(layer.attribute(feature, "name")));
    }
    return names;
}

const std::vector<std::string> kCities = {"Zürich", "São Paulo", "Besançon"};

} // namespace

// --- encodings ------------------------------------------------------------------

TEST(ReadEncoding, Latin1ShapefileWithCpgIsDecodedToUtf8) {
    TempDir dir;
    const auto path = io_test::make_shapefile(dir, "cities", io_test::latin1_names(), "ISO-8859-1");
    const auto layer = read_layer(path);
    EXPECT_EQ(names_of(layer), kCities);
    EXPECT_EQ(geo::io::list_layers(path).front().encoding, "ISO-8859-1 (from .cpg)");
}

TEST(ReadEncoding, DbfLanguageDriverIdIsHonouredWithoutCpg) {
    TempDir dir;
    // LDID 0x57 (87) is ANSI / ISO-8859-1 in the DBF header.
    const auto path = io_test::make_shapefile(dir, "cities", io_test::latin1_names(), "", 0x57);
    EXPECT_EQ(names_of(read_layer(path)), kCities);
    EXPECT_NE(geo::io::list_layers(path).front().encoding.find("LDID"), std::string::npos);
}

TEST(ReadEncoding, ShapefileWithoutCodePageNeedsEncodingOption) {
    TempDir dir;
    const auto path = io_test::make_shapefile(dir, "cities", io_test::latin1_names(), "");
    ReadOptions options;
    options.encoding = "LATIN1";
    EXPECT_EQ(names_of(read_layer(path, options)), kCities);
}

TEST(ReadEncoding, ShapefileWithoutCodePageAndNonUtf8TextFailsSuggestingEncoding) {
    TempDir dir;
    const auto path = io_test::make_shapefile(dir, "cities", io_test::latin1_names(), "");
    try {
        (void)read_layer(path);
        FAIL() << "mojibake was returned silently";
    } catch (const geo::InputError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("not valid UTF-8"), std::string::npos) << what;
        EXPECT_NE(what.find("--encoding"), std::string::npos) << what;
        EXPECT_NE(what.find("cities.shp"), std::string::npos) << what;
        EXPECT_EQ(e.context().feature, 0);
    }
}

TEST(ReadEncoding, GbkShapefileWithChineseNamesIsDecodedWithEncodingGbk) {
    TempDir dir;
    const auto path = io_test::make_shapefile(dir, "districts", io_test::gbk_names(), "");
    ReadOptions options;
    options.encoding = "GBK";
    EXPECT_EQ(names_of(read_layer(path, options)), (std::vector<std::string>{"滨海新区", "和平区"}));
    options.encoding = "gb18030";
    EXPECT_EQ(names_of(read_layer(path, options)), (std::vector<std::string>{"滨海新区", "和平区"}));
}

TEST(ReadEncoding, EncodingOptionOverridesAWrongCpg) {
    TempDir dir;
    // The .cpg claims Latin-1 but the bytes are GBK: the user knows better.
    const auto path = io_test::make_shapefile(dir, "districts", io_test::gbk_names(), "ISO-8859-1");
    ReadOptions options;
    options.encoding = "GBK";
    EXPECT_EQ(names_of(read_layer(path, options)).front(), "滨海新区");
    EXPECT_EQ(geo::io::list_layers(path, options).front().encoding, "GBK (--encoding)");
}

TEST(ReadEncoding, NonShapefileTextIsRecodedFromTheEncodingOption) {
    TempDir dir;
    const auto path = dir.file("districts.csv");
    io_test::write_text(path, "name,lon,lat\n" + io_test::gbk_names()[0] + ",117.7,39.0\n");
    ReadOptions options;
    options.encoding = "GBK";
    options.crs_override = "EPSG:4326";
    const auto layer = read_layer(path, options);
    EXPECT_EQ(std::get<std::string>(layer.attribute(layer.features.at(0), "name")), "滨海新区");
}

TEST(ReadEncoding, UnknownEncodingNameIsAnInputError) {
    TempDir dir;
    const auto path = io_test::make_shapefile(dir, "cities", io_test::latin1_names(), "ISO-8859-1");
    ReadOptions options;
    options.encoding = "KLINGON-8";
    EXPECT_THROW((void)read_layer(path, options), geo::InputError);
}

TEST(ReadEncoding, Utf8ValidatorRejectsMalformedSequences) {
    EXPECT_TRUE(geo::io::is_valid_utf8("Zürich 滨海新区 😀"));
    EXPECT_FALSE(geo::io::is_valid_utf8("Z\xFCrich"));        // Latin-1 byte
    EXPECT_FALSE(geo::io::is_valid_utf8("\xC0\xAF"));         // overlong '/'
    EXPECT_FALSE(geo::io::is_valid_utf8("\xED\xA0\x80"));     // UTF-16 surrogate
    EXPECT_FALSE(geo::io::is_valid_utf8("\xE6\xBB"));         // truncated sequence
    EXPECT_FALSE(geo::io::is_valid_utf8("\xF4\x90\x80\x80")); // above U+10FFFF
}

TEST(ReadEncoding, EncodingNamesAreNormalised) {
    EXPECT_EQ(geo::io::normalize_encoding("latin1"), "ISO-8859-1");
    EXPECT_EQ(geo::io::normalize_encoding("Latin-1"), "ISO-8859-1");
    EXPECT_EQ(geo::io::normalize_encoding("utf8"), "UTF-8");
    EXPECT_EQ(geo::io::normalize_encoding("gbk"), "GBK");
}

// --- CRS ---------------------------------------------------------------------------

TEST(ReadCrs, LayerWithoutCrsIsAnErrorNamingTheFileAndCrsOption) {
    TempDir dir;
    const auto path = io_test::make_shapefile(dir, "noprj", io_test::latin1_names(), "ISO-8859-1");
    std::filesystem::remove(dir.file("noprj.prj"));
    try {
        (void)read_layer(path);
        FAIL() << "a CRS was guessed";
    } catch (const geo::CrsError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("noprj.shp"), std::string::npos) << what;
        EXPECT_NE(what.find("--crs"), std::string::npos) << what;
    }
    const auto info = geo::io::list_layers(path).front();
    EXPECT_FALSE(info.crs.has_value());
    EXPECT_FALSE(info.crs_problem.empty());
}

TEST(ReadCrs, CrsOverrideSuppliesAMissingCrsIncludingPseudoCrs) {
    TempDir dir;
    const auto path = io_test::make_shapefile(dir, "noprj", io_test::latin1_names(), "ISO-8859-1");
    std::filesystem::remove(dir.file("noprj.prj"));
    ReadOptions options;
    options.crs_override = "gcj02";
    const auto layer = read_layer(path, options);
    EXPECT_TRUE(layer.crs.is_pseudo());
    options.crs_override = "EPSG:4547";
    EXPECT_EQ(read_layer(path, options).crs.epsg(), 4547);
}

TEST(ReadCrs, PrjInEsriWktIsIdentifiedAsEpsg) {
    TempDir dir;
    const auto path = io_test::make_shapefile(dir, "cities", io_test::latin1_names(), "ISO-8859-1");
    EXPECT_EQ(read_layer(path).crs.epsg(), 4326);
}

TEST(ReadCrs, GeoJsonIsWgs84WithLongitudeFirst) {
    TempDir dir;
    const auto path = dir.file("a.geojson");
    io_test::write_text(path, io_test::geojson({"{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":"
                                                "\"Point\",\"coordinates\":[117.7,39.0]}}"}));
    const auto layer = read_layer(path);
    EXPECT_EQ(layer.crs.epsg(), 4326);
    EXPECT_EQ(layer.features.at(0).geometry.points().at(0), (geo::core::XY{117.7, 39.0}));
}

// --- layers, bad files ---------------------------------------------------------------

TEST(ReadFiles, SeveralLayersWithoutChoiceIsAnErrorListingThem) {
    TempDir dir;
    const auto path = dir.file("multi.gpkg");
    {
        GDALDatasetUniquePtr ds(io_test::driver("GPKG").Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        OGRSpatialReference wgs84;
        wgs84.importFromEPSG(4326);
        ds->CreateLayer("grids", &wgs84, wkbPolygon, nullptr);
        ds->CreateLayer("shelters", &wgs84, wkbPoint, nullptr);
    }
    try {
        (void)read_layer(path);
        FAIL();
    } catch (const geo::InputError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("grids"), std::string::npos) << what;
        EXPECT_NE(what.find("shelters"), std::string::npos) << what;
        EXPECT_NE(what.find("--layer"), std::string::npos) << what;
    }
    ReadOptions options;
    options.layer = "shelters";
    EXPECT_EQ(read_layer(path, options).name, "shelters");
    options.layer = "nope";
    EXPECT_THROW((void)read_layer(path, options), geo::InputError);
    EXPECT_EQ(geo::io::list_layers(path).size(), 2U);
}

TEST(ReadFiles, MissingFileIsAnIoError) {
    EXPECT_THROW((void)read_layer("/nonexistent/folder/roads.gpkg"), geo::IoError);
}

TEST(ReadFiles, EmptyFileIsAnIoErrorSayingEmpty) {
    TempDir dir;
    const auto path = dir.file("empty.geojson");
    io_test::write_text(path, "");
    try {
        (void)read_layer(path);
        FAIL();
    } catch (const geo::IoError& e) {
        EXPECT_NE(std::string(e.what()).find("empty"), std::string::npos) << e.what();
    }
}

TEST(ReadFiles, TruncatedGeoJsonIsAnIoError) {
    TempDir dir;
    const auto path = dir.file("cut.geojson");
    const std::string full = io_test::geojson({io_test::polygon_feature(1, "[[[0,0],[1,0],[1,1],[0,0]]]")});
    io_test::write_text(path, full.substr(0, full.size() / 2));
    EXPECT_THROW((void)read_layer(path), geo::IoError);
}

TEST(ReadFiles, TruncatedGeoPackageIsAnIoError) {
    TempDir dir;
    const auto path = dir.file("cut.gpkg");
    {
        GDALDatasetUniquePtr ds(io_test::driver("GPKG").Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        OGRSpatialReference wgs84;
        wgs84.importFromEPSG(4326);
        OGRLayer* layer = ds->CreateLayer("pts", &wgs84, wkbPoint, nullptr);
        for (int i = 0; i < 2000; ++i) {
            OGRFeature f(layer->GetLayerDefn());
            OGRPoint p(i, i);
            f.SetGeometry(&p);
            ASSERT_EQ(layer->CreateFeature(&f), OGRERR_NONE);
        }
    }
    const auto size = std::filesystem::file_size(path);
    std::filesystem::resize_file(path, size / 3);
    EXPECT_THROW((void)read_layer(path), geo::IoError);
}

TEST(ReadFiles, UnsupportedFormatIsAnIoError) {
    TempDir dir;
    const auto path = dir.file("photo.bin");
    // The length comes from the literal (a hand-counted 40 read past its end: found by ASan).
    constexpr char png_like[] = "\x89PNG\r\n\x1a\n garbage that no driver reads";
    io_test::write_text(path, std::string(png_like, sizeof png_like - 1));
    EXPECT_THROW((void)read_layer(path), geo::IoError);
}

// --- features -----------------------------------------------------------------------

TEST(ReadFeatures, AttributesKeepTheirTypesAndFidBecomesId) {
    TempDir dir;
    const auto path = dir.file("typed.geojson");
    io_test::write_text(
        path, io_test::geojson({R"({"type":"Feature","id":7,"properties":{"n":42,"x":2.5,"s":"a","b":true,"z":null},)"
                                R"("geometry":{"type":"Point","coordinates":[1,2]}})"}));
    const auto layer = read_layer(path);
    ASSERT_EQ(layer.features.size(), 1U);
    const auto& f = layer.features[0];
    EXPECT_EQ(f.id, 7);
    EXPECT_EQ(std::get<std::int64_t>(layer.attribute(f, "n")), 42);
    EXPECT_DOUBLE_EQ(std::get<double>(layer.attribute(f, "x")), 2.5);
    EXPECT_EQ(std::get<std::string>(layer.attribute(f, "s")), "a");
    EXPECT_EQ(std::get<bool>(layer.attribute(f, "b")), true);
    EXPECT_TRUE(geo::io::is_null(layer.attribute(f, "z")));
}

TEST(ReadFeatures, UnknownFieldErrorListsTheAvailableFields) {
    TempDir dir;
    const auto path = io_test::make_shapefile(dir, "cities", io_test::latin1_names(), "ISO-8859-1");
    const auto layer = read_layer(path);
    try {
        (void)layer.field_index("population");
        FAIL();
    } catch (const geo::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("name, rank"), std::string::npos) << e.what();
    }
}

TEST(ReadFeatures, UnclosedRingsAreClosedWhenRead) {
    TempDir dir;
    const auto path = dir.file("open.geojson");
    io_test::write_text(path, io_test::geojson({io_test::polygon_feature(1, "[[[0,0],[4,0],[4,3],[0,3]]]")}));
    const auto layer = read_layer(path);
    EXPECT_DOUBLE_EQ(layer.features.at(0).geometry.area(), 12.0);
}

TEST(ReadFeatures, MakeValidRepairsInvalidPolygons) {
    TempDir dir;
    const auto path = dir.file("bowtie.geojson");
    io_test::write_text(path, io_test::geojson({io_test::polygon_feature(1, "[[[0,0],[2,2],[2,0],[0,2],[0,0]]]")}));
    EXPECT_FALSE(read_layer(path).features.at(0).geometry.is_valid());
    ReadOptions options;
    options.make_valid = true;
    const auto repaired = read_layer(path, options);
    EXPECT_TRUE(repaired.features.at(0).geometry.is_valid());
    EXPECT_NEAR(repaired.features.at(0).geometry.area(), 2.0, 1e-12);
}

TEST(ReadFeatures, CurvesAreLinearisedAndZIsDropped) {
    TempDir dir;
    const auto path = dir.file("curve.gpkg");
    {
        GDALDatasetUniquePtr ds(io_test::driver("GPKG").Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        OGRSpatialReference srs;
        srs.importFromEPSG(4547);
        OGRLayer* layer = ds->CreateLayer("c", &srs, wkbUnknown, nullptr);
        OGRGeometry* g = nullptr;
        OGRGeometryFactory::createFromWkt("CURVEPOLYGON Z (CIRCULARSTRING Z (0 0 5, 2 0 5, 0 0 5))", nullptr, &g);
        OGRFeature f(layer->GetLayerDefn());
        f.SetGeometryDirectly(g);
        ASSERT_EQ(layer->CreateFeature(&f), OGRERR_NONE);
    }
    const auto layer = read_layer(path);
    EXPECT_EQ(layer.crs.epsg(), 4547);
    EXPECT_NEAR(layer.features.at(0).geometry.area(), 3.14159, 0.01);
}

TEST(ReadFeatures, LayerListingGivesASampleWithBadBytesReplaced) {
    TempDir dir;
    const auto path = io_test::make_shapefile(dir, "cities", io_test::latin1_names(), "");
    const auto info = geo::io::list_layers(path, {}, 2).front();
    ASSERT_EQ(info.sample.size(), 2U);
    EXPECT_EQ(std::get<std::string>(info.sample[0].attributes[0]), "Z\xEF\xBF\xBDrich");
    EXPECT_EQ(info.feature_count, 3);
    EXPECT_EQ(info.geometry_type, "Point");
    EXPECT_DOUBLE_EQ(info.extent.max_y, 50.0);
}

TEST(ReadFeatures, ProgressIsReportedUpToCompletion) {
    TempDir dir;
    const auto path = io_test::make_shapefile(dir, "cities", io_test::latin1_names(), "ISO-8859-1");
    ReadOptions options;
    double last = 0;
    options.progress = [&](double fraction, std::string_view) { last = fraction; };
    (void)read_layer(path, options);
    EXPECT_DOUBLE_EQ(last, 1.0);
}

TEST(ReadFiles, CsvLonLatColumnsBecomePointsThatNeedACrs) {
    TempDir dir;
    const auto path = dir.file("incidents.csv");
    io_test::write_text(path, "id,category,lon,lat\n1,noise,117.70,39.03\n2,litter,117.21,39.12\n");
    EXPECT_THROW((void)read_layer(path), geo::CrsError);
    ReadOptions options;
    options.crs_override = "gcj02";
    const auto layer = read_layer(path, options);
    ASSERT_EQ(layer.features.size(), 2U);
    EXPECT_EQ(layer.features[1].geometry.points().at(0), (geo::core::XY{117.21, 39.12}));
    EXPECT_EQ(geo::io::to_int64(layer.attribute(layer.features[0], "id")), 1);
    EXPECT_EQ(std::get<std::string>(layer.attribute(layer.features[0], "category")), "noise");
}

TEST(ReadFiles, AttributeOnlyTableNeedsNoCrs) {
    TempDir dir;
    const auto path = dir.file("streets.csv");
    io_test::write_text(path, "code,name\n012011600,Tanggu\n");
    const auto layer = read_layer(path);
    ASSERT_EQ(layer.features.size(), 1U);
    EXPECT_EQ(std::get<std::string>(layer.attribute(layer.features[0], "code")), "012011600");
    EXPECT_TRUE(layer.features[0].geometry.is_null());
}

TEST(ReadFiles, TruncatedShapefileIsAnIoError) {
    TempDir dir;
    const auto path = io_test::make_shapefile(dir, "cities", io_test::latin1_names(), "ISO-8859-1");
    // 100-byte header, then 28-byte point records: cut the second record short.
    std::filesystem::resize_file(path, 100 + 28 + 10);
    EXPECT_THROW((void)read_layer(path), geo::IoError);
    EXPECT_THROW((void)geo::io::validate_layer(path), geo::IoError);
}
