// Fuzz target: the body of POST /api/incidents (tileserver/src/incident_request.hpp) and the time
// and status texts that reach the incident store.
// Properties: any JSON body ends in a list of incidents or an HttpError with a 4xx status and a
// short message; nothing else is thrown. Every accepted incident has a category of 1–64 bytes and
// finite WGS 84 coordinates. A time parse_time() accepts prints (format_time) to a text that
// parses back to the same instant.
#include "fuzz_support.hpp"

#include "incident_request.hpp"

#include "geo/core/error.hpp"
#include "geo/incident/incident.hpp"

#include <cmath>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > 256 * 1024) {
        return 0;
    }
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    // 1. the request body
    const auto body = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!body.is_discarded()) {
        try {
            const auto incidents = tileserver::parse_incident_request(body);
            fuzz::check(!incidents.empty(), "an accepted request created nothing");
            for (const auto& n : incidents) {
                fuzz::check(!n.category.empty() && n.category.size() <= 64, "category length", n.category);
                fuzz::check(std::isfinite(n.location.x) && std::isfinite(n.location.y) && std::abs(n.location.x) <= 180 &&
                                std::abs(n.location.y) <= 90,
                            "coordinates out of range accepted");
                fuzz::check(n.description.size() <= 2000 && n.external_id.size() <= 128, "oversize text accepted");
            }
        } catch (const tileserver::HttpError& e) {
            const int status = static_cast<int>(e.status);
            fuzz::check(status >= 400 && status < 500, "a request error that is not 4xx");
            fuzz::check(!e.message.empty() && e.message.size() < 200, "error message empty or too long", e.message);
        }
    }

    // 2. the same bytes as a time and as a status
    if (size <= 64) {
        if (const auto t = geo::incident::parse_time(text)) {
            const std::string printed = geo::incident::format_time(*t);
            const auto back = geo::incident::parse_time(printed);
            fuzz::check(back && *back == *t, "time does not round-trip through format_time", printed);
        }
        try {
            const auto status = geo::incident::parse_status(text);
            fuzz::check(text == geo::incident::to_string(status), "parse_status accepted a non-canonical name");
        } catch (const geo::InputError&) {
        }
    }
    return 0;
}
