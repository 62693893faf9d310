#include "geo/incident/incident.hpp"

#include <cctype>
#include <cstdio>
#include <charconv>
#include <ctime>
#include <string>

namespace geo::incident {

const char* to_string(Status status) noexcept {
    switch (status) {
    case Status::reported: return "reported";
    case Status::dispatched: return "dispatched";
    case Status::handling: return "handling";
    case Status::resolved: return "resolved";
    case Status::evaluated: return "evaluated";
    case Status::rejected: return "rejected";
    }
    return "unknown";
}

Status parse_status(std::string_view text) {
    for (Status s : all_statuses) {
        if (text == to_string(s)) {
            return s;
        }
    }
    throw InputError("unknown incident status '" + std::string(text) + "'", {},
                     "use one of reported, dispatched, handling, resolved, evaluated, rejected");
}

bool is_open(Status status) noexcept {
    return status == Status::reported || status == Status::dispatched || status == Status::handling;
}

bool is_allowed_transition(Status from, Status to) noexcept {
    switch (from) {
    case Status::reported: return to == Status::dispatched || to == Status::rejected;
    case Status::dispatched: return to == Status::handling || to == Status::reported; // 退单: returned
    case Status::handling: return to == Status::resolved;
    case Status::resolved: return to == Status::evaluated || to == Status::handling; // 回访不满意: reopened
    case Status::evaluated:
    case Status::rejected: return false;
    }
    return false;
}

std::vector<Status> allowed_transitions(Status from) {
    std::vector<Status> out;
    for (Status s : all_statuses) {
        if (is_allowed_transition(from, s)) {
            out.push_back(s);
        }
    }
    return out;
}

namespace {
std::string transition_message(Status from, Status to, std::int64_t id) {
    std::string msg = std::string("invalid status transition: ") + to_string(from) + " → " + to_string(to) +
                      " (incident " + std::to_string(id) + ")";
    return msg;
}

std::string transition_hint(Status from) {
    const auto next = allowed_transitions(from);
    if (next.empty()) {
        return std::string("'") + to_string(from) + "' is final";
    }
    std::string hint = std::string("from '") + to_string(from) + "' the loop allows: ";
    for (std::size_t i = 0; i < next.size(); ++i) {
        hint += (i ? ", " : "") + std::string(to_string(next[i]));
    }
    return hint;
}
} // namespace

TransitionError::TransitionError(Status from, Status to, std::int64_t incident_id)
    : InputError(transition_message(from, to, incident_id), {}, transition_hint(from)), m_from(from), m_to(to) {}

// --- time --------------------------------------------------------------------

std::string format_time(TimePoint t) {
    using namespace std::chrono;
    const auto day = floor<days>(t);
    const year_month_day ymd{day};
    const hh_mm_ss hms{t - day};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()));
    return buf;
}

namespace {

// A small cursor over the text; every reader returns false when the text
// does not match, so a bad row is reported instead of throwing.
struct Cursor {
    std::string_view s;
    std::size_t i = 0;

    bool done() const { return i >= s.size(); }
    char peek() const { return done() ? '\0' : s[i]; }
    bool digits(std::size_t n, int& value) {
        if (i + n > s.size()) {
            return false;
        }
        value = 0;
        for (std::size_t k = 0; k < n; ++k) {
            const char c = s[i + k];
            if (c < '0' || c > '9') {
                return false;
            }
            value = value * 10 + (c - '0');
        }
        i += n;
        return true;
    }
    bool literal(char c) {
        if (peek() != c) {
            return false;
        }
        ++i;
        return true;
    }
};

std::optional<TimePoint> make_time(int y, int mo, int d, int h, int mi, int sec, int offset_minutes) {
    using namespace std::chrono;
    const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok() || h < 0 || h > 24 || mi < 0 || mi > 59 || sec < 0 || sec > 60 || (h == 24 && (mi || sec))) {
        return std::nullopt;
    }
    return sys_days{ymd} + hours{h} + minutes{mi} + seconds{sec} - minutes{offset_minutes};
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
        s.remove_prefix(1);
    }
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
        s.remove_suffix(1);
    }
    return s;
}

} // namespace

