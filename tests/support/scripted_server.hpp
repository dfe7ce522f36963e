#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bot/server/http_server.hpp"

namespace hpops::testing {

// A loopback stand-in for a backend nothing real can replace in a unit test
// (throttling on cue, a slow answer), served by hpops's own HTTP server on port
// 0 in its own thread. `script` answers each request, given the request and
// its 1-based number; every request is kept for the test to inspect.
class ScriptedServer {
public:
    using Script = std::function<bot::HttpOut(const bot::HttpIn& request, int number)>;

    // `config` sets limits and timeouts; the server always listens on 127.0.0.1, port 0.
    explicit ScriptedServer(Script script, std::chrono::milliseconds delay = std::chrono::milliseconds(0),
                            ServerConfig config = {})
        : script_(std::move(script)), delay_(delay),
          server_(io_, on_loopback(std::move(config)),
                  [this](bot::HttpIn in) { return respond(std::move(in)); }),
          port_(server_.start()), thread_([this] { io_.run(); }) {}
    ~ScriptedServer() {
        io_.stop();
        thread_.join();
    }

    std::uint16_t port() const { return port_; }
    const bot::HttpServer& server() const { return server_; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    std::vector<bot::HttpIn> received() const {
        std::lock_guard lock(mutex_);
        return received_;
    }

private:
    static ServerConfig on_loopback(ServerConfig config) {
        config.host = "127.0.0.1";
        config.port = 0;
        return config;
    }

    boost::asio::awaitable<bot::HttpOut> respond(bot::HttpIn in) {
        int number = 0;
        {
            std::lock_guard lock(mutex_);
            received_.push_back(in);
            number = static_cast<int>(received_.size());
        }
        if (delay_.count() > 0) {
            boost::asio::steady_timer timer(io_, delay_);
            co_await timer.async_wait(boost::asio::use_awaitable);
        }
        co_return script_(in, number);
    }

    boost::asio::io_context io_;
    Script script_;
    std::chrono::milliseconds delay_;
    mutable std::mutex mutex_;
    std::vector<bot::HttpIn> received_;
    bot::HttpServer server_;
    std::uint16_t port_;
    std::thread thread_;
};

}  // namespace hpops::testing
