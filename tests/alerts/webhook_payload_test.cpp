#include "alerts/webhook_payload.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "alerts/alert_router.hpp"
#include "common/timestamps.hpp"

namespace hpops::alerts {
namespace {

using json = nlohmann::json;
using namespace std::chrono;

json am_alert(std::string fp, std::string status = "firing") {
    return {{"status", status},
            {"labels", {{"alertname", "GPUHot"}, {"severity", "critical"}, {"nodegroup", "gpu-ng"}}},
            {"annotations", {{"summary", "GPU at 95C"}, {"runbook_url", "https://rb/gpu"}}},
            {"startsAt", "2026-11-23T10:00:00.5Z"},
            {"endsAt", status == "resolved" ? "2026-11-23T10:30:00Z" : "0001-01-01T00:00:00Z"},
            {"generatorURL", "http://prom/graph"},
            {"fingerprint", fp}};
}

json payload(json alerts, std::string version = "4") {
    return {{"version", version}, {"groupKey", "{}:{alertname=\"GPUHot\"}"}, {"status", "firing"},
            {"receiver", "hpops"}, {"truncatedAlerts", 2}, {"alerts", std::move(alerts)}};
}

TEST(Rfc3339, ParsesUtcFractionsAndOffsets) {
    auto t = parse_rfc3339("2026-11-23T10:00:00Z");
    ASSERT_TRUE(t);
    EXPECT_EQ(duration_cast<seconds>(t->time_since_epoch()).count(), 1795428000);
    auto f = parse_rfc3339("2026-11-23T10:00:00.250Z");
    EXPECT_EQ(duration_cast<milliseconds>(*f - *t).count(), 250);
    auto o = parse_rfc3339("2026-11-23T12:00:00+02:00");
    EXPECT_EQ(*o, *t);
    EXPECT_FALSE(parse_rfc3339("0001-01-01T00:00:00Z"));  // Go's zero time: unset
    EXPECT_FALSE(parse_rfc3339("2026-13-01T00:00:00Z"));
    EXPECT_FALSE(parse_rfc3339("yesterday"));
    EXPECT_FALSE(parse_rfc3339("2026-11-23T10:00:00"));  // no zone
}

TEST(AlertmanagerPayload, NormalisesAlerts) {
    auto parsed = parse_alertmanager_payload(payload({am_alert("a1"), am_alert("a2", "resolved")}).dump());
    ASSERT_EQ(parsed.error, "");
    ASSERT_EQ(parsed.alerts.size(), 2u);
    EXPECT_EQ(parsed.truncated, 2u);
    const Alert& a = parsed.alerts[0];
    EXPECT_EQ(a.source, "alertmanager");
    EXPECT_EQ(a.fingerprint, "a1");
    EXPECT_EQ(a.name, "GPUHot");
    EXPECT_EQ(a.severity, "critical");
    EXPECT_EQ(a.summary, "GPU at 95C");
    EXPECT_FALSE(a.ends_at);
    ASSERT_EQ(a.links.size(), 2u);
    EXPECT_EQ(a.links[1].label, "Runbook");
    EXPECT_EQ(parsed.alerts[1].status, AlertStatus::resolved);
    ASSERT_TRUE(parsed.alerts[1].ends_at);
    EXPECT_EQ(duration_cast<minutes>(*parsed.alerts[1].ends_at - parsed.alerts[1].starts_at).count(), 29);
}

TEST(AlertmanagerPayload, RefusesWithAReason) {
    EXPECT_EQ(parse_alertmanager_payload("{").error, "body is not valid JSON");
    EXPECT_EQ(parse_alertmanager_payload("[]").error, "body is not a JSON object");
    EXPECT_NE(parse_alertmanager_payload(payload(json::array(), "3").dump()).error.find("version \"3\""),
              std::string::npos);
    auto no_fp = am_alert("");
    EXPECT_EQ(parse_alertmanager_payload(payload({am_alert("ok"), no_fp}).dump()).error, "alerts[1] has no fingerprint");
    auto bad_label = am_alert("x");
    bad_label["labels"]["n"] = 3;
    EXPECT_EQ(parse_alertmanager_payload(payload(json::array({bad_label})).dump()).error, "alerts[0].labels.n is not a string");
    // Grafana's payloads say version 1; Alertmanager's receiver refuses them.
    EXPECT_NE(parse_alertmanager_payload(payload(json::array({am_alert("x")}), "1").dump()).error, "");
    EXPECT_EQ(parse_grafana_payload(payload(json::array({am_alert("x")}), "1").dump()).error, "");
}

TEST(AlertmanagerPayload, TenThousandAlerts) {
    json alerts = json::array();
    for (int i = 0; i < 10'000; ++i) alerts.push_back(am_alert("fp" + std::to_string(i)));
    auto parsed = parse_alertmanager_payload(payload(std::move(alerts)).dump());
    EXPECT_EQ(parsed.error, "");
    EXPECT_EQ(parsed.alerts.size(), 10'000u);
}

TEST(AlertRouter, FirstMatchWinsRegexIsAnchoredDefaultCatchesTheRest) {
    AlertsConfig config;
    config.default_channel = "C-DEFAULT";
    config.routes.push_back({{{"severity", "critical"}}, {}, "C-CRIT"});
    config.routes.push_back({{}, {{"nodegroup", "gpu-.*"}}, "C-GPU"});
    config.routes.push_back({{{"team", "ml"}}, {{"nodegroup", "gpu-.*"}}, "C-NEVER"});  // shadowed by the one above
    AlertRouter router(config);
    Alert a;
    a.labels = {{"severity", "critical"}, {"nodegroup", "gpu-a"}};
    EXPECT_EQ(router.channel_for(a), "C-CRIT");
    a.labels = {{"severity", "warning"}, {"nodegroup", "gpu-a"}, {"team", "ml"}};
    EXPECT_EQ(router.channel_for(a), "C-GPU");
    a.labels = {{"nodegroup", "big-gpu-a"}};  // anchored: no partial match
    EXPECT_EQ(router.channel_for(a), "C-DEFAULT");
    a.labels = {};
    EXPECT_EQ(router.channel_for(a), "C-DEFAULT");
}

}  // namespace
}  // namespace hpops::alerts
