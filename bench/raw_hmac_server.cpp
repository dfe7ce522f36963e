// raw_hmac_server: the transport baseline for bench/run.sh.
//
//   raw_hmac_server PORT THREADS [SIGNING_SECRET [BODY_FILE [TRANSPORT]]]
//
// A minimal Beast HTTP/1.1 keep-alive server shaped like hpops's own
// (bot/server/http_server.cpp) apart from how it reads and writes (see
// TRANSPORT): C++20 coroutines, one strand per connection, TCP_NODELAY, a
// fresh parser and deadline per request. It does only what every
// Slack request must cost: read it, verify Slack's v0 signature with the same
// function hpops uses, and answer a small fixed JSON body (401 when the
// signature does not verify). No routing, replay guard, form parsing, roles,
// metrics or rendering, so hpops's rate divided by this one is the share of
// the raw transport that hpops keeps.
//
// TRANSPORT `beast` (the default) reads with http::async_read and writes with
// http::async_write, as Beast's examples do. `hpops` reads and writes the way
// hpops's server does instead: a request already in the buffer is parsed in
// place (bot/server/buffered_parse.hpp) and the answer goes out with hpops's
// own head (bot/server/response_writer.hpp). run.sh's RAW_TRANSPORT picks it,
// to tell the cost of hpops's route apart from the cost of the transport.
//
// Prints "listening on 127.0.0.1:PORT" once bound (port 0 picks a free one).
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "bot/server/buffered_parse.hpp"
#include "bot/server/response_writer.hpp"
#include "bot/slack/slack_signature.hpp"

namespace {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Same limits and timeouts as deploy/examples/local.yaml, so both servers do
// the same bookkeeping per request.
constexpr std::size_t body_limit = 1024 * 1024;
constexpr std::size_t header_limit = 16 * 1024;
constexpr auto header_timeout = std::chrono::seconds(10);
constexpr auto idle_timeout = std::chrono::seconds(60);
constexpr auto timestamp_tolerance = std::chrono::seconds(300);

constexpr std::string_view ok_body = R"({"response_type":"ephemeral","text":"ok"})";
// What a verified request gets: ok_body, or the bytes of BODY_FILE (run.sh
// passes hpops's own answer to `/hp help`, so both servers send as much).
std::string answer_body{ok_body};
bool hpops_transport = false;  // TRANSPORT: see the header

// The request handling, apart from the socket code: verify, then answer.
http::response<http::string_body> handle(const http::request<http::string_body>& request, const std::string& secret) {
    auto check = hpops::bot::verify_slack_signature(secret, request["X-Slack-Request-Timestamp"],
                                                    request["X-Slack-Signature"], request.body(),
                                                    std::chrono::system_clock::now(), timestamp_tolerance);
    http::response<http::string_body> response{check.ok ? http::status::ok : http::status::unauthorized,
                                               request.version()};
    response.set(http::field::server, "raw_hmac_server");
    if (check.ok) {
        response.set(http::field::content_type, "application/json; charset=utf-8");
        response.body() = answer_body;
    } else {
        response.set(http::field::content_type, "text/plain; charset=utf-8");
        response.body() = check.reason + "\n";
    }
    response.keep_alive(request.keep_alive());
    response.prepare_payload();
    return response;
}

// The same check answered as an hpops HttpOut, for the hpops-shaped transport.
hpops::bot::HttpOut handle_plain(const http::request<http::string_body>& request, const std::string& secret) {
    auto check = hpops::bot::verify_slack_signature(secret, request["X-Slack-Request-Timestamp"],
                                                    request["X-Slack-Signature"], request.body(),
                                                    std::chrono::system_clock::now(), timestamp_tolerance);
    if (!check.ok) return hpops::bot::text_response(401, check.reason);
    return hpops::bot::json_response(200, answer_body);
}

// The hpops-shaped connection: parse what is buffered in place, read only
// what is missing, write with hpops's head.
asio::awaitable<void> session_hpops_shaped(beast::tcp_stream& stream, const std::string& secret) {
    beast::flat_buffer buffer;
    beast::error_code ec;
    for (;;) {
        if (buffer.size() == 0) {
            stream.expires_after(idle_timeout);
            std::size_t n = co_await stream.async_read_some(buffer.prepare(4096), asio::redirect_error(asio::use_awaitable, ec));
            if (ec) break;
            buffer.commit(n);
        }
        http::request_parser<http::string_body> parser;
        parser.body_limit(body_limit);
        parser.header_limit(header_limit);
        stream.expires_after(header_timeout);
        hpops::bot::parse_buffered(parser, buffer, ec, [&] { return parser.is_done(); });
        if (!ec && !parser.is_done())
            co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) break;
        const auto out = handle_plain(parser.get(), secret);
        const bool keep_alive = parser.get().keep_alive();
        co_await hpops::bot::write_response(stream, out, parser.get().version(), keep_alive, ec);
        if (ec || !keep_alive) break;
    }
}

