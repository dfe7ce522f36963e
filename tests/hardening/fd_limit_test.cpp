// Finding 3: at the descriptor limit the accept loop spun, and a silent new
// connection held its descriptor for idle_timeout (60 s). Now connections are
// capped below the limit (hpops stops accepting at the cap) and a new one has
// header_timeout for its whole first request. The spin itself, with a real
// `ulimit -n`, is tests/e2e/test_hardening_fd_limit.py.
#include <gtest/gtest.h>

#include <memory>
#include <thread>

#include "bot/server/connection_gate.hpp"
#include "tests/support/raw_socket.hpp"
#include "tests/support/scripted_server.hpp"

using namespace hpops;
using namespace std::chrono_literals;

namespace {

bot::HttpOut ok(const bot::HttpIn& in, int) { return bot::text_response(200, "saw " + in.target); }

bool eventually(const std::function<bool()>& condition) {
    for (auto deadline = std::chrono::steady_clock::now() + 10s; std::chrono::steady_clock::now() < deadline;) {
        if (condition()) return true;
        std::this_thread::sleep_for(10ms);
    }
    return condition();
}

// A header timeout far shorter than the idle one, so the two cannot be confused.
ServerConfig short_header_timeout() {
    ServerConfig config;
    config.header_timeout = 300ms;
    config.idle_timeout = 60s;
    return config;
}

constexpr std::string_view request_then_close = "GET /x HTTP/1.1\r\nHost: hpops\r\nConnection: close\r\n\r\n";

}  // namespace

TEST(FdLimit, ASilentNewConnectionIsClosedAfterTheHeaderTimeout) {
    hpops::testing::ScriptedServer server(ok, 0ms, short_header_timeout());
    hpops::testing::RawSocket silent(server.port());
    const auto answer = silent.read_until_closed(20s);  // it used to stay open for the idle timeout
    EXPECT_TRUE(answer.closed);
    EXPECT_TRUE(answer.bytes.empty()) << answer.bytes;  // nothing was asked, nothing is answered
    EXPECT_TRUE(eventually([&] { return server.server().connections_open() == 0; }));
    EXPECT_EQ(server.server().counters().refused[static_cast<std::size_t>(bot::Refusal::silent)], 1u);
}

TEST(FdLimit, BetweenKeepAliveRequestsTheIdleTimeoutStillApplies) {
    hpops::testing::ScriptedServer server(ok, 0ms, short_header_timeout());
    hpops::testing::RawSocket client(server.port());
    client.send("GET /first HTTP/1.1\r\nHost: hpops\r\n\r\n");
    ASSERT_NE(client.read_until_closed(1s).bytes.find("saw /first"), std::string::npos);
    std::this_thread::sleep_for(900ms);  // three header timeouts, well inside the idle one
    client.send(request_then_close);
    const auto answer = client.read_until_closed(10s);
    EXPECT_NE(answer.bytes.find("saw /x"), std::string::npos) << answer.bytes;
}

TEST(FdLimit, AtTheCapANewConnectionWaitsUntilOneCloses) {
    ServerConfig config;
    config.max_connections = 2;
    config.header_timeout = 60s;
    hpops::testing::ScriptedServer server(ok, 0ms, config);
    auto first = std::make_unique<hpops::testing::RawSocket>(server.port());
    hpops::testing::RawSocket second(server.port());
    ASSERT_TRUE(eventually([&] { return server.server().connections_open() == 2; }));

    hpops::testing::RawSocket third(server.port());  // the kernel's backlog takes it; hpops does not accept it yet
    third.send(request_then_close);
    EXPECT_TRUE(third.read_until_closed(500ms).bytes.empty());
    EXPECT_EQ(server.server().connections_open(), 2u);
    EXPECT_GE(server.server().counters().cap_waits, 1u);
    EXPECT_EQ(server.server().counters().connections_cap, 2u);

    first.reset();
    const auto answer = third.read_until_closed(10s);
    EXPECT_TRUE(answer.bytes.starts_with("HTTP/1.1 200 ")) << answer.bytes;
}

TEST(FdLimit, TheDefaultCapLeavesDescriptorsForTheRestOfHpops) {
    using bot::connection_cap;
    EXPECT_EQ(connection_cap(0, 64), 32u);
    EXPECT_EQ(connection_cap(0, 1024), 960u);
    EXPECT_EQ(connection_cap(0, 1 << 20), 1024u);
    EXPECT_EQ(connection_cap(0, 1), 1u);
    EXPECT_EQ(connection_cap(5000, 64), 5000u);  // set in the config: the operator's choice
}
