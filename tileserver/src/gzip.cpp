#include "gzip.hpp"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <stdexcept>

namespace tileserver {

namespace {
constexpr int gzip_window_bits = 15 + 16; // 15-bit window, +16 selects the gzip wrapper
}

std::string gzip_compress(std::string_view data) {
    z_stream zs{};
    if (deflateInit2(&zs, 6, Z_DEFLATED, gzip_window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        throw std::runtime_error("zlib deflateInit2 failed");
    }
    std::string out(deflateBound(&zs, static_cast<uLong>(data.size())), '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&zs, Z_FINISH);
    deflateEnd(&zs);
    if (rc != Z_STREAM_END) {
        throw std::runtime_error("zlib deflate failed");
    }
    out.resize(zs.total_out);
    return out;
}

std::string gzip_decompress(std::string_view data) {
    z_stream zs{};
    if (inflateInit2(&zs, gzip_window_bits) != Z_OK) {
        throw std::runtime_error("zlib inflateInit2 failed");
    }
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    std::string out;
    char chunk[16384];
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        zs.next_out = reinterpret_cast<Bytef*>(chunk);
        zs.avail_out = sizeof chunk;
        rc = inflate(&zs, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) {
            inflateEnd(&zs);
            throw std::runtime_error("corrupt gzip data");
        }
        out.append(chunk, sizeof chunk - zs.avail_out);
    }
    inflateEnd(&zs);
    return out;
}

bool accepts_gzip(std::string_view header) {
    // Walk the comma-separated codings; "gzip" or "*" accepted unless q=0.
    std::size_t pos = 0;
    while (pos <= header.size()) {
        std::size_t end = header.find(',', pos);
        if (end == std::string_view::npos) {
            end = header.size();
        }
        std::string item(header.substr(pos, end - pos));
        item.erase(std::remove_if(item.begin(), item.end(), [](unsigned char c) { return std::isspace(c); }),
                   item.end());
        std::transform(item.begin(), item.end(), item.begin(), [](unsigned char c) { return std::tolower(c); });
        const auto semi = item.find(';');
        const std::string coding = item.substr(0, semi);
        if (coding == "gzip" || coding == "x-gzip" || coding == "*") {
            if (semi == std::string::npos) {
                return true;
            }
            const auto q = item.find("q=", semi);
            if (q == std::string::npos || std::strtod(item.c_str() + q + 2, nullptr) > 0.0) {
                return true;
            }
        }
        pos = end + 1;
    }
    return false;
}

} // namespace tileserver
