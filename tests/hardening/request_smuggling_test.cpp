// Finding 8: `Transfer-Encoding: chunked, identity` was read as an empty body
// and the body parsed as a second request. Any Transfer-Encoding other than
// exactly `chunked`, or one beside Content-Length, is now 400 and a close.
#include <gtest/gtest.h>

#include <array>
#include <string>

#include "bot/server/request_framing.hpp"
#include "tests/support/raw_socket.hpp"
#include "tests/support/scripted_server.hpp"

using namespace hpops;
using namespace std::chrono_literals;

namespace {

class Smuggling : public ::testing::Test {
protected:
    hpops::testing::ScriptedServer server{[](const bot::HttpIn& in, int) { return bot::text_response(200, "saw " + in.target + " body=" + in.body); }};

    // Sends `request` followed by a second, smuggled one; returns all the server answered.
    hpops::testing::RawSocket::Received exchange(const std::string& request) {
        hpops::testing::RawSocket socket(server.port());
        socket.send(request + "GET /smuggled HTTP/1.1\r\nHost: hpops\r\nConnection: close\r\n\r\n");
        return socket.read_until_closed(10s);
    }

    void expect_refused(const std::string& request) {
        const auto answer = exchange(request);
        EXPECT_TRUE(answer.bytes.starts_with("HTTP/1.1 400 ")) << answer.bytes;
        EXPECT_TRUE(answer.closed);
        EXPECT_EQ(answer.bytes.find("saw"), std::string::npos) << answer.bytes;
        EXPECT_TRUE(server.received().empty());
        // Counted for /metrics: as framing, or as malformed where Beast's parser
        // refuses it first (chunked beside Content-Length).
        const auto counters = server.server().counters();
        EXPECT_EQ(counters.refused[static_cast<std::size_t>(bot::Refusal::framing)] +
                      counters.refused[static_cast<std::size_t>(bot::Refusal::malformed)],
                  1u);
    }
};

}  // namespace

TEST_F(Smuggling, ChunkedFollowedByAnotherCodingIsRefused) {
    expect_refused("POST /x HTTP/1.1\r\nHost: hpops\r\nTransfer-Encoding: chunked, identity\r\n\r\n");
}

TEST_F(Smuggling, AnUnknownCodingBesideContentLengthIsRefused) {
    expect_refused("POST /x HTTP/1.1\r\nHost: hpops\r\nTransfer-Encoding: gzip\r\nContent-Length: 4\r\n\r\nabcd");
}

TEST_F(Smuggling, ChunkedBesideContentLengthIsRefused) {
    expect_refused("POST /x HTTP/1.1\r\nHost: hpops\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n"
                   "4\r\nabcd\r\n0\r\n\r\n");
}

TEST_F(Smuggling, ChunkedSplitOverTwoFieldsIsRefused) {
    expect_refused("POST /x HTTP/1.1\r\nHost: hpops\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"
                   "4\r\nabcd\r\n0\r\n\r\n");
}

TEST_F(Smuggling, ChunkedInHttp10IsRefused) {
    expect_refused("POST /x HTTP/1.0\r\nHost: hpops\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n");
}

TEST_F(Smuggling, PlainChunkedAndContentLengthBodiesStillWork) {
    const auto answer = exchange("POST /x HTTP/1.1\r\nHost: hpops\r\nTransfer-Encoding: Chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n"
                                 "POST /y HTTP/1.1\r\nHost: hpops\r\nContent-Length: 2\r\n\r\nef");
    EXPECT_NE(answer.bytes.find("saw /x body=abcd"), std::string::npos) << answer.bytes;
    EXPECT_NE(answer.bytes.find("saw /y body=ef"), std::string::npos) << answer.bytes;
    EXPECT_NE(answer.bytes.find("saw /smuggled"), std::string::npos) << answer.bytes;  // a real third request
}

TEST(RequestFraming, OnlyALoneChunkedIsAccepted) {
    using bot::framing_problem;
    const std::array<std::string_view, 1> chunked{" chunked "}, identity{"chunked, identity"}, gzip{"gzip"};
    const std::array<std::string_view, 2> twice{"chunked", "chunked"};
    EXPECT_TRUE(framing_problem(11, {}, true).empty());
    EXPECT_TRUE(framing_problem(11, chunked, false).empty());
    EXPECT_FALSE(framing_problem(11, identity, false).empty());
    EXPECT_FALSE(framing_problem(11, gzip, false).empty());
    EXPECT_FALSE(framing_problem(11, twice, false).empty());
    EXPECT_FALSE(framing_problem(11, chunked, true).empty());
    EXPECT_FALSE(framing_problem(10, chunked, false).empty());
}
