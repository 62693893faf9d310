#pragma once
// gzip (RFC 1952) compression of response bodies with zlib, and the Accept-Encoding check.

#include <string>
#include <string_view>

namespace tileserver {

/// gzip-compress `data` (zlib level 6). Throws std::runtime_error if zlib fails.
[[nodiscard]] std::string gzip_compress(std::string_view data);

/// Inverse of gzip_compress (used by tests and to sanity-check tiles); throws on corrupt input.
[[nodiscard]] std::string gzip_decompress(std::string_view data);

/// True when an Accept-Encoding header value allows gzip (q=0 refuses it).
[[nodiscard]] bool accepts_gzip(std::string_view accept_encoding);

} // namespace tileserver
