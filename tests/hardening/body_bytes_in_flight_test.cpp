// Finding 6 (part): every connection could hold a body up to its route's limit
// before any route checked who sent it. The server now has a budget of body
// bytes in flight: a request whose Content-Length would pass what is left gets
// 503 with Retry-After at once, and chunked bodies are charged as they grow.
#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "tests/support/raw_socket.hpp"
#include "tests/support/scripted_server.hpp"

using namespace hpops;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t budget = 100 * 1024;

std::string post_head(std::size_t length) {
    return "POST /x HTTP/1.1\r\nHost: hpops\r\nConnection: close\r\nContent-Length: " + std::to_string(length) + "\r\n\r\n";
}

std::string chunked(std::size_t size) {
    char hex[32];
    std::snprintf(hex, sizeof hex, "%zx", size);
    return "POST /x HTTP/1.1\r\nHost: hpops\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n" + std::string(hex) +
           "\r\n" + std::string(size, 'c') + "\r\n0\r\n\r\n";
}

class BodyBytesInFlight : public ::testing::Test {
protected:
    static ServerConfig config() {
        ServerConfig c;
        c.max_body_bytes_in_flight = budget;
        c.header_timeout = 60s;  // the half-sent body waits for the test, not the clock
        return c;
    }
    hpops::testing::ScriptedServer server{[](const bot::HttpIn& in, int) { return bot::text_response(200, "read " + std::to_string(in.body.size())); },
                                   0ms, config()};

    std::string answer(const std::string& request) {
        hpops::testing::RawSocket socket(server.port());
        socket.send(request);
        return socket.read_until_closed(10s).bytes;
    }

    // Holds 80 KiB of the budget: a request whose body is declared but not yet sent in full.
    std::unique_ptr<hpops::testing::RawSocket> hold_most_of_the_budget() {
        auto holder = std::make_unique<hpops::testing::RawSocket>(server.port());
        holder->send(post_head(80 * 1024) + std::string(1024, 'h'));
        for (auto deadline = std::chrono::steady_clock::now() + 10s;
             server.server().body_bytes_in_flight() < 80 * 1024 && std::chrono::steady_clock::now() < deadline;)
            std::this_thread::sleep_for(10ms);
        EXPECT_EQ(server.server().body_bytes_in_flight(), 80u * 1024);
        return holder;
    }
};

}  // namespace

TEST_F(BodyBytesInFlight, ADeclaredBodyPastTheBudgetGets503WithRetryAfter) {
    auto holder = hold_most_of_the_budget();
    const std::string refused = answer(post_head(30 * 1024) + std::string(30 * 1024, 'b'));
    EXPECT_TRUE(refused.starts_with("HTTP/1.1 503 ")) << refused;
    EXPECT_NE(refused.find("Retry-After: 1\r\n"), std::string::npos) << refused;
    EXPECT_EQ(server.server().counters().refused[static_cast<std::size_t>(bot::Refusal::body_budget)], 1u);
    // What still fits is read.
    EXPECT_NE(answer(post_head(10 * 1024) + std::string(10 * 1024, 's')).find("read 10240"), std::string::npos);

    // Once the held body is answered its bytes are free again.
    holder->send(std::string(79 * 1024, 'h'));
    EXPECT_NE(holder->read_until_closed(10s).bytes.find("read 81920"), std::string::npos);
    EXPECT_NE(answer(post_head(30 * 1024) + std::string(30 * 1024, 'b')).find("read 30720"), std::string::npos);
    EXPECT_EQ(server.server().body_bytes_in_flight(), 0u);
}

TEST_F(BodyBytesInFlight, AChunkedBodyIsChargedAsItGrows) {
    auto holder = hold_most_of_the_budget();
    const std::string refused = answer(chunked(30 * 1024));
    EXPECT_TRUE(refused.starts_with("HTTP/1.1 503 ")) << refused;
    EXPECT_NE(answer(chunked(10 * 1024)).find("read 10240"), std::string::npos);
}
