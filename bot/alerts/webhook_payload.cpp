#include "bot/alerts/webhook_payload.hpp"

#include <algorithm>
#include <charconv>

#include <nlohmann/json.hpp>

#include "bot/json_depth.hpp"

namespace hpops::bot {
namespace {

using json = nlohmann::json;

bool digits(std::string_view s, std::size_t at, std::size_t n, int& out) {
    if (at + n > s.size()) return false;
    out = 0;
    for (std::size_t i = at; i < at + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

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

std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view s) {
    int y, mo, d, h, mi, sec;
    if (s.size() < 20 || !digits(s, 0, 4, y) || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
        !digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't') || !digits(s, 11, 2, h) || s[13] != ':' ||
        !digits(s, 14, 2, mi) || s[16] != ':' || !digits(s, 17, 2, sec))
        return std::nullopt;
    if (y <= 1) return std::nullopt;  // Go's zero time: unset
    std::size_t at = 19;
    std::chrono::nanoseconds fraction{0};
    if (at < s.size() && s[at] == '.') {
        long long value = 0, scale = 1'000'000'000;
        ++at;
        while (at < s.size() && s[at] >= '0' && s[at] <= '9') {
            if (scale > 1) {
                scale /= 10;
                value += (s[at] - '0') * scale;
            }
            ++at;
        }
        fraction = std::chrono::nanoseconds(value);
    }
    std::chrono::minutes offset{0};
    if (at < s.size() && (s[at] == 'Z' || s[at] == 'z')) {
        ++at;
    } else if (at < s.size() && (s[at] == '+' || s[at] == '-')) {
        // "+02:00", and "+0000" as CloudWatch writes StateChangeTime.
        const bool colon = at + 3 < s.size() && s[at + 3] == ':';
        int oh, om;
        if (!digits(s, at + 1, 2, oh) || !digits(s, at + (colon ? 4 : 3), 2, om)) return std::nullopt;
        offset = std::chrono::minutes((oh * 60 + om) * (s[at] == '-' ? -1 : 1));
        at += colon ? 6 : 5;
    } else {
        return std::nullopt;
    }
    if (at != s.size()) return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(mo)),
                                          std::chrono::day(static_cast<unsigned>(d))};
    if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
    const std::chrono::sys_seconds t = std::chrono::sys_days(ymd) + std::chrono::hours(h) +
                                       std::chrono::minutes(mi) + std::chrono::seconds(sec) - offset;
    // system_clock counts nanoseconds in 64 bits: 1677-09-21 to 2262-04-11.
    // A sender's "9999-12-31" (Go's far future) is clamped, not overflowed,
    // and to a range where `now - t` cannot overflow either (the SNS fuzz
    // target found that at the clock's own limits): 1970 to 2200.
    using clock = std::chrono::system_clock;
    constexpr std::chrono::sys_seconds earliest = std::chrono::sys_days(std::chrono::year(1970) / 1 / 1);
    constexpr std::chrono::sys_seconds latest = std::chrono::sys_days(std::chrono::year(2200) / 1 / 1);
    if (t <= earliest) return clock::time_point(earliest);
    if (t >= latest) return clock::time_point(latest);
    return std::chrono::time_point_cast<clock::duration>(t + fraction);
}

ParsedAlerts parse_alertmanager_payload(std::string_view body, const AlertLabelLimits& limits) {
    return parse_payload(body, {"alertmanager", "4"}, limits);
}
ParsedAlerts parse_grafana_payload(std::string_view body, const AlertLabelLimits& limits) {
    return parse_payload(body, {"grafana", "1"}, limits);
}

}  // namespace hpops::bot
