#include "geo/crs/crs.hpp"

#include "crs/proj.hpp"
#include "geo/core/error.hpp"

#include <proj.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>

namespace geo::crs {

namespace {

constexpr const char* accepted_forms = "use an EPSG code such as EPSG:4326 or EPSG:4548, a WKT, a PROJ string such as "
                                       "'+proj=utm +zone=50 +datum=WGS84', or the Chinese pseudo-CRS gcj02 / bd09";

std::string trim(std::string_view text) {
    const auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    while (!text.empty() && is_space(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && is_space(text.back())) {
        text.remove_suffix(1);
    }
    return std::string(text);
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    return text;
}

std::string upper(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); });
    return text;
}

bool all_digits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(),
                                        [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

// "epsg:4547", "ogc:crs84": an authority and a code, nothing else.
bool is_auth_code(std::string_view text) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) {
        return false;
    }
    const auto is_word = [](std::string_view part, bool allow_dot) {
        return std::all_of(part.begin(), part.end(), [allow_dot](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || (allow_dot && c == '.');
        });
    };
    return is_word(text.substr(0, colon), false) && is_word(text.substr(colon + 1), true);
}

std::optional<int> to_int(const char* text) {
    if (text == nullptr) {
        return std::nullopt;
    }
    int value = 0;
    const char* end = text + std::strlen(text);
    const auto [ptr, ec] = std::from_chars(text, end, value);
    if (ec != std::errc{} || ptr != end) {
        return std::nullopt;
    }
    return value;
}

std::optional<int> epsg_code_of(detail::ProjContext& ctx, const PJ* crs, bool identify) {
    const char* auth = proj_get_id_auth_name(crs, 0);
    if (auth != nullptr && std::strcmp(auth, "EPSG") == 0) {
        return to_int(proj_get_id_code(crs, 0));
    }
    if (!identify) {
        return std::nullopt;
    }
    // WKT without an ID (ESRI .prj files): ask PROJ which EPSG CRS it is,
    // and accept only a full (100 %) match, never a near miss. This takes up
    // to half a second for projected CRS, so PROJ strings skip it (they
    // never reach 100 %: PROJ strings carry no names).
    int* confidence = nullptr;
    PJ_OBJ_LIST* matches = proj_identify(ctx.get(), crs, "EPSG", nullptr, &confidence);
    std::optional<int> code;
    if (matches != nullptr) {
        if (proj_list_get_count(matches) > 0 && confidence != nullptr && confidence[0] == 100) {
            detail::PjPtr best(proj_list_get(ctx.get(), matches, 0));
            if (best) {
                code = to_int(proj_get_id_code(best.get(), 0));
            }
        }
        proj_int_list_destroy(confidence);
        proj_list_destroy(matches);
    }
    return code;
}

bool is_geographic_type(PJ_TYPE type) {
    return type == PJ_TYPE_GEOGRAPHIC_2D_CRS || type == PJ_TYPE_GEOGRAPHIC_3D_CRS || type == PJ_TYPE_GEOGRAPHIC_CRS;
}

} // namespace

namespace detail {

struct CrsBuilder {
    static Crs pseudo(std::string_view user_text, Pseudo kind) {
        Crs crs = build(user_text, "EPSG:4326");
        crs.m_pseudo = kind;
        crs.m_name = kind == Pseudo::gcj02 ? "gcj02" : "bd09";
        // Not EPSG:4326: claiming it would make writers label offset data WGS 84.
        crs.m_epsg.reset();
        return crs;
    }

    // Throws CrsError whose message() is PROJ's reason alone; callers add
    // what was being read.
    static Crs build(std::string_view user_text, std::string definition, bool identify = true) {
        ProjContext& ctx = ProjContext::thread_local_context();
        ctx.clear_error();
        const PjPtr pj(proj_create(ctx.get(), definition.c_str()));
        if (!pj) {
            std::string reason = ctx.last_error("PROJ does not recognise it");
            constexpr std::string_view prefix = "proj_create: ";
            if (reason.starts_with(prefix)) {
                reason.erase(0, prefix.size());
            }
            throw CrsError(reason);
        }
        if (proj_is_crs(pj.get()) == 0) {
            throw CrsError("it is a coordinate operation, not a CRS", {},
                           "for a PROJ string add +type=crs; " + std::string(accepted_forms));
        }
        Crs crs;
        crs.m_user_text = std::string(user_text);
        crs.m_definition = std::move(definition);
        // PROJ strings give no name ("unknown"): a short text itself says
        // more, a long one (a whole WKT) does not belong in messages.
        constexpr std::size_t max_name_length = 100;
        const char* name = proj_get_name(pj.get());
        if (name != nullptr && *name != '\0' && std::strcmp(name, "unknown") != 0) {
            crs.m_name = name;
        } else {
            crs.m_name = crs.m_user_text.size() <= max_name_length ? crs.m_user_text : "unnamed CRS";
        }
        const char* wkt = proj_as_wkt(ctx.get(), pj.get(), PJ_WKT2_2019, nullptr);
        if (wkt == nullptr) {
            wkt = proj_as_wkt(ctx.get(), pj.get(), PJ_WKT1_GDAL, nullptr);
        }
        if (wkt == nullptr) {
            throw CrsError("PROJ cannot express it as WKT: " + ctx.last_error());
        }
        crs.m_wkt = wkt;
        crs.m_epsg = epsg_code_of(ctx, pj.get(), identify);
        const PjPtr horizontal = horizontal_part(ctx, pj.get());
        crs.m_geographic = is_geographic_type(proj_get_type(horizontal ? horizontal.get() : pj.get()));
        return crs;
    }
};

} // namespace detail

