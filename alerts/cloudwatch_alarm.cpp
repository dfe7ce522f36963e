#include "alerts/cloudwatch_alarm.hpp"

#include <nlohmann/json.hpp>

#include "alerts/webhook_payload.hpp"
#include "common/json_depth.hpp"
#include "common/timestamps.hpp"

namespace hpops::alerts {
namespace {

using json = nlohmann::json;

std::string text_of(const json& obj, const char* key) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return {};
    return it->is_string() ? it->get<std::string>() : it->dump();
}

// arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME -> REGION
std::string region_of(const std::string& arn) {
    std::size_t at = 0;
    for (int colon = 0; colon < 3; ++colon) {
        at = arn.find(':', at);
        if (at == std::string::npos) return {};
        ++at;
    }
    return arn.substr(at, arn.find(':', at) - at);
}

std::string url_encode(std::string_view s) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
        else out.append({'%', hex[c >> 4], hex[c & 15]});
    }
    return out;
}

}  // namespace

std::optional<Alert> parse_cloudwatch_alarm(std::string_view message) {
    // Too deep to be an alarm: the message becomes a plain SNS alert instead.
    if (!json_depth_problem(message).empty()) return std::nullopt;
    json doc = json::parse(message, nullptr, false);
    if (!doc.is_object() || !doc.contains("AlarmName") || !doc.contains("NewStateValue")) return std::nullopt;
    Alert a;
    a.source = "sns";
    a.name = text_of(doc, "AlarmName");
    const std::string state = text_of(doc, "NewStateValue");
    const std::string arn = text_of(doc, "AlarmArn");
    const std::string region_code = region_of(arn);
    a.fingerprint = arn.empty() ? "cloudwatch/" + text_of(doc, "Region") + "/" + a.name : arn;
    a.status = state == "OK" ? AlertStatus::resolved : AlertStatus::firing;
    a.summary = text_of(doc, "NewStateReason");
    a.labels["alertname"] = a.name;
    a.labels["state"] = state;
    for (auto [key, label] : {std::pair{"Region", "region"}, std::pair{"AWSAccountId", "account"}})
        if (auto v = text_of(doc, key); !v.empty()) a.labels[label] = v;
    if (!region_code.empty()) a.labels["aws_region"] = region_code;
    if (auto d = text_of(doc, "AlarmDescription"); !d.empty()) a.annotations["description"] = d;
    if (!a.summary.empty()) a.annotations["summary"] = a.summary;
    // CloudWatch has no severity; INSUFFICIENT_DATA is worth a look, not a page.
    if (state == "INSUFFICIENT_DATA") a.severity = "warning";
    if (auto t = doc.find("Trigger"); t != doc.end() && t->is_object()) {
        for (auto [key, label] : {std::pair{"Namespace", "namespace"}, std::pair{"MetricName", "metric"}})
            if (auto v = text_of(*t, key); !v.empty()) a.labels[label] = v;
        // Dimensions (ClusterName, NodegroupName, AutoScalingGroupName...) become
        // labels, so routes and capacity rules can match them.
        if (auto dims = t->find("Dimensions"); dims != t->end() && dims->is_array())
            for (const auto& d : *dims)
                if (d.is_object()) {
                    const std::string name = text_of(d, "name"), value = text_of(d, "value");
                    if (!name.empty()) a.labels[name] = value;
                }
    }
    if (auto changed = parse_rfc3339(text_of(doc, "StateChangeTime"))) {
        // An OK names when the alarm ended; its start is what the store kept.
        if (a.status == AlertStatus::resolved) a.ends_at = *changed;
        else a.starts_at = *changed;
    }
    if (!region_code.empty())
        a.links.push_back({"CloudWatch", "https://" + region_code + ".console.aws.amazon.com/cloudwatch/home?region=" +
                                             region_code + "#alarmsV2:alarm/" + url_encode(a.name)});
    return a;
}

Alert plain_sns_alert(const SnsMessage& m) {
    Alert a;
    a.source = "sns";
    a.fingerprint = m.message_id;
    a.name = m.subject.value_or("SNS notification");
    a.summary = m.message.substr(0, 2000);
    a.labels["alertname"] = a.name;
    a.labels["topic_arn"] = m.topic_arn;
    if (auto t = parse_rfc3339(m.timestamp)) a.starts_at = *t;
    return a;
}

}  // namespace hpops::alerts
