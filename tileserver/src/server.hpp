#pragma once
// Server: the Boost.Asio/Beast network side. One io_context run by N threads (one per core);
// each connection is a Session on its own strand, HTTP/1.1 keep-alive, with header, body and
// write timeouts, body and header size limits and a cap on concurrent connections.
// SIGTERM/SIGINT stop accepting, close idle connections, let requests in flight finish, exit.

#include "config.hpp"
#include "router.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace tileserver {

class Session;

class Server {
  public:
    /// Binds and listens (throws geo::IoError when the address is taken or invalid).
    Server(const ServerConfig& config, Router& router);

    /// The bound port (useful with --port 0).
    [[nodiscard]] std::uint16_t port() const noexcept { return m_port; }

    /// Serve until SIGTERM/SIGINT (or stop()), then drain. Blocks.
    void run();
    /// Begin a graceful shutdown (thread-safe).
    void stop();

  private:
    friend class Session;
    void do_accept();
    void drain_tick();
    void register_session(Session* s, const std::shared_ptr<Session>& sp);
    void unregister_session(Session* s);

    const ServerConfig& m_config;
    Router& m_router;
    boost::asio::io_context m_ioc;
    boost::asio::ip::tcp::acceptor m_acceptor;
    boost::asio::signal_set m_signals;
    boost::asio::steady_timer m_drain_timer;
    std::chrono::steady_clock::time_point m_drain_deadline;
    std::uint16_t m_port = 0;
    std::atomic<bool> m_stopping{false};
    std::mutex m_sessions_mutex;
    std::unordered_map<Session*, std::weak_ptr<Session>> m_sessions;
};

} // namespace tileserver
