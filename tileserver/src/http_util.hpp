#pragma once
// Small HTTP helpers kept apart from the router so that they can be tested on their own.

#include <optional>
#include <string>
#include <string_view>

namespace tileserver {

/// Constant-time comparison (the time depends only on the lengths, never on where bytes differ).
[[nodiscard]] bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

/// The token of an "Authorization: Bearer <token>" header value; nullopt for any other scheme or
/// an empty token.
[[nodiscard]] std::optional<std::string_view> bearer_token(std::string_view authorization) noexcept;

/// Percent-decoding of one URL component; nullopt for malformed escapes or a NUL byte.
[[nodiscard]] std::optional<std::string> url_decode(std::string_view text, bool plus_is_space);

/// Percent-encoding of one URL component (everything but RFC 3986 unreserved characters).
[[nodiscard]] std::string url_encode(std::string_view text);

} // namespace tileserver
