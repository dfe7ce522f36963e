// Finding 6 (nesting part): untrusted JSON was handed to nlohmann as it came,
// and every level of nesting costs the parser an allocation: 16 MB of "["
// to /alerts/sns, with no credentials, took the process to 620 MB. Each
// decoder now refuses JSON nested deeper than 64 levels before parsing.
#include <gtest/gtest.h>

#include "alerts/cloudwatch_alarm.hpp"
#include "alerts/sns_message.hpp"
#include "alerts/webhook_payload.hpp"
#include "common/json_depth.hpp"

namespace hpops::bot {
using alerts::parse_alertmanager_payload;
using alerts::parse_cloudwatch_alarm;
using alerts::parse_grafana_payload;
using alerts::parse_sns_message;
namespace {

const std::string too_deep = std::string(1 << 20, '[') + std::string(1 << 20, ']');
const std::string refused = "nests deeper than 64 levels of arrays and objects";

std::string nested(std::size_t levels) { return std::string(levels, '[') + std::string(levels, ']'); }

TEST(JsonDepth, CountsArraysAndObjectsOutsideStrings) {
    EXPECT_EQ(json_depth_problem(nested(64)), "");
    EXPECT_EQ(json_depth_problem(nested(65)), refused);
    EXPECT_EQ(json_depth_problem(R"({"a":{"b":[1,{"c":2}]}})", 3), "nests deeper than 3 levels of arrays and objects");
    // Brackets inside strings, escaped quotes included, are text.
    EXPECT_EQ(json_depth_problem(R"({"summary":"[[[[{{{{ \"[[[[\" ]]]"})", 1), "");
    // Closing more than was opened is the parser's problem, not a depth.
    EXPECT_EQ(json_depth_problem("]]]][[", 2), "");
}

TEST(JsonDepth, EveryAlertDecoderRefusesDeepNestingBeforeParsing) {
    EXPECT_EQ(parse_alertmanager_payload(too_deep).error, "body " + refused);
    EXPECT_EQ(parse_grafana_payload(too_deep).error, "body " + refused);
    EXPECT_EQ(parse_sns_message(too_deep).error, "body " + refused);
    EXPECT_FALSE(parse_cloudwatch_alarm(R"({"AlarmName":"a","NewStateValue":"ALARM","x":)" + too_deep + "}"));
}

TEST(JsonDepth, OrdinaryPayloadsStillParse) {
    const auto parsed = parse_alertmanager_payload(
        R"({"version":"4","alerts":[{"status":"firing","fingerprint":"f","labels":{"alertname":"[x]"}}]})");
    EXPECT_EQ(parsed.error, "");
    ASSERT_EQ(parsed.alerts.size(), 1u);
    EXPECT_EQ(parsed.alerts[0].name, "[x]");
}

}  // namespace
}  // namespace hpops::bot
