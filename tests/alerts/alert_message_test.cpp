#include "alerts/alert_message.hpp"

#include <gtest/gtest.h>

#include "bot/slack/web_api.hpp"
#include "tests/support/block_kit_rules.hpp"

namespace hpops::alerts {
namespace {

using namespace std::chrono;

Alert alert(int i, AlertStatus status = AlertStatus::firing) {
    Alert a;
    a.source = "alertmanager";
    a.fingerprint = "fp" + std::to_string(i);
    a.status = status;
    a.name = "GPUHot <" + std::to_string(i) + ">";
    a.severity = "critical";
    a.summary = std::string(5000, 'x');  // longer than a section allows
    a.labels = {{"alertname", a.name}, {"nodegroup", "gpu-ng"}};
    a.starts_at = system_clock::time_point(seconds(1'800'000'000));
    if (status == AlertStatus::resolved) a.ends_at = a.starts_at + minutes(62) + seconds(5);
    a.links = {{"Source", "http://prom/graph?g0.expr=up"}, {"Bad", "http://x|y"}};
    return a;
}

std::string all_text(const nlohmann::json& m) { return m.dump(); }

TEST(AlertMessage, SingleFiringAndResolvedAreValidBlockKit) {
    PendingMessage m;
    m.alerts = {alert(1)};
    m.firing = 1;
    const auto now = m.alerts[0].starts_at + minutes(3);
    auto firing = bot::SlackWebApi::message_body(render_alert_message(m, now));
    EXPECT_EQ(testing::block_kit_violations(firing), std::vector<std::string>{});
    EXPECT_NE(all_text(firing).find("Firing: GPUHot &lt;1&gt;"), std::string::npos);  // the renderer escapes headers too
    EXPECT_EQ(firing.count("response_type"), 0u);
    m.alerts = {alert(1, AlertStatus::resolved)};
    auto resolved = bot::SlackWebApi::message_body(render_alert_message(m, now));
    EXPECT_EQ(testing::block_kit_violations(resolved), std::vector<std::string>{});
    EXPECT_NE(all_text(resolved).find("fired for 1h 2m"), std::string::npos);
    EXPECT_EQ(all_text(resolved).find("x|y"), std::string::npos);  // a link that would break mrkdwn is left out
}

TEST(AlertMessage, FloodSummaryListsSomeAndCountsAll) {
    PendingMessage m;
    m.kind = MessageKind::flood;
    for (int i = 0; i < 20; ++i) m.alerts.push_back(alert(i, i % 2 ? AlertStatus::resolved : AlertStatus::firing));
    m.firing = 600;
    m.resolved = 400;
    auto body = bot::SlackWebApi::message_body(render_alert_message(m, system_clock::now()));
    EXPECT_EQ(testing::block_kit_violations(body), std::vector<std::string>{});
    const std::string text = all_text(body);
    EXPECT_NE(text.find("Alert flood: 1000 alerts (600 firing, 400 resolved)"), std::string::npos);
    EXPECT_NE(text.find("and 980 more"), std::string::npos);
    EXPECT_NE(text.find("GPUHot &lt;3&gt;"), std::string::npos);  // escaped in mrkdwn
}

TEST(AlertMessage, Durations) {
    EXPECT_EQ(format_duration(seconds(42)), "42s");
    EXPECT_EQ(format_duration(seconds(2550)), "42m 30s");
    EXPECT_EQ(format_duration(hours(3) + minutes(5)), "3h 5m");
    EXPECT_EQ(format_duration(hours(50)), "2d 2h");
    EXPECT_EQ(format_duration(seconds(-5)), "0s");
}

}  // namespace
}  // namespace hpops::alerts
