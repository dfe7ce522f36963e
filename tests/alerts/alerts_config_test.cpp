#include "bot/config_loader.hpp"

#include <gtest/gtest.h>

namespace hpops::alerts {
using bot::load_config_text;
using bot::ConfigError;
namespace {

std::vector<std::string> problems_of(const std::string& yaml, const std::map<std::string, std::string>& env = {}) {
    try {
        load_config_text("slack: {signing_secret: s, bot_token: xoxb-1}\n" + yaml, "t.yaml", &env);
        return {};
    } catch (const ConfigError& e) {
        return e.problems();
    }
}

TEST(AlertsConfig, ReadsRoutesCredentialsFloodAndActions) {
    std::map<std::string, std::string> env{{"AM_TOKEN", "tok"}, {"GF", "grafana-secret-0123456789"}};
    auto c = load_config_text(R"(slack: {signing_secret: s, bot_token: xoxb-1}
alerts:
  default_channel: C0DEFAULT
  routes:
    - {match: {severity: page}, channel: "#pager"}
    - {match_re: {nodegroup: "p5-.*"}, channel: C0P5}
  alertmanager: {bearer_token: "${AM_TOKEN}"}
  grafana: {secret: "${GF}", timestamp_header: X-Grafana-Alerting-Signature-Timestamp}
  sns: {topic_arns: ["arn:aws:sns:us-east-1:123456789012:alarms"], max_message_age: 30m}
  flood: {max_new: 3, window: 2m}
  actions:
    - {label: "Scale +1", scale: 1, match: {team: ml}}
  action_ttl: 2h
  retention: 336h
)", "t.yaml", &env);
    const AlertsConfig& a = c->alerts;
    EXPECT_TRUE(a.enabled);
    ASSERT_EQ(a.routes.size(), 2u);
    EXPECT_EQ(a.routes[0].channel, "#pager");
    EXPECT_EQ(a.routes[1].match_re.at("nodegroup"), "p5-.*");
    EXPECT_EQ(a.alertmanager_token, "tok");
    EXPECT_EQ(a.grafana_secret, "grafana-secret-0123456789");
    EXPECT_EQ(a.sns_topic_arns.size(), 1u);
    EXPECT_EQ(a.sns_max_message_age, std::chrono::minutes(30));
    EXPECT_EQ(a.flood_max_new, 3u);
    EXPECT_EQ(a.flood_window, std::chrono::minutes(2));
    ASSERT_EQ(a.actions.size(), 1u);
    EXPECT_EQ(a.actions[0].scale, 1);
    EXPECT_EQ(a.action_ttl, std::chrono::hours(2));
    EXPECT_EQ(a.retention, std::chrono::hours(14 * 24));
    EXPECT_FALSE(load_config_text("slack: {signing_secret: s}\n", "t.yaml", &env)->alerts.enabled);
}

TEST(AlertsConfig, AlertsNeedABotToken) {
    auto p = problems_of("");  // with a token: fine
    EXPECT_TRUE(p.empty());
    std::map<std::string, std::string> env;
    try {
        load_config_text("slack: {signing_secret: s}\nalerts: {default_channel: C1}\n", "t.yaml", &env);
        FAIL() << "no problem reported";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("needs slack.bot_token (or SLACK_BOT_TOKEN)"), std::string::npos);
    }
}

TEST(AlertsConfig, ProblemsPointAtTheLine) {
    auto p = problems_of(R"(alerts:
  routes:
    - match_re: {nodegroup: "gpu-(["}
      channel: C1
    - channel: C2
  alertmanager: {username: am}
  sns: {topic_arns: [not-an-arn], max_message_age: 10s}
  actions:
    - {label: "", scale: 0}
)");
    std::string all;
    for (const auto& line : p) all += line + "\n";
    EXPECT_NE(all.find("t.yaml:3:3: alerts: `default_channel` is required"), std::string::npos) << all;
    EXPECT_NE(all.find("t.yaml:4:29: alerts.routes[0].match_re.nodegroup: `gpu-([` is not a regular expression"),
              std::string::npos) << all;
    EXPECT_NE(all.find("t.yaml:6:7: alerts.routes[1]: a route needs `match` or `match_re`"), std::string::npos) << all;
    EXPECT_EQ(all.find("alerts.routes[0]: a route needs"), std::string::npos) << all;  // its regex is the problem
    EXPECT_NE(all.find("t.yaml:7:17: alerts.alertmanager.password: set both `username` and `password`"), std::string::npos) << all;
    EXPECT_NE(all.find("`not-an-arn` is not an SNS topic ARN"), std::string::npos) << all;
    EXPECT_NE(all.find("alerts.sns.max_message_age"), std::string::npos) << all;  // under the 1 minute floor
    EXPECT_NE(all.find("alerts.actions[0].label: must be 1 to 75 characters"), std::string::npos) << all;
    EXPECT_NE(all.find("alerts.actions[0].scale: must not be 0"), std::string::npos) << all;
}

TEST(AlertsConfig, SlackApiUrlFromTheEnvironment) {
    std::map<std::string, std::string> env{{"SLACK_API_URL", "http://127.0.0.1:9/api/"}};
    EXPECT_EQ(load_config_text("slack: {signing_secret: s}\n", "t.yaml", &env)->slack.api_url, "http://127.0.0.1:9/api/");
    EXPECT_EQ(load_config_text("slack: {signing_secret: s}\n", "t.yaml", nullptr)->slack.api_url.substr(0, 8), "https://");
}

}  // namespace
}  // namespace hpops::alerts

namespace hpops::alerts {
namespace {

TEST(AlertsConfig, TheExampleFileLoads) {
    std::map<std::string, std::string> env{{"SLACK_SIGNING_SECRET", std::string(32, 's')}, {"SLACK_BOT_TOKEN", "xoxb-1"},
                                           {"ALERTMANAGER_WEBHOOK_TOKEN", "t"},
                                           {"GRAFANA_WEBHOOK_SECRET", "0123456789abcdef"}};
    std::FILE* file = std::fopen(HPOPS_SOURCE_DIR "/deploy/examples/alerts.yaml", "rb");
    ASSERT_NE(file, nullptr);
    std::string text;
    char buffer[4096];
    while (std::size_t n = std::fread(buffer, 1, sizeof buffer, file)) text.append(buffer, n);
    std::fclose(file);
    auto config = load_config_text(text, "alerts.yaml", &env);
    EXPECT_EQ(config->alerts.routes.size(), 2u);
    EXPECT_EQ(config->alerts.actions.size(), 2u);
}

}  // namespace
}  // namespace hpops::alerts
