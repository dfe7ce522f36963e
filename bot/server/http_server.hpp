#pragma once
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <memory>

#include "bot/server/http_message.hpp"
#include "hpops/config.hpp"

namespace hpops::bot {

using RequestHandler = std::function<boost::asio::awaitable<HttpOut>(HttpIn)>;
// The largest body a request for `target` may carry; decided once its header
// is in. Empty: ServerConfig::body_limit for every target.
using BodyLimitFor = std::function<std::size_t(std::string_view target)>;

// Accepts connections and runs one session coroutine per connection. Knows
// nothing of Slack or commands: every request goes to `handler`.
class HttpServer {
public:
    HttpServer(boost::asio::io_context& io, ServerConfig config, RequestHandler handler, BodyLimitFor body_limit_for = {});
    ~HttpServer();

    // Binds and starts accepting; returns the bound port (useful with port 0).
    std::uint16_t start();
    // Stops accepting; sessions finish the request they are serving and close.
    void stop_accepting();
    bool draining() const;
    long requests_in_flight() const;
    std::size_t connections_open() const;       // against server.max_connections
    std::size_t body_bytes_in_flight() const;   // against server.max_body_bytes_in_flight

    struct State;  // shared with the connection coroutines, which may outlive a call

private:
    std::shared_ptr<State> state_;
};

}  // namespace hpops::bot