// One connection: read -> handle -> write until the peer leaves or times out.
// `secret` lives in main() for the whole run, so a reference is safe here.
asio::awaitable<void> session(beast::tcp_stream stream, const std::string& secret) {
    beast::flat_buffer buffer;
    beast::error_code ec;
    if (hpops_transport) {
        co_await session_hpops_shaped(stream, secret);
        stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        co_return;
    }
    for (;;) {
        // Same two deadlines as hpops: idle between requests, then the whole request.
        if (buffer.size() == 0) {
            stream.expires_after(idle_timeout);
            std::size_t n = co_await stream.async_read_some(buffer.prepare(4096), asio::redirect_error(asio::use_awaitable, ec));
            if (ec) break;  // end_of_stream, timeout or reset: ordinary ends of a connection
            buffer.commit(n);
        }
        http::request_parser<http::string_body> parser;
        parser.body_limit(body_limit);
        parser.header_limit(header_limit);
        stream.expires_after(header_timeout);
        co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) break;  // end_of_stream or a malformed request: the benchmark sends neither
        auto response = handle(parser.get(), secret);
        const bool keep_alive = response.keep_alive();
        co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
        if (ec || !keep_alive) break;
    }
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

asio::awaitable<void> accept_loop(asio::io_context& io, tcp::acceptor& acceptor, const std::string& secret) {
    for (;;) {
        // A strand per connection, as hpops does, so a session's handlers never run concurrently.
        auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(io), asio::as_tuple(asio::use_awaitable));
        if (ec) {
            if (!acceptor.is_open()) co_return;
            continue;
        }
        beast::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        auto executor = socket.get_executor();
        asio::co_spawn(executor, session(beast::tcp_stream(std::move(socket)), secret), asio::detached);
    }
}

int parse_int(const char* text, int low, int high, const char* what) {
    int value = 0;
    std::string_view s(text);
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc{} || end != s.data() + s.size() || value < low || value > high) {
        std::cerr << "raw_hmac_server: " << what << " must be " << low << ".." << high << ", got '" << s << "'\n";
        std::exit(2);
    }
    return value;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3 || argc > 6) {
        std::cerr << "usage: raw_hmac_server PORT THREADS [SIGNING_SECRET [BODY_FILE [beast|hpops]]]\n";
        return 2;
    }
    const auto port = static_cast<unsigned short>(parse_int(argv[1], 0, 65535, "PORT"));
    const int threads = parse_int(argv[2], 1, 64, "THREADS");
    // The default matches deploy/examples/local.yaml's local-only secret.
    const std::string secret = argc >= 4 ? argv[3] : "local-dev-signing-secret";
    if (argc == 6) {
        const std::string_view transport = argv[5];
        if (transport != "beast" && transport != "hpops") {
            std::cerr << "raw_hmac_server: TRANSPORT must be beast or hpops, got '" << transport << "'\n";
            return 2;
        }
        hpops_transport = transport == "hpops";
    }
    if (argc >= 5) {
        std::ifstream file(argv[4], std::ios::binary);
        if (!file) {
            std::cerr << "raw_hmac_server: cannot read " << argv[4] << "\n";
            return 2;
        }
        answer_body.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
    }

    asio::io_context io(threads);
    // Loopback only: this is a benchmark peer, never a service.
    tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port);
    tcp::acceptor acceptor(io);
    acceptor.open(endpoint.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(asio::socket_base::max_listen_connections);
    std::cout << "listening on 127.0.0.1:" << acceptor.local_endpoint().port() << std::endl;

    asio::co_spawn(io, accept_loop(io, acceptor, secret), asio::detached);
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const beast::error_code&, int) { io.stop(); });

    std::vector<std::thread> pool;
    for (int i = 1; i < threads; ++i) pool.emplace_back([&io] { io.run(); });
    io.run();
    for (auto& thread : pool) thread.join();
    return 0;
}
