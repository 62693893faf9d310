#pragma once
// Test data for geo::io, made on the fly with GDAL in a fresh temporary
// folder per test: Shapefiles whose DBF holds raw Latin-1 or GBK bytes (the
// files real users send), GeoJSON text written verbatim (unclosed rings,
// missing CRS), empty and truncated files.

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace io_test {

namespace fs = std::filesystem;

/// A temporary folder removed at the end of the test.
class TempDir {
  public:
    TempDir() {
        std::random_device seed;
        m_path = fs::temp_directory_path() / ("geo_io_test_" + std::to_string(seed()));
        fs::create_directories(m_path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    TempDir(TempDir&&) = delete;
    TempDir& operator=(TempDir&&) = delete;

    [[nodiscard]] std::string file(const std::string& name) const { return (m_path / name).string(); }

  private:
    fs::path m_path;
};

inline void write_text(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

inline std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// A GDAL driver by name, registering the drivers first (ctest runs each test
/// in its own process, so no earlier test has done it).
inline GDALDriver& driver(const char* name) {
    GDALAllRegister();
    GDALDriver* found = GetGDALDriverManager()->GetDriverByName(name);
    if (found == nullptr) {
        throw std::runtime_error(std::string("GDAL has no driver ") + name);
    }
    return *found;
}

/// Latin-1 bytes of "Zürich", "São Paulo", "Besançon" (not UTF-8).
inline std::vector<std::string> latin1_names() {
    return {"Z\xFCrich", "S\xE3o Paulo", "Besan\xE7on"};
}

/// GBK bytes of 滨海新区 and 和平区.
inline std::vector<std::string> gbk_names() {
    return {"\xB1\xF5\xBA\xA3\xD0\xC2\xC7\xF8", "\xBA\xCD\xC6\xBD\xC7\xF8"};
}

/// A point Shapefile (WGS 84 .prj) whose 'name' field holds `names` as raw
/// bytes: GDAL is told not to recode (ENCODING=""), then the .cpg is written
/// with `cpg` (or removed when empty) and the DBF language driver byte set to
/// `ldid` (0 = none).
inline std::string make_shapefile(const TempDir& dir, const std::string& stem, const std::vector<std::string>& names,
                                  const std::string& cpg, unsigned char ldid = 0) {
    GDALAllRegister();
    const std::string path = dir.file(stem + ".shp");
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("ESRI Shapefile");
    GDALDatasetUniquePtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    EXPECT_TRUE(ds);
    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    const char* const options[] = {"ENCODING=", nullptr};
    OGRLayer* layer = ds->CreateLayer(stem.c_str(), &wgs84, wkbPoint, const_cast<char**>(options));
    OGRFieldDefn name("name", OFTString);
    layer->CreateField(&name);
    OGRFieldDefn rank("rank", OFTInteger);
    layer->CreateField(&rank);
    int i = 0;
    for (const auto& text : names) {
        OGRFeature feature(layer->GetLayerDefn());
        feature.SetField("name", text.c_str());
        feature.SetField("rank", ++i);
        OGRPoint point(8.0 + i, 47.0 + i);
        feature.SetGeometry(&point);
        EXPECT_EQ(layer->CreateFeature(&feature), OGRERR_NONE);
    }
    ds.reset();
    const std::string cpg_path = dir.file(stem + ".cpg");
    if (cpg.empty()) {
        fs::remove(cpg_path);
    } else {
        write_text(cpg_path, cpg);
    }
    std::fstream dbf(dir.file(stem + ".dbf"), std::ios::in | std::ios::out | std::ios::binary);
    dbf.seekp(29);
    dbf.put(static_cast<char>(ldid));
    return path;
}

/// A GeoJSON FeatureCollection from feature texts; `crs_member` is inserted verbatim.
inline std::string geojson(const std::vector<std::string>& features, const std::string& crs_member = "") {
    std::string text = "{\"type\":\"FeatureCollection\",";
    if (!crs_member.empty()) {
        text += crs_member + ",";
    }
    text += "\"features\":[";
    for (std::size_t i = 0; i < features.size(); ++i) {
        text += (i ? "," : "") + features[i];
    }
    return text + "]}";
}

inline std::string polygon_feature(int id, const std::string& rings_json, const std::string& extra = "") {
    return "{\"type\":\"Feature\",\"properties\":{\"code\":" + std::to_string(id) + extra +
           "},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":" + rings_json + "}}";
}

} // namespace io_test
