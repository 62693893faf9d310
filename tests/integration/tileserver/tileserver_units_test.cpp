// Unit rules of the tileserver's building blocks that need no socket: the tile cache (byte
// budget, LRU order, exact invalidation, generations), gzip, header helpers, config parsing.

#include "config.hpp"
#include "gzip.hpp"
#include "http_util.hpp"
#include "tile_cache.hpp"

#include "geo/core/error.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>

namespace ts = tileserver;

namespace {

std::shared_ptr<const ts::EncodedTile> tile_of(std::size_t bytes) {
    auto t = std::make_shared<ts::EncodedTile>();
    t->raw.assign(bytes, 'x');
    t->etag = "\"0\"";
    return t;
}

ts::TileKey key(std::vector<std::string> layers, int z, std::uint32_t x, std::uint32_t y, std::string scenario = "s") {
    return ts::TileKey{std::move(scenario), std::move(layers), "", ts::TileId{z, x, y}};
}

} // namespace

TEST(TileCache, StaysWithinItsByteBudgetEvictingLeastRecentlyUsed) {
    ts::TileCache cache(3 * (1000 + 128 + 3));
    const auto g = cache.generation();
    cache.put(key({"grids"}, 10, 1, 1), tile_of(1000), g);
    cache.put(key({"grids"}, 10, 1, 2), tile_of(1000), g);
    cache.put(key({"grids"}, 10, 1, 3), tile_of(1000), g);
    ASSERT_NE(cache.get(key({"grids"}, 10, 1, 1)), nullptr); // now most recently used
    cache.put(key({"grids"}, 10, 1, 4), tile_of(1000), g);
    EXPECT_EQ(cache.entries(), 3U);
    EXPECT_LE(cache.bytes(), 3U * (1000 + 128 + 3));
    EXPECT_NE(cache.get(key({"grids"}, 10, 1, 1)), nullptr);
    EXPECT_EQ(cache.get(key({"grids"}, 10, 1, 2)), nullptr); // the least recently used went
}

TEST(TileCache, ZeroBudgetCachesNothing) {
    ts::TileCache cache(0);
    cache.put(key({"grids"}, 1, 0, 0), tile_of(10), cache.generation());
    EXPECT_EQ(cache.entries(), 0U);
}

TEST(TileCache, InvalidationEvictsOnlyTilesOfThatLayerAtThatAddress) {
    ts::TileCache cache(1 << 20);
    const auto g = cache.generation();
    cache.put(key({"incidents"}, 12, 5, 5), tile_of(10), g);
    cache.put(key({"grids", "incidents"}, 12, 5, 5), tile_of(10), g);
    cache.put(key({"grids"}, 12, 5, 5), tile_of(10), g);
    cache.put(key({"incidents"}, 12, 5, 6), tile_of(10), g);
    cache.put(key({"incidents"}, 12, 5, 5, "other"), tile_of(10), g);
    EXPECT_EQ(cache.invalidate("s", "incidents", ts::TileId{12, 5, 5}), 2U);
    EXPECT_EQ(cache.get(key({"incidents"}, 12, 5, 5)), nullptr);
    EXPECT_EQ(cache.get(key({"grids", "incidents"}, 12, 5, 5)), nullptr);
    EXPECT_NE(cache.get(key({"grids"}, 12, 5, 5)), nullptr);
    EXPECT_NE(cache.get(key({"incidents"}, 12, 5, 6)), nullptr);
    EXPECT_NE(cache.get(key({"incidents"}, 12, 5, 5, "other")), nullptr);
}

TEST(TileCache, RangeInvalidationGivesTheSameResultWhetherItWalksTheRangeOrTheCache) {
    for (const std::uint32_t span : {1U, 200U}) { // small range: walk addresses; huge range: walk entries
        ts::TileCache cache(1 << 20);
        const auto g = cache.generation();
        cache.put(key({"grids"}, 8, 10, 10), tile_of(10), g);
        cache.put(key({"grids"}, 8, 11, 10), tile_of(10), g);
        cache.put(key({"grids"}, 9, 10, 10), tile_of(10), g);
        cache.put(key({"grids"}, 8, 12, 12), tile_of(10), g);
        const ts::TileRange range{10, 10, 10 + span, 10};
        EXPECT_EQ(cache.invalidate_range("s", "grids", 8, range), 2U) << span;
        EXPECT_NE(cache.get(key({"grids"}, 9, 10, 10)), nullptr);
        EXPECT_NE(cache.get(key({"grids"}, 8, 12, 12)), nullptr);
    }
}

TEST(TileCache, ATileEncodedBeforeAnInvalidationIsNotCached) {
    ts::TileCache cache(1 << 20);
    const auto g = cache.generation();
    cache.invalidate("s", "incidents", ts::TileId{3, 1, 1});
    cache.put(key({"incidents"}, 3, 1, 1), tile_of(10), g);
    EXPECT_EQ(cache.get(key({"incidents"}, 3, 1, 1)), nullptr);
}

TEST(TileMath, TilesCoveringClampToTheWorld) {
    const auto r = ts::tiles_covering({-1e9, -1e9, 1e9, 1e9}, 2);
    EXPECT_EQ(r.min_x, 0U);
    EXPECT_EQ(r.max_x, 3U);
    EXPECT_EQ(r.min_y, 0U);
    EXPECT_EQ(r.max_y, 3U);
    EXPECT_FALSE(ts::valid_tile(3, 8, 0));
    EXPECT_FALSE(ts::valid_tile(-1, 0, 0));
    EXPECT_TRUE(ts::valid_tile(3, 7, 7));
}

