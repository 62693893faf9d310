#include "io_test_support.hpp"

#include "geo/core/error.hpp"
#include "geo/crs/crs.hpp"
#include "geo/io/reader.hpp"
#include "geo/io/writer.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using geo::core::Geometry;
using geo::io::FieldType;
using geo::io::Layer;
using geo::io::WriteMode;
using geo::io::WriteOptions;
using io_test::TempDir;

namespace {

Layer sample_layer() {
    Layer layer;
    layer.name = "grids";
    layer.crs = geo::crs::Crs::wgs84();
    layer.fields = {{"code", FieldType::string},
                    {"households", FieldType::int64},
                    {"share", FieldType::real},
                    {"active", FieldType::boolean},
                    {"reported_at", FieldType::datetime}};
    geo::io::Feature a;
    a.id = 1;
    a.geometry = Geometry::from_wkt("POLYGON ((117 39, 117.01 39, 117.01 39.01, 117 39.01, 117 39))");
    a.attributes = {std::string("120116001001001"), std::int64_t{412}, 0.25, true, std::string("2024-05-01T08:30:00")};
    geo::io::Feature b;
    b.id = 2;
    b.geometry = Geometry::from_wkt("MULTIPOLYGON (((117.02 39, 117.03 39, 117.03 39.01, 117.02 39)))");
    b.attributes = {std::string("滨海新区-002"), std::int64_t{9000000000}, -1.5, false, std::monostate{}};
    layer.features = {std::move(a), std::move(b)};
    return layer;
}

void expect_same_content(const Layer& written, const Layer& read, bool strict_types = true) {
    ASSERT_EQ(read.features.size(), written.features.size());
    for (const auto& field : written.fields) {
        const auto index = read.find_field(field.name);
        ASSERT_TRUE(index.has_value()) << field.name;
        if (strict_types) {
            EXPECT_EQ(read.fields[*index].type, field.type) << field.name;
        }
    }
    for (std::size_t i = 0; i < written.features.size(); ++i) {
        const auto& w = written.features[i];
        // Match by code: FlatGeobuf stores features in the order of its spatial index.
        const auto code = written.attribute(w, "code");
        const auto match = std::find_if(read.features.begin(), read.features.end(),
                                        [&](const auto& f) { return read.attribute(f, "code") == code; });
        ASSERT_NE(match, read.features.end()) << geo::io::to_string(code);
        const auto& r = *match;
        for (const auto& field : written.fields) {
            const auto& got = read.attribute(r, field.name);
            const auto& want = written.attribute(w, field.name);
            if (!strict_types && geo::io::to_double(got) && geo::io::to_double(want)) {
                EXPECT_DOUBLE_EQ(*geo::io::to_double(got), *geo::io::to_double(want)) << field.name;
            } else {
                EXPECT_EQ(geo::io::to_string(got), geo::io::to_string(want)) << field.name;
            }
        }
        EXPECT_TRUE(r.geometry.equals(w.geometry)) << r.geometry.to_wkt();
    }
}

} // namespace

TEST(WriteLayer, GeoPackageRoundTripKeepsAttributesTypesAndIds) {
    TempDir dir;
    const auto layer = sample_layer();
    const auto path = dir.file("out.gpkg");
    const auto result = geo::io::write_layer(path, layer);
    EXPECT_EQ(result.driver, "GPKG");
    EXPECT_EQ(result.features_written, 2);
    const auto back = geo::io::read_layer(path);
    EXPECT_EQ(back.name, "grids");
    EXPECT_EQ(back.crs.epsg(), 4326);
    expect_same_content(layer, back);
    EXPECT_EQ(back.features[1].id, 2);
}

TEST(WriteLayer, GeoJsonRoundTripKeepsAttributesAndTypes) {
    TempDir dir;
    const auto layer = sample_layer();
    const auto path = dir.file("out.geojson");
    geo::io::write_layer(path, layer);
    expect_same_content(layer, geo::io::read_layer(path));
}

TEST(WriteLayer, FlatGeobufRoundTripKeepsAttributesAndTypes) {
    TempDir dir;
    const auto layer = sample_layer();
    const auto path = dir.file("out.fgb");
    EXPECT_EQ(geo::io::write_layer(path, layer).driver, "FlatGeobuf");
    expect_same_content(layer, geo::io::read_layer(path));
}

