#pragma once
// geo::crs::Crs: a coordinate reference system as a small value type.
//
// A Crs is parsed once (EPSG code, WKT, PROJ string, or one of the Chinese
// pseudo-CRS "gcj02" / "bd09") and then carries only text: the definition
// PROJ accepted plus its name, WKT and EPSG code. It is cheap to copy and safe
// to share between threads; PROJ objects are created by each Transformer.

#include <optional>
#include <string>
#include <string_view>

namespace geo::crs {

namespace detail {
struct CrsBuilder; // fills a Crs from PROJ (src/crs/crs.cpp)
}

/// The Chinese obfuscated "pseudo-CRS". They are not in the EPSG registry:
/// GCJ-02 is WGS 84 with a non-linear, published offset (used by Amap/Gaode,
/// Tencent and most Chinese map data); BD-09 is GCJ-02 with a second offset
/// (Baidu maps). Both are handled by libgeo, not by PROJ.
enum class Pseudo {
    none,  ///< a real CRS that PROJ understands
    gcj02, ///< GCJ-02 "Mars coordinates", longitude/latitude in degrees
    bd09,  ///< BD-09 (Baidu), longitude/latitude in degrees
};

class Crs {
  public:
    /// Parse what a user typed (an option value, a config entry). Accepted,
    /// case-insensitive: "EPSG:4326" (any AUTHORITY:CODE PROJ knows), a bare
    /// EPSG number "4547", WKT (1 or 2), a PROJ string "+proj=utm +zone=50",
    /// PROJJSON, the aliases "wgs84" and "cgcs2000", and the pseudo-CRS
    /// "gcj02" (also "gcj-02") and "bd09" (also "bd-09").
    /// Throws geo::CrsError naming the text and the accepted forms.
    static Crs parse(std::string_view user_text);

    /// The CRS of a dataset, as WKT (what OGR's exportToWkt gives).
    /// Throws geo::CrsError when PROJ cannot read it.
    static Crs from_wkt(std::string_view wkt);

    /// EPSG:code. Throws geo::CrsError for unknown codes.
    static Crs from_epsg(int code);

    static Crs wgs84();        ///< EPSG:4326 (used with lon/lat order everywhere in libgeo)
    static Crs web_mercator(); ///< EPSG:3857
    static Crs gcj02();        ///< the GCJ-02 pseudo-CRS
    static Crs bd09();         ///< the BD-09 pseudo-CRS

    /// "WGS 84", "CGCS2000 / 3-degree Gauss-Kruger CM 117E", "gcj02", "bd09".
    [[nodiscard]] std::string name() const { return m_name; }
    /// WKT2 (2019). For gcj02/bd09 this is the WGS 84 WKT: they are WGS 84
    /// based, and no standard WKT can describe their offset.
    [[nodiscard]] std::string to_wkt() const { return m_wkt; }
    /// The EPSG code when the CRS is (or is identified by PROJ as exactly)
    /// an EPSG CRS; empty for custom definitions and for gcj02/bd09.
    [[nodiscard]] std::optional<int> epsg() const { return m_epsg; }
    /// Longitude/latitude in degrees (true for gcj02/bd09), rather than
    /// projected metres/feet.
    [[nodiscard]] bool is_geographic() const noexcept { return m_geographic; }
    /// gcj02 or bd09.
    [[nodiscard]] bool is_pseudo() const noexcept { return m_pseudo != Pseudo::none; }
    [[nodiscard]] Pseudo pseudo() const noexcept { return m_pseudo; }
    /// The text this Crs was parsed from (for messages: "--crs epsg:4547").
    [[nodiscard]] std::string user_text() const { return m_user_text; }
    /// The text handed to PROJ ("EPSG:4547", a WKT, a PROJ string). For
    /// gcj02/bd09 it is "EPSG:4326", the CRS their offsets are relative to.
    [[nodiscard]] const std::string& definition() const noexcept { return m_definition; }
    /// A short label for messages: "EPSG:4547", "gcj02", or the name.
    [[nodiscard]] std::string label() const;

    /// Same definition: the same pseudo-CRS, or CRS that PROJ considers
    /// equivalent ignoring the axis order of geographic CRS (libgeo always
    /// works in lon/lat, so EPSG:4326 == OGC:CRS84 here). WGS 84 and gcj02
    /// are different.
    [[nodiscard]] bool operator==(const Crs& other) const;

  private:
    Crs() = default;

    std::string m_user_text;
    std::string m_definition;
    std::string m_name;
    std::string m_wkt;
    std::optional<int> m_epsg;
    bool m_geographic = false;
    Pseudo m_pseudo = Pseudo::none;

    friend struct detail::CrsBuilder;
};

} // namespace geo::crs
