// Finding 2: `match_re` ran std::regex_match over label values, recursing
// once per character: an alert with a 60 KB label value crashed the server
// before it was stored. Patterns are now RE2 (as Alertmanager's are Go's
// RE2-syntax regexp), and labels and annotations have size limits at intake.
#include <gtest/gtest.h>

#include "alerts/alert_router.hpp"
#include "alerts/webhook_payload.hpp"
#include "bot/config_loader.hpp"

namespace hpops::bot {
using alerts::AlertRouter;
using alerts::LabelMatcher;
using alerts::parse_alertmanager_payload;
using alerts::parse_grafana_payload;
namespace {

const std::string huge(60 * 1024, 'x');

Alert alert_with(std::map<std::string, std::string> labels) {
    Alert a;
    a.source = "alertmanager";
    a.fingerprint = "f1";
    a.labels = std::move(labels);
    return a;
}

AlertsConfig routed_by_regex() {
    AlertsConfig c;
    c.default_channel = "C0DEFAULT";
    c.routes.push_back(AlertRoute{{}, {{"instance", "x+"}}, "C0MATCHED"});
    c.routes.push_back(AlertRoute{{}, {{"instance", "node-.*"}}, "C0NODES"});
    return c;
}

TEST(RegexRecursionLabels, SixtyKilobyteLabelValueIsMatchedWithoutCrashing) {
    const AlertRouter router(routed_by_regex());
    EXPECT_EQ(router.channel_for(alert_with({{"instance", huge}})), "C0MATCHED");
    EXPECT_EQ(router.channel_for(alert_with({{"instance", huge + "-"}})), "C0DEFAULT");
}

TEST(RegexRecursionLabels, PatternsAreFullyAnchoredAsInAlertmanager) {
    const AlertRouter router(routed_by_regex());
    EXPECT_EQ(router.channel_for(alert_with({{"instance", "node-1"}})), "C0NODES");
    EXPECT_EQ(router.channel_for(alert_with({{"instance", "a-node-1"}})), "C0DEFAULT");
    // An absent label matches as the empty value.
    LabelMatcher empty_ok({}, {{"team", "|ml"}});
    EXPECT_TRUE(empty_ok.matches(alert_with({})));
}

const std::map<std::string, std::string> no_env;

std::string problems_of(const std::string& yaml) {
    try {
        load_config_text("slack: {signing_secret: s, bot_token: xoxb-1}\n" + yaml, "t.yaml", &no_env);
    } catch (const ConfigError& e) {
        std::string all;
        for (const auto& p : e.problems()) all += p + "\n";
        return all;
    }
    return {};
}

TEST(RegexRecursionLabels, ConfigRefusesWhatRe2CannotCompileWithItsReason) {
    // A backreference: ECMAScript has it, RE2 (and Alertmanager) do not.
    const std::string all = problems_of(R"(alerts:
  default_channel: C0
  routes:
    - {match_re: {instance: "(a)\\1"}, channel: C1}
)");
    EXPECT_NE(all.find("t.yaml:5:29: alerts.routes[0].match_re.instance: `(a)\\1` is not a regular expression: "
                       "invalid escape sequence"),
              std::string::npos)
        << all;
}

std::string payload_with(const std::string& labels, const std::string& version = "4") {
    return R"({"version":")" + version + R"(","status":"firing","alerts":[{"status":"firing","fingerprint":"a",)"
           R"("labels":{}},{"status":"firing","fingerprint":"b","labels":)" + labels + "}]}";
}

TEST(RegexRecursionLabels, OversizedLabelValuesAreRefusedAtIntakeNamingThem) {
    const auto parsed = parse_alertmanager_payload(payload_with(R"({"instance":")" + huge + R"("})"));
    EXPECT_EQ(parsed.error, "alerts[1].labels.instance is 61440 bytes, over the limit of 8192 "
                            "(alerts.label_limits.value_bytes)");
    std::string many = "{";
    for (int i = 0; i < 65; ++i) many += (i ? ",\"l" : "\"l") + std::to_string(i) + "\":\"v\"";
    EXPECT_EQ(parse_grafana_payload(payload_with(many + "}", "1")).error,
              "alerts[1].labels has 65 entries, over the limit of 64 (alerts.label_limits.count)");
    AlertLabelLimits roomy;
    roomy.value_bytes = 64 * 1024;
    EXPECT_EQ(parse_alertmanager_payload(payload_with(R"({"instance":")" + huge + R"("})"), roomy).error, "");
}

TEST(RegexRecursionLabels, LimitsAreConfigurable) {
    auto c = load_config_text(R"(slack: {signing_secret: s, bot_token: xoxb-1}
alerts:
  default_channel: C0
  label_limits: {value_bytes: 16KiB, count: 100}
)", "t.yaml", &no_env);
    EXPECT_EQ(c->alerts.label_limits.value_bytes, 16u * 1024);
    EXPECT_EQ(c->alerts.label_limits.count, 100u);
    EXPECT_NE(problems_of("alerts:\n  default_channel: C0\n  label_limits: {value_byte: 1KiB}\n").find("value_bytes"),
              std::string::npos);
}

}  // namespace
}  // namespace hpops::bot
