#include "gpkg_geometry.hpp"

#include <bit>
#include <cmath>
#include <cstring>

namespace geo::incident::detail {

namespace {

template <typename T> void put_le(unsigned char* out, T value) {
    static_assert(std::endian::native == std::endian::little, "GeoPackage blobs are written little endian");
    std::memcpy(out, &value, sizeof(T));
}

template <typename T> T get(const unsigned char* in, bool little) {
    unsigned char buf[sizeof(T)];
    std::memcpy(buf, in, sizeof(T));
    if (little != (std::endian::native == std::endian::little)) {
        for (std::size_t i = 0; i < sizeof(T) / 2; ++i) {
            std::swap(buf[i], buf[sizeof(T) - 1 - i]);
        }
    }
    T value;
    std::memcpy(&value, buf, sizeof(T));
    return value;
}

// Size in bytes of the envelope for the envelope-contents indicator (bits 1-3).
std::optional<std::size_t> envelope_size(unsigned indicator) {
    switch (indicator) {
    case 0: return 0;
    case 1: return 32;
    case 2:
    case 3: return 48;
    case 4: return 64;
    default: return std::nullopt;
    }
}

struct Header {
    bool empty = false;
    bool little = true;
    std::size_t envelope_bytes = 0;
    std::size_t wkb_offset = 0;
};

std::optional<Header> header(std::span<const unsigned char> blob) {
    if (blob.size() < 8 || blob[0] != 'G' || blob[1] != 'P' || blob[2] != 0) {
        return std::nullopt;
    }
    const unsigned flags = blob[3];
    Header h;
    h.little = (flags & 0x01U) != 0;
    h.empty = (flags & 0x10U) != 0;
    const auto env = envelope_size((flags >> 1) & 0x07U);
    if (!env || blob.size() < 8 + *env) {
        return std::nullopt;
    }
    h.envelope_bytes = *env;
    h.wkb_offset = 8 + *env;
    return h;
}

} // namespace

std::array<unsigned char, gpkg_point_blob_size> encode_gpkg_point(core::XY p, std::int32_t srs_id) {
    std::array<unsigned char, gpkg_point_blob_size> out{};
    out[0] = 'G';
    out[1] = 'P';
    out[2] = 0;    // version 1 of the format is stored as 0
    out[3] = 0x03; // little endian, envelope [minx, maxx, miny, maxy], not empty, standard
    put_le(out.data() + 4, srs_id);
    put_le(out.data() + 8, p.x);
    put_le(out.data() + 16, p.x);
    put_le(out.data() + 24, p.y);
    put_le(out.data() + 32, p.y);
    unsigned char* wkb = out.data() + 40;
    wkb[0] = 1;                        // NDR
    put_le(wkb + 1, std::uint32_t{1}); // wkbPoint
    put_le(wkb + 5, p.x);
    put_le(wkb + 13, p.y);
    return out;
}

std::optional<core::XY> decode_gpkg_point(std::span<const unsigned char> blob) {
    const auto h = header(blob);
    if (!h || h->empty || blob.size() < h->wkb_offset + 21) {
        return std::nullopt;
    }
    const unsigned char* wkb = blob.data() + h->wkb_offset;
    if (wkb[0] > 1) {
        return std::nullopt;
    }
    const bool little = wkb[0] == 1;
    const auto type = get<std::uint32_t>(wkb + 1, little);
    // 1 = Point; 1001/2001/3001 (ISO Z/M/ZM) keep x and y first.
    if (type % 1000 != 1) {
        return std::nullopt;
    }
    core::XY p{get<double>(wkb + 5, little), get<double>(wkb + 13, little)};
    if (std::isnan(p.x) || std::isnan(p.y)) {
        return std::nullopt;
    }
    return p;
}

std::optional<core::Box> gpkg_envelope(std::span<const unsigned char> blob) {
    const auto h = header(blob);
    if (!h || h->empty) {
        return std::nullopt;
    }
    if (h->envelope_bytes >= 32) {
        const unsigned char* e = blob.data() + 8;
        return core::Box{get<double>(e, h->little), get<double>(e + 16, h->little), get<double>(e + 8, h->little),
                         get<double>(e + 24, h->little)};
    }
    if (const auto p = decode_gpkg_point(blob)) {
        return core::Box{p->x, p->y, p->x, p->y};
    }
    return std::nullopt;
}

bool gpkg_is_empty(std::span<const unsigned char> blob) {
    const auto h = header(blob);
    if (!h) {
        return true;
    }
    if (h->empty) {
        return true;
    }
    return !gpkg_envelope(blob).has_value();
}

} // namespace geo::incident::detail
