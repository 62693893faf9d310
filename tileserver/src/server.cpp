#include "server.hpp"

#include "response_headers.hpp"

#include "geo/core/error.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

namespace tileserver {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

/// How long a draining server waits for the next request on a connection whose last response
/// (prepared before SIGTERM) promised keep-alive. Loopback and LAN clients answer in well under
/// a millisecond; the grace only delays the exit of a server with such connections.
constexpr std::chrono::milliseconds drain_grace{250};

namespace {

/// An answer the socket layer gives without the router (malformed or oversize requests, too many
/// connections): short JSON, the same security headers as every routed answer, and a close.
Response socket_error_response(http::status status, std::string_view message) {
    Response res{status, 11};
    res.set(http::field::content_type, "application/json");
    set_common_headers(res);
    res.body() = "{\"error\":\"" + std::string(message) + "\"}";
    res.keep_alive(false);
    res.prepare_payload();
    return res;
}

/// The 503 for a connection over the limit, serialised once: the flood path must stay cheap and
/// never read the request.
const std::string& busy_reply() {
    static const std::string text = [] {
        auto res = socket_error_response(http::status::service_unavailable, "too many connections");
        res.set(http::field::retry_after, "1");
        std::ostringstream out;
        out << res;
        return out.str();
    }();
    return text;
}

} // namespace

class Session : public std::enable_shared_from_this<Session> {
  public:
    Session(tcp::socket&& socket, Server& server)
        : m_stream(std::move(socket)), m_grace_timer(m_stream.get_executor()), m_server(server) {
        ++m_server.m_router.metrics().connections_active;
    }
    ~Session() {
        --m_server.m_router.metrics().connections_active;
        m_server.unregister_session(this);
    }
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;
    Session(Session&&) = delete;
    Session& operator=(Session&&) = delete;

    void start() {
        m_server.register_session(this, shared_from_this());
        net::dispatch(m_stream.get_executor(), beast::bind_front_handler(&Session::read_header, shared_from_this()));
    }

    /// Draining: close the connection if it is waiting for a new request. A keep-alive client
    /// may be sending one right now (it cannot know about SIGTERM), so the connection gets
    /// drain_grace first: a request that arrives is answered (with Connection: close), one that
    /// was already queued is read at once; only a connection still idle after that is closed.
    void close_if_idle() {
        net::post(m_stream.get_executor(), [self = shared_from_this()] {
            if (!self->m_idle || self->request_pending()) {
                return;
            }
            self->m_grace_timer.expires_after(drain_grace);
            self->m_grace_timer.async_wait([self](beast::error_code ec) {
                if (!ec && self->m_idle && !self->request_pending()) {
                    beast::error_code ignored;
                    self->m_stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
                    self->m_stream.socket().close(ignored);
                }
            });
        });
    }

  private:
    const Limits& limits() const { return m_server.m_config.limits; }

    /// Bytes of a next request already here (in the buffer or the kernel's queue).
    bool request_pending() {
        beast::error_code ec;
        const auto queued = m_stream.socket().available(ec);
        return m_buffer.size() != 0 || (!ec && queued != 0);
    }

    void read_header() {
        auto timeout = limits().header_timeout;
        if (m_server.m_stopping && !request_pending()) {
            // Draining, and the response just written was prepared before SIGTERM, so it promised
            // keep-alive: the client may be sending its next request right now. Wait briefly
            // (once) for it, answer it with Connection: close, rather than reset a request the
            // client believes was sent. Responses prepared during the drain already say close.
            if (m_drain_grace_used) {
                return close();
            }
            m_drain_grace_used = true;
            timeout = std::min<std::chrono::milliseconds>(timeout, drain_grace);
        }
        m_parser.emplace();
        m_parser->header_limit(static_cast<std::uint32_t>(limits().max_header_bytes));
        m_parser->body_limit(limits().max_body_bytes);
        m_idle = m_buffer.size() == 0;
        m_stream.expires_after(timeout);
        http::async_read_header(m_stream, m_buffer, *m_parser,
                                beast::bind_front_handler(&Session::on_header, shared_from_this()));
    }

