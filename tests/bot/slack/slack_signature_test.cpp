#include "bot/slack/slack_signature.hpp"

#include <gtest/gtest.h>

using namespace hpops;
using namespace hpops::bot;
using namespace std::chrono;

namespace {
// Slack's published example (api.slack.com/authentication/verifying-requests-from-slack).
constexpr const char* secret = "8f742231b10e8888abcd99yyyzzz85a5";
constexpr const char* timestamp = "1531420618";
constexpr const char* body =
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name="
    "foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks."
    "slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015."
    "47445629121.803a0bc887a14d10d2c447fce8b6703c";
constexpr const char* expected = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
const auto at_example_time = system_clock::time_point(seconds(1531420618));
}  // namespace

TEST(SlackSignature, MatchesSlacksPublishedExample) {
    EXPECT_EQ(slack_signature(secret, timestamp, body), expected);
    auto check = verify_slack_signature(secret, timestamp, expected, body, at_example_time, seconds(300));
    EXPECT_TRUE(check.ok) << check.reason;
}

TEST(SlackSignature, RejectsAChangedBody) {
    std::string changed = std::string(body) + "&text=scale";
    auto check = verify_slack_signature(secret, timestamp, expected, changed, at_example_time, seconds(300));
    EXPECT_FALSE(check.ok);
    EXPECT_EQ(check.reason, "signature mismatch");
}

TEST(SlackSignature, RejectsTheWrongSecret) {
    EXPECT_FALSE(verify_slack_signature("another-secret", timestamp, expected, body, at_example_time, seconds(300)).ok);
}

TEST(SlackSignature, RejectsTimestampsOutsideTheWindow) {
    auto late = verify_slack_signature(secret, timestamp, expected, body, at_example_time + seconds(301), seconds(300));
    EXPECT_FALSE(late.ok);
    EXPECT_EQ(late.reason, "stale request timestamp");
    EXPECT_FALSE(verify_slack_signature(secret, timestamp, expected, body, at_example_time - seconds(301), seconds(300)).ok);
    EXPECT_TRUE(verify_slack_signature(secret, timestamp, expected, body, at_example_time + seconds(300), seconds(300)).ok);
}

TEST(SlackSignature, ExplainsMissingAndMalformedHeaders) {
    EXPECT_EQ(verify_slack_signature(secret, "", expected, body, at_example_time, seconds(300)).reason,
              "missing X-Slack-Request-Timestamp");
    EXPECT_EQ(verify_slack_signature(secret, timestamp, "", body, at_example_time, seconds(300)).reason,
              "missing X-Slack-Signature");
    EXPECT_EQ(verify_slack_signature(secret, "15314x", expected, body, at_example_time, seconds(300)).reason,
              "malformed X-Slack-Request-Timestamp");
    EXPECT_EQ(verify_slack_signature(secret, timestamp, "v1=abc", body, at_example_time, seconds(300)).reason,
              "unsupported signature version");
    EXPECT_EQ(verify_slack_signature("", timestamp, expected, body, at_example_time, seconds(300)).reason,
              "signing secret not configured");
}

TEST(SlackSignature, RejectsATruncatedSignature) {
    std::string truncated(expected, 40);
    EXPECT_FALSE(verify_slack_signature(secret, timestamp, truncated, body, at_example_time, seconds(300)).ok);
}

TEST(SlackSignature, RequestIdIsTheSignaturesFirstSixteenHexDigits) {
    EXPECT_EQ(slack_request_id(expected), std::string(expected).substr(3, 16));
    // Read before the signature is checked (the request's log line): odd headers give none.
    EXPECT_EQ(slack_request_id(""), "");
    EXPECT_EQ(slack_request_id("v0=abc"), "");
    EXPECT_EQ(slack_request_id("v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"), "");
    EXPECT_EQ(slack_request_id("v0=a2114d57b48eac3\"\n"), "");
}