std::optional<TimePoint> parse_time(std::string_view text, int default_offset_minutes) {
    Cursor c{trim(text)};
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
    if (!c.digits(4, y)) {
        return std::nullopt;
    }
    const char date_sep = c.peek();
    if (date_sep != '-' && date_sep != '/') {
        return std::nullopt;
    }
    c.literal(date_sep);
    if (!c.digits(2, mo) || !c.literal(date_sep) || !c.digits(2, d)) {
        return std::nullopt;
    }
    int offset = default_offset_minutes;
    if (!c.done()) {
        if (!c.literal('T') && !c.literal(' ')) {
            return std::nullopt;
        }
        if (!c.digits(2, h) || !c.literal(':') || !c.digits(2, mi)) {
            return std::nullopt;
        }
        if (c.literal(':')) {
            if (!c.digits(2, sec)) {
                return std::nullopt;
            }
            if (c.literal('.') || c.literal(',')) { // fractions of a second: dropped
                std::size_t n = 0;
                while (!c.done() && std::isdigit(static_cast<unsigned char>(c.peek()))) {
                    ++c.i;
                    ++n;
                }
                if (n == 0) {
                    return std::nullopt;
                }
            }
        }
        if (c.literal('Z') || c.literal('z')) {
            offset = 0;
        } else if (c.peek() == '+' || c.peek() == '-') {
            const int sign = c.peek() == '-' ? -1 : 1;
            ++c.i;
            int oh = 0, om = 0;
            if (!c.digits(2, oh)) {
                return std::nullopt;
            }
            if (c.literal(':')) {
                if (!c.digits(2, om)) {
                    return std::nullopt;
                }
            } else if (!c.done()) {
                if (!c.digits(2, om)) {
                    return std::nullopt;
                }
            }
            if (oh > 18 || om > 59) {
                return std::nullopt;
            }
            offset = sign * (oh * 60 + om);
        }
        if (!c.done()) {
            return std::nullopt;
        }
    }
    return make_time(y, mo, d, h, mi, sec, offset);
}

std::optional<TimePoint> parse_time_with_format(std::string_view text, const std::string& format, int offset_minutes) {
    const std::string s(trim(text));
    std::tm tm{};
    tm.tm_mday = 1;
    const char* end = ::strptime(s.c_str(), format.c_str(), &tm);
    if (end == nullptr || *end != '\0') {
        return std::nullopt;
    }
    return make_time(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, offset_minutes);
}

std::optional<int> parse_utc_offset(std::string_view text) {
    int sign = 1;
    if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
        sign = text.front() == '-' ? -1 : 1;
        text.remove_prefix(1);
    }
    std::string_view hh = text;
    std::string_view mm;
    if (const auto colon = text.find(':'); colon != std::string_view::npos) {
        hh = text.substr(0, colon);
        mm = text.substr(colon + 1);
        if (mm.size() != 2) {
            return std::nullopt;
        }
    } else if (text.size() == 4) { // ±HHMM
        hh = text.substr(0, 2);
        mm = text.substr(2);
    }
    auto number = [](std::string_view digits) -> std::optional<int> {
        if (digits.empty() || digits.size() > 2) {
            return std::nullopt;
        }
        int v = 0;
        for (const char c : digits) {
            if (c < '0' || c > '9') {
                return std::nullopt;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    };
    const auto h = number(hh);
    const auto m = mm.empty() ? std::optional<int>(0) : number(mm);
    if (!h || !m || *m > 59 || *h * 60 + *m > 18 * 60) {
        return std::nullopt;
    }
    return sign * (*h * 60 + *m);
}

} // namespace geo::incident
