#include "bot/slack/web_api.hpp"

#include <gtest/gtest.h>

#include "hpops/errors.hpp"
#include "integrations/http/curl_client.hpp"
#include "tests/support/run_sync.hpp"
#include "tests/support/scripted_server.hpp"
#include "tests/support/upstream_error_of.hpp"

namespace hpops::bot {
namespace {

using integrations::CurlClient;
using integrations::failed_before_sending;

using namespace std::chrono;
using testing::ScriptedServer;
using testing::upstream_error_of;

bot::HttpOut answer(int status, std::string body, std::vector<std::pair<std::string, std::string>> headers = {}) {
    bot::HttpOut out = bot::json_response(status, std::move(body));
    out.headers = std::move(headers);
    return out;
}

Reply hello() { return message_reply("hello", Visibility::channel); }

TEST(SlackWebApi, PostsJsonWithTheBotToken) {
    ScriptedServer slack([](const bot::HttpIn&, int) {
        return answer(200, R"({"ok":true,"channel":"C123","ts":"1.000100"})");
    });
    CurlClient http(1);
    SlackWebApi api(http, {slack.url() + "/api", "xoxb-1", milliseconds(0)});
    auto posted = testing::run_sync(api.post("#alerts", hello()));
    EXPECT_EQ(posted.channel, "C123");
    EXPECT_EQ(posted.ts, "1.000100");
    auto got = slack.received().at(0);
    EXPECT_EQ(got.target, "/api/chat.postMessage");
    EXPECT_EQ(got.header("authorization"), "Bearer xoxb-1");
    EXPECT_EQ(got.header("content-type").substr(0, 16), "application/json");
    auto body = nlohmann::json::parse(got.body);
    EXPECT_EQ(body["channel"], "#alerts");
    EXPECT_TRUE(body["blocks"].is_array());
    testing::run_sync(api.update("C123", "1.000100", hello()));
    auto update = nlohmann::json::parse(slack.received().at(1).body);
    EXPECT_EQ(slack.received().at(1).target, "/api/chat.update");
    EXPECT_EQ(update["ts"], "1.000100");
}

TEST(SlackWebApi, OkFalseIsATypedError) {
    ScriptedServer slack([](const bot::HttpIn&, int) { return answer(200, R"({"ok":false,"error":"not_in_channel"})"); });
    CurlClient http(1);
    SlackWebApi api(http, {slack.url() + "/api/", "xoxb-1", milliseconds(0)});
    const UpstreamError e = upstream_error_of([&] { testing::run_sync(api.post("C1", hello())); });
    EXPECT_EQ(e.service(), "slack");
    EXPECT_EQ(e.code(), "not_in_channel");
}

TEST(SlackWebApi, RateLimitHonoursRetryAfterThenGivesUp) {
    ScriptedServer slack([](const bot::HttpIn&, int n) {
        if (n == 1) return answer(429, R"({"ok":false,"error":"ratelimited"})", {{"Retry-After", "1"}});
        return answer(200, R"({"ok":true,"channel":"C1","ts":"2.0"})");
    });
    CurlClient http(1);
    SlackWebApi api(http, {slack.url() + "/api/", "xoxb-1", milliseconds(0)});
    const auto start = steady_clock::now();
    EXPECT_EQ(testing::run_sync(api.post("C1", hello())).ts, "2.0");
    EXPECT_GE(steady_clock::now() - start, milliseconds(950));
    EXPECT_EQ(slack.received().size(), 2u);

    ScriptedServer always([](const bot::HttpIn&, int) {
        return answer(429, R"({"ok":false,"error":"ratelimited"})", {{"Retry-After", "0"}});
    });
    SlackWebApi stubborn(http, {always.url() + "/api/", "xoxb-1", milliseconds(0), 3});
    EXPECT_EQ(upstream_error_of([&] { testing::run_sync(stubborn.post("C1", hello())); }).code(), "ratelimited");
    EXPECT_EQ(always.received().size(), 3u);
}

TEST(SlackWebApi, OneMessagePerIntervalPerChannel) {
    ScriptedServer slack([](const bot::HttpIn&, int) { return answer(200, R"({"ok":true,"channel":"C1","ts":"1"})"); });
    CurlClient http(2);
    SlackWebApi api(http, {slack.url() + "/api/", "xoxb-1", milliseconds(300)});
    const auto start = steady_clock::now();
    testing::run_sync(api.post("C1", hello()));
    testing::run_sync(api.post("C2", hello()));  // another channel: no wait
    EXPECT_LT(steady_clock::now() - start, milliseconds(250));
    testing::run_sync(api.post("C1", hello()));
    EXPECT_GE(steady_clock::now() - start, milliseconds(290));
}

TEST(SlackWebApi, APostByNameAndAnUpdateByIdShareOneQueue) {
    ScriptedServer slack([](const bot::HttpIn&, int) { return answer(200, R"({"ok":true,"channel":"C9","ts":"1"})"); });
    CurlClient http(1);
    SlackWebApi api(http, {slack.url() + "/api/", "xoxb-1", milliseconds(300)});
    const auto start = steady_clock::now();
    auto posted = testing::run_sync(api.post("#alerts", hello()));
    testing::run_sync(api.update(posted.channel, posted.ts, hello()));
    EXPECT_GE(steady_clock::now() - start, milliseconds(290));
}

// A post Slack made although its answer was an error is found by the id in
// its metadata, and answered as posted: the caller does not post it again.
TEST(SlackWebApi, APostWhoseAnswerFailedIsLookedUpByItsMetadataId) {
    std::string posted_body;
    ScriptedServer slack([&posted_body](const bot::HttpIn& in, int) {
        if (in.target.ends_with("chat.postMessage")) {
            posted_body = in.body;
            return answer(500, "upstream failed after posting");
        }
        auto sent = nlohmann::json::parse(posted_body);
        nlohmann::json other = {{"ts", "5.1"}, {"metadata", {{"event_type", "hpops_post"},
                                                             {"event_payload", {{"post_id", "someone-else"}}}}}};
        nlohmann::json ours = {{"ts", "5.2"}, {"metadata", sent["metadata"]}};
        return answer(200, nlohmann::json{{"ok", true}, {"messages", {other, ours}}}.dump());
    });
    CurlClient http(1);
    SlackWebApi api(http, {slack.url() + "/api/", "xoxb-1", milliseconds(0)});
    auto posted = testing::run_sync(api.post("C7", hello()));
    EXPECT_EQ(posted.ts, "5.2");
    ASSERT_EQ(slack.received().size(), 2u);
    const auto read = slack.received().at(1);
    EXPECT_EQ(read.target, "/api/conversations.history");
    EXPECT_EQ(read.header("content-type"), "application/x-www-form-urlencoded");
    EXPECT_NE(read.body.find("channel=C7&"), std::string::npos);
    EXPECT_NE(read.body.find("include_all_metadata=true"), std::string::npos);
}

// Not found (or not readable): the failure stands, for the caller to retry.
TEST(SlackWebApi, APostNotFoundInTheHistoryStaysFailed) {
    ScriptedServer slack([](const bot::HttpIn& in, int) {
        if (in.target.ends_with("chat.postMessage")) return answer(503, "");
        return answer(200, R"({"ok":false,"error":"missing_scope","needed":"channels:history"})");
    });
    CurlClient http(1);
    SlackWebApi api(http, {slack.url() + "/api/", "xoxb-1", milliseconds(0)});
    EXPECT_EQ(upstream_error_of([&] { testing::run_sync(api.post("C7", hello())); }).code(), "http_503");
    EXPECT_EQ(slack.received().size(), 2u);
}

// A history answer of the wrong shapes is "not found", never an exception of its own.
TEST(SlackWebApi, AnOddHistoryAnswerIsNotFoundNotAThrow) {
    ScriptedServer slack([](const bot::HttpIn& in, int) {
        if (in.target.ends_with("chat.postMessage")) return answer(502, "");
        return answer(200, R"({"ok":true,"messages":[{"metadata":{"event_type":"hpops_post","event_payload":"x"},
                              "ts":5},{"metadata":[]},7],"response_metadata":"odd"})");
    });
    CurlClient http(1);
    SlackWebApi api(http, {slack.url() + "/api/", "xoxb-1", milliseconds(0)});
    EXPECT_EQ(upstream_error_of([&] { testing::run_sync(api.post("C7", hello())); }).code(), "http_502");
}

// An ok:false answer (Slack refused) and an unreachable Slack did nothing: no read.
TEST(SlackWebApi, OnlyAFailureAfterSendingIsLookedUp) {
    EXPECT_FALSE(slack_may_have_acted(UpstreamError("slack", "not_in_channel", "", "", 200)));
    EXPECT_TRUE(slack_may_have_acted(UpstreamError("slack", "http_502", "", "", 502)));
    CurlClient http(1);
    SlackWebApi api(http, {"http://127.0.0.1:1/api/", "xoxb-1", milliseconds(0)});
    const UpstreamError e = upstream_error_of([&] { testing::run_sync(api.post("C7", hello())); });
    EXPECT_TRUE(failed_before_sending(e)) << e.what();
    EXPECT_FALSE(slack_may_have_acted(e));
}

TEST(SlackRetryAfter, Parses) {
    EXPECT_EQ(slack_retry_after("30"), seconds(30));
    EXPECT_EQ(slack_retry_after(""), seconds(1));
    EXPECT_EQ(slack_retry_after("soon"), seconds(1));
}

}  // namespace
}  // namespace hpops::bot