    void on_header(beast::error_code ec, std::size_t) {
        m_idle = false;
        if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == net::error::operation_aborted ||
            ec == net::error::connection_reset || ec == net::error::eof) {
            return close();
        }
        if (ec == http::error::header_limit) {
            return reply_error(http::status::request_header_fields_too_large, "request header too large");
        }
        if (ec == http::error::body_limit) { // Content-Length over the limit, seen with the head
            return reply_error(http::status::payload_too_large, "request body too large");
        }
        if (ec) {
            return reply_error(http::status::bad_request, "malformed request");
        }
        const auto& req = m_parser->get();
        if (const auto length = m_parser->content_length(); length && *length > limits().max_body_bytes) {
            return reply_error(http::status::payload_too_large, "request body too large");
        }
        if (beast::iequals(req[http::field::expect], "100-continue")) {
            auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, req.version());
            m_stream.expires_after(limits().write_timeout);
            http::async_write(m_stream, *cont, [self = shared_from_this(), cont](beast::error_code wec, std::size_t) {
                if (wec) {
                    return self->close();
                }
                self->read_body();
            });
            return;
        }
        read_body();
    }

    void read_body() {
        m_stream.expires_after(limits().body_timeout);
        http::async_read(m_stream, m_buffer, *m_parser,
                         beast::bind_front_handler(&Session::on_body, shared_from_this()));
    }

    void on_body(beast::error_code ec, std::size_t) {
        if (ec == http::error::body_limit) {
            return reply_error(http::status::payload_too_large, "request body too large");
        }
        if (ec == beast::error::timeout || ec == net::error::operation_aborted || ec == http::error::end_of_stream ||
            ec == net::error::connection_reset || ec == net::error::eof) {
            return close();
        }
        if (ec) {
            return reply_error(http::status::bad_request, "malformed request");
        }
        send(m_server.m_router.handle(m_parser->get()));
    }

    void reply_error(http::status status, const char* message) {
        m_server.m_router.metrics().observe_request("rejected", static_cast<unsigned>(status), 0.0);
        send(socket_error_response(status, message));
    }

    void send(Response&& res) {
        m_response = std::make_shared<Response>(std::move(res));
        // The response's own Connection header decides, never m_stopping: SIGTERM may land between
        // the router preparing a keep-alive answer and this write, and closing after a response
        // that promised keep-alive drops the request the client sends next (read_header gives
        // such a connection its drain grace instead).
        const bool close_after = m_response->need_eof();
        m_stream.expires_after(limits().write_timeout);
        http::async_write(m_stream, *m_response,
                          beast::bind_front_handler(&Session::on_write, shared_from_this(), close_after));
    }

    void on_write(bool close_after, beast::error_code ec, std::size_t) {
        m_response.reset();
        if (ec || close_after) {
            return close();
        }
        read_header();
    }

    void close() {
        beast::error_code ignored;
        m_stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
        m_stream.socket().close(ignored);
    }

    beast::tcp_stream m_stream;
    net::steady_timer m_grace_timer; // drain grace of an idle connection (on the stream's strand)
    beast::flat_buffer m_buffer;
    std::optional<http::request_parser<http::string_body>> m_parser;
    std::shared_ptr<Response> m_response;
    Server& m_server;
    bool m_idle = false;
    bool m_drain_grace_used = false;
};

