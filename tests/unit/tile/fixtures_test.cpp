// Our decoder against @mapbox/mvt-fixtures, the fixtures shared by MVT
// implementations: valid tiles decode to exactly the content of tile.json,
// invalid ones are rejected with FormatError.
#include "geo/tile/decoder.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <set>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>

using namespace geo::tile;
namespace fs = std::filesystem;

namespace {

const fs::path fixtures_dir = fs::path(GEO_SOURCE_DIR) / "node_modules/@mapbox/mvt-fixtures/fixtures";

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The fixture's expected Value (one field set) against our decoded Value.
void expect_value(const nlohmann::json& expected, const Value& actual, const std::string& where) {
    ASSERT_EQ(expected.size(), 1U) << where;
    const auto it = expected.begin();
    const std::string field = it.key();
    const nlohmann::json& v = it.value();
    if (field == "string_value") {
        // 076 writes a string field as a JSON number; the tile holds its text.
        EXPECT_EQ(actual.as_string(), v.is_string() ? v.get<std::string>() : v.dump()) << where;
    } else if (field == "float_value") {
        EXPECT_EQ(actual.as_float(), static_cast<float>(v.get<double>())) << where;
    } else if (field == "double_value") {
        EXPECT_EQ(actual.as_double(), v.get<double>()) << where;
    } else if (field == "int_value") {
        EXPECT_EQ(actual.type(), ValueType::int64) << where;
        EXPECT_EQ(actual.as_int(), v.get<std::int64_t>()) << where;
    } else if (field == "uint_value") {
        EXPECT_EQ(actual.as_uint(), v.get<std::uint64_t>()) << where;
    } else if (field == "sint_value") {
        EXPECT_EQ(actual.type(), ValueType::sint64) << where;
        EXPECT_EQ(actual.as_int(), v.get<std::int64_t>()) << where;
    } else if (field == "bool_value") {
        EXPECT_EQ(actual.as_bool(), v.get<bool>()) << where;
    } else {
        ADD_FAILURE() << where << ": unexpected value field " << field;
    }
}

void expect_matches(const nlohmann::json& expected, const DecodedTile& tile, const std::string& name) {
    const auto layers = expected.value("layers", nlohmann::json::array());
    ASSERT_EQ(tile.layers.size(), layers.size()) << name;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const auto& el = layers[i];
        const DecodedLayer& l = tile.layers[i];
        const std::string where = name + " layer " + l.name;
        EXPECT_EQ(l.name, el.at("name").get<std::string>()) << where;
        EXPECT_EQ(l.version, el.at("version").get<std::uint32_t>()) << where;
        EXPECT_EQ(l.extent, el.value("extent", 4096U)) << where;
        EXPECT_EQ(l.keys, el.value("keys", std::vector<std::string>{})) << where;
        const auto values = el.value("values", nlohmann::json::array());
        ASSERT_EQ(l.values.size(), values.size()) << where;
        for (std::size_t v = 0; v < values.size(); ++v) {
            expect_value(values[v], l.values[v], where + " value " + std::to_string(v));
        }
        const auto features = el.value("features", nlohmann::json::array());
        ASSERT_EQ(l.features.size(), features.size()) << where;
        for (std::size_t f = 0; f < features.size(); ++f) {
            const auto& ef = features[f];
            const DecodedFeature& df = l.features[f];
            if (ef.contains("id")) {
                EXPECT_EQ(df.id, ef["id"].get<std::uint64_t>()) << where;
            } else {
                EXPECT_FALSE(df.id.has_value()) << where;
            }
            EXPECT_EQ(df.tags, ef.value("tags", std::vector<std::uint32_t>{})) << where;
            EXPECT_EQ(static_cast<int>(df.type), ef.value("type", 0)) << where;
            EXPECT_EQ(df.commands, ef.value("geometry", std::vector<std::uint32_t>{})) << where;
            EXPECT_EQ(df.properties.size(), df.tags.size() / 2) << where;
        }
    }
}

} // namespace

