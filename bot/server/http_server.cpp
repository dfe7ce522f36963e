#include "bot/server/http_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <optional>
#include <spdlog/spdlog.h>

#include "bot/server/body_budget.hpp"
#include "bot/server/buffered_parse.hpp"
#include "bot/server/connection_gate.hpp"
#include "bot/server/request_framing.hpp"
#include "bot/server/response_writer.hpp"
#include "common/log_throttle.hpp"

namespace hpops::bot {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct HttpServer::State {
    State(asio::io_context& io_, ServerConfig config_, RequestHandler handler_, BodyLimitFor body_limit_for_)
        : io(io_), config(std::move(config_)), handler(std::move(handler_)),
          body_limit_for(std::move(body_limit_for_)), accept_strand(asio::make_strand(io_)), acceptor(accept_strand),
          gate(std::make_shared<ConnectionGate>(accept_strand, connection_cap(config.max_connections, descriptor_limit()))),
          bodies(config.max_body_bytes_in_flight) {}
    asio::io_context& io;
    const ServerConfig config;
    const RequestHandler handler;
    const BodyLimitFor body_limit_for;
    asio::strand<asio::io_context::executor_type> accept_strand;  // the accept loop, the acceptor and the gate's wait
    tcp::acceptor acceptor;
    const std::shared_ptr<ConnectionGate> gate;
    LogThrottle accept_errors_log;
    BodyBudget bodies;
    std::optional<asio::ssl::context> tls;
    std::atomic<bool> draining{false};
    std::atomic<long> in_flight{0};
    std::array<std::atomic<std::uint64_t>, static_cast<std::size_t>(Refusal::count_)> refused{};
    std::atomic<std::uint64_t> accept_failures{0};
    std::atomic<std::uint64_t> cap_waits{0};