Server::Server(const ServerConfig& config, Router& router)
    : m_config(config), m_router(router), m_acceptor(m_ioc), m_signals(m_ioc, SIGINT, SIGTERM), m_drain_timer(m_ioc) {
    beast::error_code ec;
    const auto address = net::ip::make_address(config.bind, ec);
    if (ec) {
        throw geo::InputError("invalid bind address '" + config.bind + "'", {}, "use an IPv4 or IPv6 address");
    }
    const tcp::endpoint endpoint(address, config.port);
    m_acceptor.open(endpoint.protocol(), ec);
    if (!ec) {
        m_acceptor.set_option(net::socket_base::reuse_address(true), ec);
    }
    if (!ec) {
        m_acceptor.bind(endpoint, ec);
    }
    if (!ec) {
        m_acceptor.listen(net::socket_base::max_listen_connections, ec);
    }
    if (ec) {
        throw geo::IoError("cannot listen on " + config.bind + ":" + std::to_string(config.port) + ": " + ec.message());
    }
    m_port = m_acceptor.local_endpoint().port();
}

void Server::register_session(Session* s, const std::shared_ptr<Session>& sp) {
    std::lock_guard lock(m_sessions_mutex);
    m_sessions[s] = sp;
}

void Server::unregister_session(Session* s) {
    std::lock_guard lock(m_sessions_mutex);
    m_sessions.erase(s);
}

void Server::do_accept() {
    m_acceptor.async_accept(net::make_strand(m_ioc), [this](beast::error_code ec, tcp::socket socket) {
        if (ec) {
            if (!m_acceptor.is_open()) {
                return; // closed by stop()
            }
        } else if (m_router.metrics().connections_active.load() >= m_config.limits.max_connections) {
            // Over the limit: a short 503 and close, without reading the request.
            ++m_router.metrics().connections_rejected;
            auto sock = std::make_shared<tcp::socket>(std::move(socket));
            net::async_write(*sock, net::buffer(busy_reply()), [sock](beast::error_code, std::size_t) {
                beast::error_code ignored;
                sock->shutdown(tcp::socket::shutdown_send, ignored);
                sock->close(ignored);
            });
        } else {
            // Beast writes the head and the body separately: without TCP_NODELAY, Nagle's
            // algorithm and the client's delayed ACK add ~40 ms to every response.
            beast::error_code ignored;
            socket.set_option(tcp::no_delay(true), ignored);
            std::make_shared<Session>(std::move(socket), *this)->start();
        }
        if (!m_stopping) {
            do_accept();
        }
    });
}

void Server::stop() {
    net::post(m_ioc, [this] {
        // Draining first: from here on every response says Connection: close, so a session that
        // sees m_stopping (below) and grants its one drain grace gets a closing answer to it.
        m_router.set_draining();
        if (m_stopping.exchange(true)) {
            return;
        }
        beast::error_code ignored;
        m_acceptor.close(ignored);
        std::vector<std::shared_ptr<Session>> live;
        {
            std::lock_guard lock(m_sessions_mutex);
            for (auto& [ptr, weak] : m_sessions) {
                if (auto sp = weak.lock()) {
                    live.push_back(std::move(sp));
                }
            }
        }
        for (auto& s : live) {
            s->close_if_idle();
        }
        m_drain_deadline = std::chrono::steady_clock::now() + m_config.limits.drain_timeout;
        drain_tick();
    });
}

void Server::drain_tick() {
    bool empty = false;
    {
        std::lock_guard lock(m_sessions_mutex);
        empty = m_sessions.empty();
    }
    if (empty || std::chrono::steady_clock::now() >= m_drain_deadline) {
        m_ioc.stop();
        return;
    }
    m_drain_timer.expires_after(std::chrono::milliseconds(20));
    m_drain_timer.async_wait([this](beast::error_code) { drain_tick(); });
}

void Server::run() {
    m_signals.async_wait([this](beast::error_code ec, int) {
        if (!ec) {
            stop();
        }
    });
    do_accept();
    unsigned threads = m_config.threads != 0 ? m_config.threads : std::max(1U, std::thread::hardware_concurrency());
    std::vector<std::thread> pool;
    pool.reserve(threads - 1);
    for (unsigned i = 1; i < threads; ++i) {
        pool.emplace_back([this] { m_ioc.run(); });
    }
    m_ioc.run();
    for (auto& t : pool) {
        t.join();
    }
}

} // namespace tileserver