// DBF has no boolean type GDAL reads back as such: booleans return as 0/1 integers.
TEST(WriteLayer, ShapefileIsWrittenAsUtf8WithCpg) {
    TempDir dir;
    auto layer = sample_layer();
    layer.fields.pop_back(); // DBF has no datetime with a time part
    for (auto& f : layer.features) {
        f.attributes.pop_back();
    }
    const auto path = dir.file("grids.shp");
    geo::io::write_layer(path, layer);
    EXPECT_EQ(io_test::read_text(dir.file("grids.cpg")), "UTF-8");
    const auto back = geo::io::read_layer(path);
    EXPECT_EQ(std::get<std::string>(back.attribute(back.features[1], "code")), "滨海新区-002");
    expect_same_content(layer, back, false);
}

TEST(WriteLayer, GeoPackageKeepsOtherLayersAndOverwriteReplacesOne) {
    TempDir dir;
    const auto path = dir.file("scenario.gpkg");
    auto layer = sample_layer();
    geo::io::write_layer(path, layer);
    WriteOptions options;
    options.layer = "facilities";
    geo::io::write_layer(path, layer, options);
    EXPECT_EQ(geo::io::list_layers(path).size(), 2U);

    // Writing an existing layer without overwrite is refused...
    EXPECT_THROW(geo::io::write_layer(path, layer, options), geo::InputError);
    // ...overwrite replaces only that layer, append adds to it.
    layer.features.pop_back();
    options.mode = WriteMode::overwrite;
    geo::io::write_layer(path, layer, options);
    options.mode = WriteMode::append;
    geo::io::write_layer(path, layer, options);
    geo::io::ReadOptions read;
    read.layer = "facilities";
    EXPECT_EQ(geo::io::read_layer(path, read).features.size(), 2U);
    read.layer = "grids";
    EXPECT_EQ(geo::io::read_layer(path, read).features.size(), 2U);
}

TEST(WriteLayer, ExistingSingleLayerFileNeedsOverwrite) {
    TempDir dir;
    const auto path = dir.file("out.geojson");
    geo::io::write_layer(path, sample_layer());
    EXPECT_THROW(geo::io::write_layer(path, sample_layer()), geo::InputError);
    WriteOptions options;
    options.mode = WriteMode::overwrite;
    EXPECT_NO_THROW(geo::io::write_layer(path, sample_layer(), options));
}

TEST(WriteLayer, UnsupportedExtensionIsAnInputError) {
    TempDir dir;
    EXPECT_THROW(geo::io::write_layer(dir.file("out.xlsx"), sample_layer()), geo::InputError);
}

TEST(WriteLayer, MissingFolderIsAnIoErrorWithTheFileName) {
    try {
        geo::io::write_layer("/nonexistent/folder/out.gpkg", sample_layer());
        FAIL();
    } catch (const geo::IoError& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/folder/out.gpkg"), std::string::npos);
    }
}

TEST(WriteLayer, TargetCrsTransformsOnTheWayOut) {
    TempDir dir;
    const auto path = dir.file("metric.gpkg");
    WriteOptions options;
    options.crs = geo::crs::Crs::parse("EPSG:4548");
    geo::io::write_layer(path, sample_layer(), options);
    const auto back = geo::io::read_layer(path);
    EXPECT_EQ(back.crs.epsg(), 4548);
    const auto box = back.features[0].geometry.bounds();
    EXPECT_GT(box.min_x, 400000.0); // CGCS2000 GK CM 117E: false easting 500 km
    EXPECT_NEAR(box.width(), 865.0, 10.0);
}

TEST(WriteLayer, PseudoCrsIsTaggedAsWgs84WithAWarning) {
    TempDir dir;
    auto layer = sample_layer();
    layer.crs = geo::crs::Crs::gcj02();
    const auto path = dir.file("gcj.geojson");
    const auto result = geo::io::write_layer(path, layer);
    ASSERT_FALSE(result.warnings.empty());
    EXPECT_NE(result.warnings.front().find("gcj02"), std::string::npos) << result.warnings.front();
    EXPECT_EQ(geo::io::read_layer(path).crs.epsg(), 4326);
}

TEST(WriteLayer, TransformLayerMovesGeometriesAndRetagsTheLayer) {
    auto layer = sample_layer();
    const auto before = layer.features[0].geometry.bounds();
    geo::io::transform_layer(layer, geo::crs::Crs::gcj02());
    EXPECT_TRUE(layer.crs.is_pseudo());
    const auto after = layer.features[0].geometry.bounds();
    // GCJ-02 shifts Tianjin by a few hundred metres (a few thousandths of a degree).
    EXPECT_GT(std::abs(after.min_x - before.min_x), 1e-4);
    EXPECT_LT(std::abs(after.min_x - before.min_x), 1e-2);
}
