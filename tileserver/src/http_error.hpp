#pragma once
// HttpError: what a request handler throws to answer with a client error. The message goes to
// the client as {"error": message}, so it must never carry internals (paths, SQL, stack traces).

#include <boost/beast/http/status.hpp>

#include <string>

namespace tileserver {

struct HttpError {
    boost::beast::http::status status;
    std::string message;
};

} // namespace tileserver
