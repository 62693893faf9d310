#include "response_headers.hpp"

#include <boost/beast/http/field.hpp>

namespace tileserver {

void set_common_headers(boost::beast::http::fields& headers) {
    namespace http = boost::beast::http;
    headers.set(http::field::server, "tileserver");
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set(http::field::x_frame_options, "DENY");
    headers.set("Referrer-Policy", "no-referrer");
}

} // namespace tileserver
