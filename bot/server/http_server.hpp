#pragma once
#include <array>
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

// Why the server itself answered a request, before any route saw it. Counted
// for /metrics: a client sending ambiguous framing or a flood at the body
// budget shows up there, not only in the log.
enum class Refusal : std::size_t {
    framing,            // 400: Transfer-Encoding other than exactly chunked, or with Content-Length
    malformed,          // 400: not HTTP
    body_too_large,     // 413: over the route's body limit
    headers_too_large,  // 431
    too_slow,           // 408: not received within header_timeout
    body_budget,        // 503: server.max_body_bytes_in_flight reached
    silent,             // no answer: a new connection sent nothing within header_timeout
    count_
};
std::string_view to_string(Refusal refusal);

struct ServerCounters {
    std::array<std::uint64_t, static_cast<std::size_t>(Refusal::count_)> refused{};
    std::uint64_t accept_failures = 0;  // accept() errors (EMFILE, ...), each followed by a backoff
    std::uint64_t cap_waits = 0;        // times the accept loop paused at server.max_connections
    std::size_t connections_open = 0;
    std::size_t connections_cap = 0;
    std::size_t body_bytes_in_flight = 0;
};

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
    ServerCounters counters() const;

    struct State;  // shared with the connection coroutines, which may outlive a call

private:
    std::shared_ptr<State> state_;
};

}  // namespace hpops::bot