    void count(Refusal refusal) { refused[static_cast<std::size_t>(refusal)].fetch_add(1, std::memory_order_relaxed); }
};

namespace {

constexpr std::size_t header_limit = 16 * 1024;

HttpIn to_http_in(http::request<http::string_body>&& request, const std::string& remote) {
    HttpIn in;
    in.method = std::string(request.method_string());
    in.target = std::string(request.target());
    in.headers.reserve(512);
    for (const auto& field : request) in.headers.add(field.name_string(), field.value());
    in.body = std::move(request.body());
    in.remote = remote;
    return in;
}

std::string_view framing_problem_of(const http::request_parser<http::string_body>& parser) {
    const auto& header = parser.get();
    std::vector<std::string_view> transfer_encodings;
    for (auto [at, end] = header.equal_range(http::field::transfer_encoding); at != end; ++at)
        transfer_encodings.push_back(at->value());
    return framing_problem(header.version(), transfer_encodings, header.count(http::field::content_length) > 0);
}

// Counts a request as in flight for graceful shutdown, even if the handler throws.
struct InFlight {
    std::atomic<long>& count;
    explicit InFlight(std::atomic<long>& c) : count(c) { count.fetch_add(1); }
    ~InFlight() { count.fetch_sub(1); }
};

// Answers a request we will not read, then reads and discards what the client
// is still sending for a moment before closing ("lingering close"): closing at
// once would reset the connection and the client might never see the answer.
template <class Stream>
asio::awaitable<void> write_rejection(Stream& stream, const HttpOut& response, std::chrono::milliseconds timeout) {
    auto& tcp_layer = beast::get_lowest_layer(stream);
    tcp_layer.expires_after(timeout);
    beast::error_code ec;
    co_await write_response(stream, response, 11, false, ec);
    if (ec) co_return;
    tcp_layer.socket().shutdown(tcp::socket::shutdown_send, ec);
    tcp_layer.expires_after(std::chrono::seconds(2));
    std::array<char, 16 * 1024> sink;
    for (std::size_t drained = 0; !ec && drained < 8 * 1024 * 1024;)
        drained += co_await tcp_layer.async_read_some(asio::buffer(sink), asio::redirect_error(asio::use_awaitable, ec));
}

Refusal refusal_for(const beast::error_code& ec, bool over_budget) {
    if (over_budget) return Refusal::body_budget;
    if (ec == http::error::body_limit) return Refusal::body_too_large;
    if (ec == http::error::header_limit) return Refusal::headers_too_large;
    if (ec == beast::error::timeout) return Refusal::too_slow;
    return Refusal::malformed;
}

// The answer to a request that could not be read whole.
HttpOut rejection_for(Refusal refusal, const beast::error_code& ec, std::size_t limit) {
    switch (refusal) {
        case Refusal::body_budget: {
            HttpOut out = text_response(503, "too many request bodies in flight; retry shortly");
            out.headers.emplace_back("Retry-After", "1");
            return out;
        }
        case Refusal::body_too_large:
            return text_response(413, "request body is larger than " + std::to_string(limit) + " bytes");
        case Refusal::headers_too_large: return text_response(431, "request headers are too large");
        case Refusal::too_slow: return text_response(408, "request not received in time");
        default: return text_response(400, "malformed HTTP request: " + ec.message());
    }
}

// One connection: read -> handle -> write, with a fresh parser, body limit and
// deadline per request, until the peer leaves, times out, or we drain.
template <class Stream>
asio::awaitable<void> serve_requests(Stream& stream, std::shared_ptr<HttpServer::State> state, std::string remote) {
    auto& tcp_layer = beast::get_lowest_layer(stream);
    const auto& config = state->config;
    beast::flat_buffer buffer;
    beast::error_code ec;
    for (bool first_request = true;; first_request = false) {
        // A new connection has header_timeout for all of its first request: a
        // silent one used to hold its descriptor for idle_timeout (60 s).
        // Between keep-alive requests the next may take idle_timeout to begin...
        if (buffer.size() == 0) {
            tcp_layer.expires_after(first_request ? config.header_timeout : config.idle_timeout);
            std::size_t n = co_await stream.async_read_some(buffer.prepare(4096), asio::redirect_error(asio::use_awaitable, ec));
            if (ec == beast::error::timeout && first_request) state->count(Refusal::silent);
            if (ec) co_return;  // end_of_stream, timeout or reset: the ordinary ends of a connection
            buffer.commit(n);
        }
        // ...and then header_timeout from its first byte, so a slow client cannot hold the connection.
        if (!first_request) tcp_layer.expires_after(config.header_timeout);
        // The body's bytes count against max_body_bytes_in_flight until it is answered.
        BodyBudget::Charge body_charge(state->bodies);
        bool over_budget = false;
        auto charge_chunk = [&](std::uint64_t size, std::string_view, beast::error_code& chunk_ec) {
            if (body_charge.add(size)) return;
            over_budget = true;
            chunk_ec = http::error::body_limit;
        };
        http::request_parser<http::string_body> parser;
        parser.on_chunk_header(charge_chunk);
        std::size_t limit = config.body_limit;
        // Beast checks Content-Length against the limit while it parses the
        // header, before the target is known: no limit until then, and the
        // route's own after (alert webhooks take more than Slack's routes).
        parser.body_limit(boost::none);
        parser.header_limit(header_limit);
        parse_buffered(parser, buffer, ec, [&] { return parser.is_header_done(); });
        if (!ec && !parser.is_header_done())
            co_await http::async_read_header(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
        if (!ec) {
            if (const std::string_view problem = framing_problem_of(parser); !problem.empty()) {
                state->count(Refusal::framing);
                co_await write_rejection(stream, text_response(400, "ambiguous request framing: " + std::string(problem)),
                                         config.header_timeout);
                co_return;
            }
            if (state->body_limit_for) limit = state->body_limit_for(parser.get().target());
            const auto length = parser.content_length();
            if (length && *length > limit) ec = http::error::body_limit;
            over_budget = !ec && length && !body_charge.add(*length);
            if (over_budget) ec = http::error::body_limit;
        }
        if (!ec) {
            parser.body_limit(limit);  // still enforced for chunked bodies, chunk by chunk
            parse_buffered(parser, buffer, ec, [&] { return parser.is_done(); });
            if (!ec && !parser.is_done())
                co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
        }
        if (ec == http::error::end_of_stream) co_return;
        if (ec) {
            const Refusal refusal = refusal_for(ec, over_budget);
            state->count(refusal);
            co_await write_rejection(stream, rejection_for(refusal, ec, limit), config.header_timeout);
            co_return;
        }
        auto request = parser.release();
        const unsigned version = request.version();
        HttpOut out;
        bool keep_alive = request.keep_alive();
        {
            InFlight guard(state->in_flight);
            try {
                out = co_await state->handler(to_http_in(std::move(request), remote));
            } catch (const std::exception& error) {
                spdlog::error("request from {} failed: {}", remote, error.what());
                out = text_response(500, "internal error");
            }
            keep_alive = keep_alive && !state->draining.load();
            tcp_layer.expires_after(config.header_timeout);
            co_await write_response(stream, out, version, keep_alive, ec);
        }
        if (ec || !keep_alive) co_return;
    }
}

// `ticket` counts the connection against max_connections until the socket is closed.
asio::awaitable<void> serve_plain(ConnectionGate::Ticket ticket, tcp::socket socket, std::shared_ptr<HttpServer::State> state,
                                  std::string remote) {
    beast::tcp_stream stream(std::move(socket));
    co_await serve_requests(stream, state, remote);
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

asio::awaitable<void> serve_tls(ConnectionGate::Ticket ticket, tcp::socket socket, std::shared_ptr<HttpServer::State> state,
                                std::string remote) {
    beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), *state->tls);
    beast::get_lowest_layer(stream).expires_after(state->config.header_timeout);
    beast::error_code ec;
    co_await stream.async_handshake(asio::ssl::stream_base::server, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;  // a client that fails TLS never reaches a route
    co_await serve_requests(stream, state, remote);
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(5));
    co_await stream.async_shutdown(asio::redirect_error(asio::use_awaitable, ec));
}

// After a failed accept: 10 ms, doubling to 1 s. Out of descriptors (EMFILE),
// an immediate retry fails the same way, and looping on it took a core.
std::chrono::milliseconds next_accept_backoff(std::chrono::milliseconds last) {
    return last.count() == 0 ? std::chrono::milliseconds(10) : std::min(2 * last, std::chrono::milliseconds(1000));
}

asio::awaitable<void> accept_loop(std::shared_ptr<HttpServer::State> state) {
    asio::steady_timer backoff_timer(state->accept_strand);
    std::chrono::milliseconds backoff{0};
    for (;;) {
        if (state->gate->open_connections() >= state->gate->cap()) state->cap_waits.fetch_add(1, std::memory_order_relaxed);
        co_await state->gate->wait_for_room();
        if (!state->acceptor.is_open()) co_return;
        auto [ec, socket] = co_await state->acceptor.async_accept(asio::make_strand(state->io), asio::as_tuple(asio::use_awaitable));
        if (ec) {
            if (ec == asio::error::operation_aborted || !state->acceptor.is_open()) co_return;
            if (ec == asio::error::connection_aborted) continue;  // that client gave up while queued
            backoff = next_accept_backoff(backoff);
            state->accept_failures.fetch_add(1, std::memory_order_relaxed);
            if (auto held_back = state->accept_errors_log.allow())
                spdlog::warn("accept failed: {} ({} open connections; retrying in {} ms; {} more failures since the last report)",
                             ec.message(), state->gate->open_connections(), backoff.count(), *held_back);
            backoff_timer.expires_after(backoff);
            co_await backoff_timer.async_wait(asio::as_tuple(asio::use_awaitable));
            continue;
        }
        backoff = std::chrono::milliseconds(0);
        auto ticket = state->gate->admit();
        beast::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        auto peer = socket.remote_endpoint(ignored);
        std::string remote = peer.address().to_string() + ":" + std::to_string(peer.port());
        auto executor = socket.get_executor();
        if (state->tls)
            asio::co_spawn(executor, serve_tls(std::move(ticket), std::move(socket), state, std::move(remote)), asio::detached);
        else
            asio::co_spawn(executor, serve_plain(std::move(ticket), std::move(socket), state, std::move(remote)), asio::detached);
    }
}

}  // namespace

HttpServer::HttpServer(asio::io_context& io, ServerConfig config, RequestHandler handler, BodyLimitFor body_limit_for)
    : state_(std::make_shared<State>(io, std::move(config), std::move(handler), std::move(body_limit_for))) {
    if (!state_->config.tls_cert_file.empty()) {
        state_->tls.emplace(asio::ssl::context::tls_server);
        state_->tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                                 asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                                 asio::ssl::context::no_tlsv1_1);
        state_->tls->use_certificate_chain_file(state_->config.tls_cert_file);
        state_->tls->use_private_key_file(state_->config.tls_key_file, asio::ssl::context::pem);
    }
}