TEST(TileFixtures, ValidFixturesDecodeToTheirContentAndInvalidOnesAreRejected) {
    if (!fs::is_directory(fixtures_dir)) {
        GTEST_SKIP() << "node_modules/@mapbox/mvt-fixtures is missing (run `npm ci`)";
    }
    // 057 is marked valid, yet its single MoveTo announces 536,870,911 points
    // followed by one coordinate pair; spec 4.3.2 requires count * 2
    // parameters, so a strict decoder rejects it (without allocating).
    const std::set<std::string> strict_rejects{"057"};
    std::size_t valid = 0;
    std::size_t invalid = 0;
    std::vector<fs::path> dirs;
    for (const auto& entry : fs::directory_iterator(fixtures_dir)) {
        dirs.push_back(entry.path());
    }
    std::sort(dirs.begin(), dirs.end());
    for (const fs::path& dir : dirs) {
        const std::string name = dir.filename().string();
        const auto info = nlohmann::json::parse(read_file(dir / "info.json"));
        const bool is_valid = info.at("validity").at("v2").get<bool>();
        const std::string bytes = read_file(dir / "tile.mvt");
        if (!is_valid || strict_rejects.contains(name)) {
            EXPECT_THROW((void)decode_tile(bytes), FormatError)
                << "fixture " << name << " should be rejected: " << info.value("description", "");
            ++invalid;
            continue;
        }
        try {
            const DecodedTile tile = decode_tile(bytes);
            expect_matches(nlohmann::json::parse(read_file(dir / "tile.json")), tile, "fixture " + name);
        } catch (const FormatError& e) {
            ADD_FAILURE() << "fixture " << name << " is valid but was rejected: " << e.what();
        } catch (const nlohmann::json::exception& e) {
            ADD_FAILURE() << "fixture " << name << ": tile.json not understood: " << e.what();
        }
        ++valid;
    }
    EXPECT_GT(valid, 40U);
    EXPECT_GT(invalid, 25U);
}

TEST(TileFixtures, ErrorsNameWhatIsWrong) {
    const auto path = fixtures_dir / "047" / "tile.mvt"; // ClosePath count 2
    if (!fs::exists(path)) {
        GTEST_SKIP() << "node_modules/@mapbox/mvt-fixtures is missing (run `npm ci`)";
    }
    try {
        (void)decode_tile(read_file(path));
        FAIL() << "fixture 047 was accepted";
    } catch (const FormatError& e) {
        EXPECT_NE(std::string(e.what()).find("ClosePath"), std::string::npos) << e.what();
        EXPECT_EQ(e.context().layer, "hello");
    }
}

TEST(TileDecoder, TruncatedAndGarbageInputIsRejectedWithoutCrashing) {
    EXPECT_NO_THROW((void)decode_tile(""));
    EXPECT_THROW((void)decode_tile(std::string("\x1a\x05\x0a\x01", 4)), FormatError); // truncated layer
    EXPECT_THROW((void)decode_tile(std::string("\x1a\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 11)), FormatError);
    // Every prefix of a valid tile either decodes or fails with FormatError.
    const auto path = fixtures_dir / "022" / "tile.mvt";
    if (fs::exists(path)) {
        const std::string bytes = read_file(path);
        for (std::size_t n = 0; n < bytes.size(); ++n) {
            try {
                (void)decode_tile(std::string_view(bytes).substr(0, n));
            } catch (const FormatError&) {
            }
        }
    }
}

TEST(TileDecoder, RandomlyCorruptedTilesDecodeOrFailWithFormatError) {
    // A seeded mutation run over every fixture tile: flipped bytes,
    // truncations and inserted bytes must give a tile or a FormatError,
    // never another exception or a crash (ASan builds check memory too).
    if (!fs::is_directory(fixtures_dir)) {
        GTEST_SKIP() << "node_modules/@mapbox/mvt-fixtures is missing (run `npm ci`)";
    }
    std::mt19937 rng(99);
    std::size_t decoded = 0;
    std::size_t rejected = 0;
    for (const auto& entry : fs::directory_iterator(fixtures_dir)) {
        const std::string original = read_file(entry.path() / "tile.mvt");
        if (original.empty()) {
            continue;
        }
        for (int round = 0; round < 60; ++round) {
            std::string bytes = original;
            std::uniform_int_distribution<std::size_t> pos(0, bytes.size() - 1);
            switch (round % 3) {
            case 0: bytes[pos(rng)] = static_cast<char>(rng()); break;
            case 1: bytes.resize(pos(rng)); break;
            default: bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(pos(rng)), static_cast<char>(rng()));
            }
            try {
                (void)decode_tile(bytes);
                ++decoded;
            } catch (const FormatError&) {
                ++rejected;
            }
        }
    }
    EXPECT_GT(rejected, 1000U);
    EXPECT_GT(decoded, 100U);
}
