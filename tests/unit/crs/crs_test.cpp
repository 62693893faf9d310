// Crs: parsing what users type and what datasets carry.

#include "geo/core/error.hpp"
#include "geo/crs/crs.hpp"

#include <gtest/gtest.h>

#include <string>

using geo::CrsError;
using geo::crs::Crs;
using geo::crs::Pseudo;

namespace {

// The message of the CrsError parse() throws for `text` (empty if none).
std::string parse_error(const std::string& text) {
    try {
        (void)Crs::parse(text);
    } catch (const CrsError& e) {
        return e.what();
    }
    return {};
}

} // namespace

TEST(Crs, ParseAcceptsEpsgCodesCaseInsensitively) {
    const Crs crs = Crs::parse("epsg:4547");
    EXPECT_EQ(crs.epsg(), 4547);
    EXPECT_EQ(crs.name(), "CGCS2000 / 3-degree Gauss-Kruger CM 114E");
    EXPECT_EQ(crs.user_text(), "epsg:4547");
    EXPECT_EQ(crs.definition(), "EPSG:4547");
    EXPECT_FALSE(crs.is_geographic());
    EXPECT_FALSE(crs.is_pseudo());
    EXPECT_EQ(Crs::parse("  EPSG:4326 ").epsg(), 4326);
}

TEST(Crs, ParseAcceptsBareEpsgNumbersAndAliases) {
    EXPECT_EQ(Crs::parse("4548").epsg(), 4548);
    EXPECT_EQ(Crs::parse("WGS84").epsg(), 4326);
    EXPECT_EQ(Crs::parse("cgcs2000").epsg(), 4490);
    EXPECT_TRUE(Crs::parse("cgcs2000").is_geographic());
}

TEST(Crs, ParseAcceptsProjStringsWithOrWithoutTypeCrs) {
    const Crs utm = Crs::parse("+proj=utm +zone=50 +datum=WGS84");
    EXPECT_FALSE(utm.is_geographic());
    EXPECT_EQ(utm.name(), "+proj=utm +zone=50 +datum=WGS84"); // PROJ strings have no name of their own
    const Crs lonlat = Crs::parse("+proj=longlat +datum=WGS84 +no_defs +type=crs");
    EXPECT_TRUE(lonlat.is_geographic());
    const Crs custom = Crs::parse("+proj=tmerc +lon_0=117.5 +k=1 +x_0=500000 +ellps=GRS80 +units=m");
    EXPECT_FALSE(custom.epsg().has_value());
    EXPECT_FALSE(custom.is_geographic());
}

TEST(Crs, ParseAndFromWktReadWkt2AndOgrStyleWkt1) {
    const Crs wgs84 = Crs::wgs84();
    const Crs again = Crs::parse(wgs84.to_wkt());
    EXPECT_EQ(again.epsg(), 4326);
    EXPECT_EQ(again, wgs84);
    EXPECT_NE(wgs84.to_wkt().find("GEOGCRS[\"WGS 84\""), std::string::npos) << "WKT2 expected";

    // What OGR's exportToWkt writes for a Gauss-Krüger zone (WKT1, AUTHORITY).
    const std::string ogr_wkt =
        R"(PROJCS["CGCS2000 / 3-degree Gauss-Kruger CM 117E",GEOGCS["China Geodetic Coordinate System 2000",)"
        R"(DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101,AUTHORITY["EPSG","1024"]],)"
        R"(AUTHORITY["EPSG","1043"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],)"
        R"(UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4490"]],)"
        R"(PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",117],)"
        R"(PARAMETER["scale_factor",1],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],)"
        R"(UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Northing",NORTH],AXIS["Easting",EAST],)"
        R"(AUTHORITY["EPSG","4548"]])";
    const Crs gk = Crs::from_wkt(ogr_wkt);
    EXPECT_EQ(gk.epsg(), 4548);
    EXPECT_EQ(gk.name(), "CGCS2000 / 3-degree Gauss-Kruger CM 117E");
    EXPECT_EQ(gk, Crs::parse("EPSG:4548"));
}

TEST(Crs, WktWithoutAuthorityIsIdentifiedOnlyWhenExact) {
    const std::string no_id = R"(GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],)"
                              R"(PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]])";
    const Crs crs = Crs::from_wkt(no_id);
    EXPECT_TRUE(crs.is_geographic());
    EXPECT_EQ(crs, Crs::wgs84());
}

