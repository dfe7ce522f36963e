#include <gtest/gtest.h>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "bot/server/response_head.hpp"

using namespace hpops;
using namespace hpops::bot;
namespace http = boost::beast::http;

namespace {

// Reads head + body back with Beast's own parser, as a client would.
http::response<http::string_body> parse(const std::string& wire, bool expect_body = true) {
    http::response_parser<http::string_body> parser;
    parser.eager(true);
    boost::beast::error_code ec;
    const std::size_t used = parser.put(boost::asio::buffer(wire), ec);
    if (!expect_body && ec == http::error::need_more) ec = {}, parser.put_eof(ec);
    EXPECT_FALSE(ec) << ec.message();
    EXPECT_EQ(used, wire.size());
    EXPECT_TRUE(parser.is_done());
    return parser.release();
}

}  // namespace

TEST(ResponseHead, AnswersHttp11WithStatusTypeAndLength) {
    const HttpOut out = json_response(200, R"({"text":"ok"})");
    const std::string head = response_head(out, 11, true);
    EXPECT_EQ(head,
              "HTTP/1.1 200 OK\r\nServer: hpops\r\nContent-Type: application/json; charset=utf-8\r\n"
              "Content-Length: 13\r\n\r\n");
    const auto parsed = parse(head + out.body);
    EXPECT_EQ(parsed.result_int(), 200u);
    EXPECT_EQ(parsed.body(), out.body);
    EXPECT_TRUE(parsed.keep_alive());
}

TEST(ResponseHead, SaysWhenTheConnectionCloses) {
    HttpOut out = text_response(413, "request body is larger than 1048576 bytes");
    const auto parsed = parse(response_head(out, 11, false) + out.body);
    EXPECT_EQ(parsed.result_int(), 413u);
    EXPECT_EQ(parsed.reason(), "Payload Too Large");
    EXPECT_FALSE(parsed.keep_alive());
    EXPECT_EQ(parsed.body(), out.body);
}

TEST(ResponseHead, KeepsHttp10ConnectionsOpenOnlyWhenAsked) {
    const HttpOut out = text_response(200, "ok");
    EXPECT_TRUE(parse(response_head(out, 10, true) + out.body).keep_alive());
    EXPECT_FALSE(parse(response_head(out, 10, false) + out.body).keep_alive());
    EXPECT_TRUE(response_head(out, 10, true).starts_with("HTTP/1.0 200 OK\r\n"));
}

TEST(ResponseHead, CarriesRouteHeadersButNeverLetsThemEndTheHead) {
    HttpOut out = text_response(405, "method not allowed; use POST");
    out.headers.emplace_back("Allow", "POST");
    out.headers.emplace_back("X-Note", "a\r\nSet-Cookie: stolen=1");
    const auto parsed = parse(response_head(out, 11, true) + out.body);
    EXPECT_EQ(parsed[http::field::allow], "POST");
    EXPECT_EQ(parsed["X-Note"], "a  Set-Cookie: stolen=1");
    EXPECT_EQ(parsed.count(http::field::set_cookie), 0u);
    EXPECT_EQ(parsed.body(), out.body);
}

TEST(ResponseHead, NoContentAnswersCarryNoLength) {
    HttpOut out;
    out.status = 204;
    const std::string head = response_head(out, 11, true);
    EXPECT_EQ(head.find("Content-Length"), std::string::npos);
    EXPECT_FALSE(status_has_body(204));
    EXPECT_FALSE(status_has_body(304));
    EXPECT_FALSE(status_has_body(101));
    EXPECT_TRUE(status_has_body(200));
    EXPECT_TRUE(status_has_body(500));
    parse(head, false);
}
