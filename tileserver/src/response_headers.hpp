#pragma once
// The headers every answer of the server carries, whichever layer wrote it: the router
// (router.cpp) and the socket layer (server.cpp: the 400/413/431 sent before a request reaches
// the router, the 503 of a connection over the limit). One list, so the two cannot drift apart.

#include <boost/beast/http/fields.hpp>

namespace tileserver {

/// Server: tileserver, X-Content-Type-Options: nosniff, X-Frame-Options: DENY,
/// Referrer-Policy: no-referrer.
void set_common_headers(boost::beast::http::fields& headers);

} // namespace tileserver