TEST(Crs, PseudoCrsAreWgs84BasedGeographicAndHaveNoEpsgCode) {
    for (const char* text : {"gcj02", "GCJ02", "gcj-02"}) {
        const Crs crs = Crs::parse(text);
        EXPECT_EQ(crs.pseudo(), Pseudo::gcj02) << text;
        EXPECT_EQ(crs.name(), "gcj02");
        EXPECT_EQ(crs.user_text(), text);
    }
    const Crs bd = Crs::parse("BD-09");
    EXPECT_EQ(bd.pseudo(), Pseudo::bd09);
    EXPECT_EQ(bd.name(), "bd09");
    for (const Crs& crs : {Crs::gcj02(), Crs::bd09()}) {
        EXPECT_TRUE(crs.is_pseudo());
        EXPECT_TRUE(crs.is_geographic());
        EXPECT_FALSE(crs.epsg().has_value()) << "offset data must not be labelled EPSG:4326";
        EXPECT_EQ(crs.to_wkt(), Crs::wgs84().to_wkt());
    }
    EXPECT_EQ(Crs::gcj02().label(), "gcj02");
    EXPECT_EQ(Crs::parse("epsg:4548").label(), "EPSG:4548");
}

TEST(Crs, WebMercatorIsProjected) {
    const Crs crs = Crs::web_mercator();
    EXPECT_EQ(crs.epsg(), 3857);
    EXPECT_FALSE(crs.is_geographic());
    EXPECT_EQ(crs.name(), "WGS 84 / Pseudo-Mercator");
}

TEST(Crs, EqualityMeansSameDefinitionIgnoringGeographicAxisOrder) {
    EXPECT_EQ(Crs::parse("EPSG:4326"), Crs::wgs84());
    EXPECT_EQ(Crs::parse("OGC:CRS84"), Crs::wgs84()); // lon/lat vs lat/lon: the same to libgeo
    EXPECT_EQ(Crs::parse("+proj=longlat +datum=WGS84 +no_defs"), Crs::wgs84());
    EXPECT_EQ(Crs::parse("gcj02"), Crs::gcj02());
    EXPECT_NE(Crs::gcj02(), Crs::wgs84());
    EXPECT_NE(Crs::gcj02(), Crs::bd09());
    EXPECT_NE(Crs::parse("EPSG:4547"), Crs::parse("EPSG:4548"));
    EXPECT_NE(Crs::parse("EPSG:4490"), Crs::wgs84()); // CGCS2000 is its own datum
    const Crs copy = Crs::parse("EPSG:4548");
    const Crs other = copy; // NOLINT(performance-unnecessary-copy-initialization): value semantics
    EXPECT_EQ(other, copy);
}

TEST(Crs, ParseRejectsGarbageNamingTheTextAndTheAcceptedForms) {
    for (const std::string text : {"not a crs", "EPSG:999999", "epsg:", "+proj=nonsense", "gcj03", "GEOGCS[broken"}) {
        const std::string message = parse_error(text);
        ASSERT_FALSE(message.empty()) << "'" << text << "' was accepted";
        EXPECT_NE(message.find(text), std::string::npos) << message;
        EXPECT_NE(message.find("EPSG:4326"), std::string::npos) << message;
        EXPECT_NE(message.find("gcj02"), std::string::npos) << message;
    }
    EXPECT_FALSE(parse_error("").empty());
    EXPECT_FALSE(parse_error("   ").empty());
    EXPECT_THROW((void)Crs::from_epsg(123456789), CrsError);
    EXPECT_THROW((void)Crs::from_wkt("PROJCS[nonsense"), CrsError);
    EXPECT_THROW((void)Crs::from_wkt(""), CrsError);
}

TEST(Crs, BoundAndCompoundCrsAreJudgedByTheirHorizontalPart) {
    const Crs bound = Crs::parse("+proj=longlat +ellps=krass +towgs84=15.8,-154.4,-82.3 +no_defs");
    EXPECT_TRUE(bound.is_geographic());
    const Crs lonlat_height = Crs::parse("EPSG:4326+5773"); // WGS 84 + EGM96 height
    EXPECT_TRUE(lonlat_height.is_geographic());
    const Crs utm_height = Crs::parse("EPSG:32650+5773");
    EXPECT_FALSE(utm_height.is_geographic());
}