HttpServer::~HttpServer() { stop_accepting(); }

std::uint16_t HttpServer::start() {
    tcp::endpoint endpoint(asio::ip::make_address(state_->config.host), state_->config.port);
    auto& acceptor = state_->acceptor;
    acceptor.open(endpoint.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(asio::socket_base::max_listen_connections);
    const std::size_t descriptors = descriptor_limit();
    if (state_->gate->cap() + 16 > descriptors)
        spdlog::warn("server.max_connections {} leaves little of the descriptor limit ({}): accepts will fail and back off",
                     state_->gate->cap(), descriptors);
    spdlog::info("accepting at most {} connections at once (descriptor limit {})", state_->gate->cap(), descriptors);
    asio::co_spawn(state_->accept_strand, accept_loop(state_), asio::detached);
    return acceptor.local_endpoint().port();
}

void HttpServer::stop_accepting() {
    state_->draining = true;
    // The acceptor and the gate belong to the accept loop's strand; close them there.
    asio::post(state_->accept_strand, [state = state_] {
        beast::error_code ec;
        state->acceptor.close(ec);
        state->gate->close();
    });
}

bool HttpServer::draining() const { return state_->draining.load(); }

long HttpServer::requests_in_flight() const { return state_->in_flight.load(); }

std::size_t HttpServer::connections_open() const { return state_->gate->open_connections(); }

std::size_t HttpServer::body_bytes_in_flight() const { return state_->bodies.in_use(); }

ServerCounters HttpServer::counters() const {
    ServerCounters counters;
    for (std::size_t i = 0; i < counters.refused.size(); ++i)
        counters.refused[i] = state_->refused[i].load(std::memory_order_relaxed);
    counters.accept_failures = state_->accept_failures.load(std::memory_order_relaxed);
    counters.cap_waits = state_->cap_waits.load(std::memory_order_relaxed);
    counters.connections_open = state_->gate->open_connections();
    counters.connections_cap = state_->gate->cap();
    counters.body_bytes_in_flight = state_->bodies.in_use();
    return counters;
}

std::string_view to_string(Refusal refusal) {
    static constexpr std::string_view names[] = {"framing", "malformed", "body_too_large", "headers_too_large",
                                                 "too_slow", "body_budget", "silent"};
    static_assert(std::size(names) == static_cast<std::size_t>(Refusal::count_));
    return names[static_cast<std::size_t>(refusal)];
}

}  // namespace hpops::bot
