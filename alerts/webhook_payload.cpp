#include "alerts/webhook_payload.hpp"

#include <algorithm>
#include <charconv>

#include <nlohmann/json.hpp>

#include "common/json_depth.hpp"
#include "common/timestamps.hpp"

namespace hpops::alerts {
namespace {

using json = nlohmann::json;

std::string string_or_empty(const json& obj, const char* key) {
    auto it = obj.find(key);
    return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

// A label or annotation map; values that are not strings, and maps beyond
// the limits, are refused.
bool read_string_map(const json& obj, const char* key, std::map<std::string, std::string>& out, std::string& error,
                     const std::string& where, const AlertLabelLimits& limits) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return true;
    if (!it->is_object()) {
        error = where + "." + key + " is not an object";
        return false;
    }
    if (it->size() > limits.count) {
        error = where + "." + key + " has " + std::to_string(it->size()) + " entries, over the limit of " +
                std::to_string(limits.count) + " (alerts.label_limits.count)";
        return false;
    }
    for (const auto& [name, value] : it->items()) {
        // The name is the sender's too: cut it short in the reason.
        const std::string field = where + "." + key + "." + name.substr(0, 100);
        if (!value.is_string()) {
            error = field + " is not a string";
            return false;
        }
        const std::size_t size = std::max(name.size(), value.get_ref<const std::string&>().size());
        if (size > limits.value_bytes) {
            error = field + (name.size() > limits.value_bytes ? " (its name)" : "") + " is " + std::to_string(size) +
                    " bytes, over the limit of " + std::to_string(limits.value_bytes) +
                    " (alerts.label_limits.value_bytes)";
            return false;
        }
        out.emplace(name, value.get<std::string>());
    }
    return true;
}

struct Shape {
    const char* source;
    const char* version;
};

ParsedAlerts parse_payload(std::string_view body, const Shape& shape, const AlertLabelLimits& limits) {
    ParsedAlerts out;
    if (std::string why = json_depth_problem(body); !why.empty()) {
        out.error = "body " + why;
        return out;
    }
    json doc = json::parse(body, nullptr, false);
    if (doc.is_discarded()) {
        out.error = "body is not valid JSON";
        return out;
    }
    if (!doc.is_object()) {
        out.error = "body is not a JSON object";
        return out;
    }
    const std::string version = string_or_empty(doc, "version");
    if (version != shape.version) {
        out.error = "unsupported payload version \"" + version + "\" (expected \"" + shape.version + "\")";
        return out;
    }
    auto alerts = doc.find("alerts");
    if (alerts == doc.end() || !alerts->is_array()) {
        out.error = "`alerts` is missing or not an array";
        return out;
    }
    out.receiver = string_or_empty(doc, "receiver");
    if (auto t = doc.find("truncatedAlerts"); t != doc.end() && t->is_number_unsigned())
        out.truncated = t->get<std::size_t>();
    const std::string group_key = string_or_empty(doc, "groupKey");
    out.alerts.reserve(alerts->size());
    for (std::size_t i = 0; i < alerts->size(); ++i) {
        const json& a = (*alerts)[i];
        const std::string where = "alerts[" + std::to_string(i) + "]";
        if (!a.is_object()) {
            out.error = where + " is not an object";
            return out;
        }
        Alert alert;
        alert.source = shape.source;
        alert.group_key = group_key;
        alert.fingerprint = string_or_empty(a, "fingerprint");
        if (alert.fingerprint.empty()) {
            out.error = where + " has no fingerprint";
            return out;
        }
        const std::string status = string_or_empty(a, "status");
        if (status == "firing") alert.status = AlertStatus::firing;
        else if (status == "resolved") alert.status = AlertStatus::resolved;
        else {
            out.error = where + ".status is \"" + status + "\" (expected firing or resolved)";
            return out;
        }
        if (!read_string_map(a, "labels", alert.labels, out.error, where, limits) ||
            !read_string_map(a, "annotations", alert.annotations, out.error, where, limits))
            return out;
        if (auto s = parse_rfc3339(string_or_empty(a, "startsAt"))) alert.starts_at = *s;
        if (alert.status == AlertStatus::resolved) alert.ends_at = parse_rfc3339(string_or_empty(a, "endsAt"));
        if (auto it = alert.labels.find("alertname"); it != alert.labels.end()) alert.name = it->second;
        if (auto it = alert.labels.find("severity"); it != alert.labels.end()) alert.severity = it->second;
        for (const char* key : {"summary", "description", "message"})
            if (auto it = alert.annotations.find(key); it != alert.annotations.end() && !it->second.empty()) {
                alert.summary = it->second;
                break;
            }
        for (auto [key, label] : {std::pair{"generatorURL", "Source"}, std::pair{"dashboardURL", "Dashboard"},
                                  std::pair{"panelURL", "Panel"}, std::pair{"silenceURL", "Silence"}})
            if (std::string url = string_or_empty(a, key); !url.empty()) alert.links.push_back({label, std::move(url)});
        if (auto it = alert.annotations.find("runbook_url"); it != alert.annotations.end() && !it->second.empty())
            alert.links.push_back({"Runbook", it->second});
        out.alerts.push_back(std::move(alert));
    }
    return out;
}

}  // namespace


ParsedAlerts parse_alertmanager_payload(std::string_view body, const AlertLabelLimits& limits) {
    return parse_payload(body, {"alertmanager", "4"}, limits);
}
ParsedAlerts parse_grafana_payload(std::string_view body, const AlertLabelLimits& limits) {
    return parse_payload(body, {"grafana", "1"}, limits);
}

}  // namespace hpops::alerts
