#include "store/alert_row.hpp"

#include <chrono>

#include <nlohmann/json.hpp>

namespace hpops::store {
namespace {

using json = nlohmann::json;

std::int64_t ms(std::chrono::system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// JSON string escaping for alert_body: written by hand because building an
// nlohmann object per alert was a third of the writer's time (bench/README.md).
void append_json_string(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    for (unsigned char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) out.append({'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]});
                else out += static_cast<char>(c);
        }
    }
    out += '"';
}

void append_json_map(std::string& out, const std::map<std::string, std::string>& map) {
    out += '{';
    bool first = true;
    for (const auto& [k, v] : map) {
        if (!first) out += ',';
        first = false;
        append_json_string(out, k);
        out += ':';
        append_json_string(out, v);
    }
    out += '}';
}

}  // namespace

// Every string came out of a JSON parser, so it is valid UTF-8 already.
std::string alert_body(const Alert& a) {
    std::string out;
    out.reserve(256);
    out += "{\"labels\":";
    append_json_map(out, a.labels);
    out += ",\"annotations\":";
    append_json_map(out, a.annotations);
    out += ",\"links\":[";
    for (std::size_t i = 0; i < a.links.size(); ++i) {
        if (i) out += ',';
        out += "{\"label\":";
        append_json_string(out, a.links[i].label);
        out += ",\"url\":";
        append_json_string(out, a.links[i].url);
        out += '}';
    }
    out += "],\"group_key\":";
    append_json_string(out, a.group_key);
    out += '}';
    return out;
}

void read_body(const std::string& text, Alert& a) {
    json body = json::parse(text, nullptr, false);
    if (!body.is_object()) return;
    a.labels = body.value("labels", std::map<std::string, std::string>{});
    a.annotations = body.value("annotations", std::map<std::string, std::string>{});
    a.group_key = body.value("group_key", "");
    if (auto it = body.find("links"); it != body.end() && it->is_array())
        for (const auto& l : *it) a.links.push_back({l.value("label", ""), l.value("url", "")});
}

std::uint64_t alert_digest(const Alert& a) {
    // FNV-1a over every shown field, with separators so fields cannot run together.
    std::uint64_t h = 1469598103934665603ull;
    auto mix = [&h](std::string_view s) {
        for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
        h = (h ^ 0xff) * 1099511628211ull;
    };
    mix(to_string(a.status));
    mix(a.severity);
    mix(a.name);
    mix(a.summary);
    mix(std::to_string(ms(a.starts_at)));
    mix(a.ends_at ? std::to_string(ms(*a.ends_at)) : std::string());
    for (const auto& [k, v] : a.labels) mix(k), mix(v);
    for (const auto& [k, v] : a.annotations) mix(k), mix(v);
    for (const auto& l : a.links) mix(l.label), mix(l.url);
    return h;
}

}  // namespace hpops::store