Crs Crs::parse(std::string_view user_text) {
    const std::string text = trim(user_text);
    if (text.empty()) {
        throw CrsError("empty CRS text", {}, accepted_forms);
    }
    const std::string key = lower(text);
    if (key == "gcj02" || key == "gcj-02" || key == "gcj_02") {
        return detail::CrsBuilder::pseudo(text, Pseudo::gcj02);
    }
    if (key == "bd09" || key == "bd-09" || key == "bd_09") {
        return detail::CrsBuilder::pseudo(text, Pseudo::bd09);
    }
    std::string definition;
    bool identify = true;
    if (key == "wgs84" || key == "wgs 84" || key == "wgs-84") {
        definition = "EPSG:4326";
    } else if (key == "cgcs2000") {
        definition = "EPSG:4490";
    } else if (all_digits(key)) {
        definition = "EPSG:" + key;
    } else if (key.front() == '+' || key.find("+proj=") != std::string::npos) {
        // A PROJ string without +type=crs is an operation for PROJ, while
        // "+proj=utm +zone=50" typed by a user means the CRS.
        definition = key.find("+type=crs") == std::string::npos ? text + " +type=crs" : text;
        identify = false;
    } else if (is_auth_code(key)) {
        definition = upper(text);
    } else {
        definition = text; // WKT, PROJJSON, URN: PROJ recognises them
    }
    try {
        return detail::CrsBuilder::build(text, std::move(definition), identify);
    } catch (const CrsError& e) {
        throw CrsError("unknown CRS '" + text + "': " + e.message(), {}, e.hint().empty() ? accepted_forms : e.hint());
    }
}

Crs Crs::from_wkt(std::string_view wkt) {
    const std::string text = trim(wkt);
    if (text.empty()) {
        throw CrsError("empty WKT", {}, "the dataset has no CRS; give one with --crs");
    }
    try {
        return detail::CrsBuilder::build(text, text);
    } catch (const CrsError& e) {
        throw CrsError("cannot read the CRS WKT: " + e.message(), {}, "give the CRS with --crs");
    }
}

Crs Crs::from_epsg(int code) {
    try {
        return detail::CrsBuilder::build("EPSG:" + std::to_string(code), "EPSG:" + std::to_string(code));
    } catch (const CrsError& e) {
        throw CrsError("unknown EPSG code " + std::to_string(code) + ": " + e.message(), {}, accepted_forms);
    }
}

Crs Crs::wgs84() {
    return from_epsg(4326);
}
Crs Crs::web_mercator() {
    return from_epsg(3857);
}
Crs Crs::gcj02() {
    return detail::CrsBuilder::pseudo("gcj02", Pseudo::gcj02);
}
Crs Crs::bd09() {
    return detail::CrsBuilder::pseudo("bd09", Pseudo::bd09);
}

std::string Crs::label() const {
    switch (m_pseudo) {
    case Pseudo::gcj02: return "gcj02";
    case Pseudo::bd09: return "bd09";
    case Pseudo::none: break;
    }
    if (m_epsg) {
        return "EPSG:" + std::to_string(*m_epsg);
    }
    return m_name;
}

bool Crs::operator==(const Crs& other) const {
    if (m_pseudo != other.m_pseudo) {
        return false;
    }
    if (m_pseudo != Pseudo::none || m_definition == other.m_definition) {
        return true;
    }
    if (m_epsg && other.m_epsg) {
        return *m_epsg == *other.m_epsg;
    }
    try {
        detail::ProjContext& ctx = detail::ProjContext::thread_local_context();
        const detail::PjPtr a = detail::create(ctx, m_definition, "a CRS");
        const detail::PjPtr b = detail::create(ctx, other.m_definition, "a CRS");
        return proj_is_equivalent_to_with_ctx(ctx.get(), a.get(), b.get(),
                                              PJ_COMP_EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS) != 0;
    } catch (const CrsError&) {
        return false; // both parsed before, so PROJ failing now means "cannot tell": not equal
    }
}

} // namespace geo::crs