TEST(Gzip, RoundTripsAndHonoursQZero) {
    const std::string data(10000, 'a');
    const auto gz = ts::gzip_compress(data);
    EXPECT_LT(gz.size(), data.size() / 10);
    EXPECT_EQ(static_cast<unsigned char>(gz[0]), 0x1fU); // gzip magic, not a raw zlib stream
    EXPECT_EQ(ts::gzip_decompress(gz), data);
    EXPECT_TRUE(ts::accepts_gzip("gzip, deflate, br"));
    EXPECT_TRUE(ts::accepts_gzip("br;q=1.0, GZIP;q=0.5"));
    EXPECT_TRUE(ts::accepts_gzip("*"));
    EXPECT_FALSE(ts::accepts_gzip("gzip;q=0"));
    EXPECT_FALSE(ts::accepts_gzip("identity"));
    EXPECT_FALSE(ts::accepts_gzip(""));
}

TEST(HttpUtil, BearerTokenTakesOnlyTheBearerSchemeWithAToken) {
    EXPECT_EQ(tileserver::bearer_token("Bearer s3cret"), std::optional<std::string_view>("s3cret"));
    EXPECT_FALSE(tileserver::bearer_token("Bearer "));
    EXPECT_FALSE(tileserver::bearer_token("Basic dXNlcjpwYXNz"));
    EXPECT_FALSE(tileserver::bearer_token("bearer s3cret"));
    EXPECT_FALSE(tileserver::bearer_token(""));
}

TEST(HttpUtil, ConstantTimeEqualComparesWholeStrings) {
    EXPECT_TRUE(ts::constant_time_equal("secret", "secret"));
    EXPECT_FALSE(ts::constant_time_equal("secret", "secreT"));
    EXPECT_FALSE(ts::constant_time_equal("secret", "secret2"));
    EXPECT_FALSE(ts::constant_time_equal("", "x"));
    EXPECT_TRUE(ts::constant_time_equal("", ""));
}

TEST(HttpUtil, UrlDecodeRejectsMalformedEscapesAndNul) {
    EXPECT_EQ(ts::url_decode("a%20b", false), "a b");
    EXPECT_EQ(ts::url_decode("a+b", true), "a b");
    EXPECT_EQ(ts::url_decode("a+b", false), "a+b");
    EXPECT_EQ(ts::url_decode("%2e%2E", false), "..");
    EXPECT_FALSE(ts::url_decode("%", false));
    EXPECT_FALSE(ts::url_decode("%4", false));
    EXPECT_FALSE(ts::url_decode("%zz", false));
    EXPECT_FALSE(ts::url_decode("%00", false));
}

TEST(HttpUtil, UrlEncodeKeepsOnlyUnreservedCharactersAndRoundTrips) {
    EXPECT_EQ(ts::url_encode("aZ09-._~"), "aZ09-._~");
    EXPECT_EQ(ts::url_encode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
    const std::string token = "s3cr+t/=&?#%";
    EXPECT_EQ(ts::url_decode(ts::url_encode(token), true), token);
}

TEST(Config, ScenarioArgumentsNameScenarios) {
    EXPECT_EQ(ts::parse_scenario_argument("/data/Binhai-New_Area.gpkg").name, "binhai-new_area");
    const auto named = ts::parse_scenario_argument("monaco=/data/x=y.gpkg");
    EXPECT_EQ(named.name, "monaco");
    EXPECT_EQ(named.path, "/data/x=y.gpkg");
    EXPECT_THROW((void)ts::parse_scenario_argument("/data/(!).gpkg"), geo::InputError);
}

TEST(Config, FileKeysAreReadAndWrongTypesNamed) {
    const auto dir = std::filesystem::temp_directory_path() / "tileserver_config_test";
    std::filesystem::create_directories(dir);
    const auto file = (dir / "c.json").string();
    std::ofstream(file)
        << R"({"port": 9000, "token": "t", "read_token": "r", "limits": {"max_body_bytes": 10, "header_timeout_s": 0.5},
        "scenarios": ["a.gpkg", {"name": "b", "path": "b.gpkg", "label": "B", "synthetic": true}]})";
    ts::ServerConfig config;
    ts::load_config_file(file, config);
    EXPECT_EQ(config.port, 9000);
    EXPECT_EQ(config.token, "t");
    EXPECT_EQ(config.read_token, "r");
    EXPECT_EQ(config.limits.max_body_bytes, 10U);
    EXPECT_EQ(config.limits.header_timeout.count(), 500);
    ASSERT_EQ(config.scenarios.size(), 2U);
    EXPECT_EQ(config.scenarios[1].label, "B");
    EXPECT_TRUE(config.scenarios[1].synthetic);
    std::ofstream(file) << R"({"cache_mb": "lots"})";
    try {
        ts::load_config_file(file, config);
        FAIL() << "expected InputError";
    } catch (const geo::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("cache_mb"), std::string::npos);
    }
    std::ofstream(file) << "{";
    EXPECT_THROW(ts::load_config_file(file, config), geo::InputError);
    std::filesystem::remove_all(dir);
}
