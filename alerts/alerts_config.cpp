#include "alerts/alerts_config.hpp"

#include <algorithm>

#include "alerts/label_pattern.hpp"

namespace hpops::alerts {
namespace {

using namespace std::chrono_literals;

// Slack channel ids (C0123ABC) or names (#alerts); chat.postMessage takes both.
bool plausible_channel(const std::string& c) {
    if (c.empty() || c.size() > 80) return false;
    for (char ch : c)
        if (ch == ' ' || ch == ',' || static_cast<unsigned char>(ch) < 0x20) return false;
    return true;
}

void read_channel(YamlWalker& w, const ConfigField& f, std::string& out) {
    auto v = w.read_string(f);
    if (!v) return;
    if (!plausible_channel(*v)) w.problem(f, "`" + *v + "` is not a Slack channel id or #name");
    else out = std::move(*v);
}

void read_matchers(YamlWalker& w, const ConfigField& f, std::map<std::string, std::string>& match,
                   std::map<std::string, std::string>& match_re) {
    w.for_each_entry(w.child(f, "match"), [&](const std::string& label, const ConfigField& value) {
        if (auto v = w.read_string(value)) match[label] = std::move(*v);
    });
    w.for_each_entry(w.child(f, "match_re"), [&](const std::string& label, const ConfigField& value) {
        auto v = w.read_string(value);
        if (!v) return;
        try {
            LabelPattern check(*v);
            match_re[label] = std::move(*v);
        } catch (const std::invalid_argument& e) {
            w.problem(value, e.what());
        }
    });
}

void read_route(YamlWalker& w, const ConfigField& f, AlertRoute& out) {
    if (!w.section(f, {"match", "match_re", "channel"})) return;
    const ConfigField channel = w.child(f, "channel");
    if (!channel.present()) w.problem(f, "a route needs `channel`");
    read_channel(w, channel, out.channel);
    read_matchers(w, f, out.match, out.match_re);
    if (!w.child(f, "match").present() && !w.child(f, "match_re").present())
        w.problem(f, "a route needs `match` or `match_re` (the default channel catches the rest)");
}

void read_action(YamlWalker& w, const ConfigField& f, AlertActionRule& out) {
    if (!w.section(f, {"match", "match_re", "label", "scale"})) return;
    read_matchers(w, f, out.match, out.match_re);
    const ConfigField label = w.child(f, "label");
    if (auto v = w.read_string(label)) {
        if (v->empty() || v->size() > 75) w.problem(label, "must be 1 to 75 characters (Slack's button limit)");
        else out.label = std::move(*v);
    } else if (!label.present()) {
        w.problem(f, "an action needs `label`");
    }
    const ConfigField scale = w.child(f, "scale");
    if (!scale.present()) w.problem(f, "an action needs `scale` (nodes to add; negative removes)");
    if (auto v = w.read_int(scale, -100, 100)) {
        if (*v == 0) w.problem(scale, "must not be 0");
        else out.scale = static_cast<int>(*v);
    }
}

// A YAML list of mappings, each read by `read_item`.
template <class T, class Read>
void read_list(YamlWalker& w, const ConfigField& f, std::vector<T>& out, const char* what, Read read_item) {
    if (!f.present() || f.value.IsNull()) return;
    if (!f.value.IsSequence()) {
        w.problem(f, std::string("expected a list of ") + what);
        return;
    }
    for (std::size_t i = 0; i < f.value.size(); ++i) {
        const YAML::Node node = f.value[i];
        T item;
        read_item(w, ConfigField{f.path + "[" + std::to_string(i) + "]", node, node.Mark()}, item);
        out.push_back(std::move(item));
    }
}

void read_alertmanager(YamlWalker& w, const ConfigField& f, AlertsConfig& out) {
    if (!w.section(f, {"bearer_token", "username", "password"})) return;
    if (auto v = w.read_string(w.child(f, "bearer_token"), Echo::redact)) out.alertmanager_token = std::move(*v);
    const ConfigField user = w.child(f, "username"), pass = w.child(f, "password");
    if (auto v = w.read_string(user, Echo::redact)) out.alertmanager_username = std::move(*v);
    if (auto v = w.read_string(pass, Echo::redact)) out.alertmanager_password = std::move(*v);
    if (out.alertmanager_username.empty() != out.alertmanager_password.empty())
        w.problem(out.alertmanager_username.empty() ? user : pass, "set both `username` and `password`, or neither");
}

void read_grafana(YamlWalker& w, const ConfigField& f, AlertsConfig& out) {
    if (!w.section(f, {"secret", "timestamp_header", "replay_window"})) return;
    const ConfigField secret = w.child(f, "secret");
    if (auto v = w.read_string(secret, Echo::redact)) {
        if (!v->empty() && v->size() < 16) w.problem(secret, "is shorter than 16 bytes");
        else out.grafana_secret = std::move(*v);
    }
    if (auto v = w.read_string(w.child(f, "timestamp_header"))) out.grafana_timestamp_header = std::move(*v);
    if (auto v = w.read_duration(w.child(f, "replay_window"), 1min, 24h))
        out.grafana_replay_window = std::chrono::duration_cast<std::chrono::seconds>(*v);
}

void read_sns(YamlWalker& w, const ConfigField& f, AlertsConfig& out) {
    if (!w.section(f, {"topic_arns", "max_message_age"})) return;
    if (auto v = w.read_duration(w.child(f, "max_message_age"), std::chrono::minutes(1), std::chrono::hours(7 * 24)))
        out.sns_max_message_age = std::chrono::duration_cast<std::chrono::seconds>(*v);
    const ConfigField arns = w.child(f, "topic_arns");
    if (!arns.present() || arns.value.IsNull()) return;
    if (!arns.value.IsSequence()) return w.problem(arns, "expected a list of topic ARNs");
    for (std::size_t i = 0; i < arns.value.size(); ++i) {
        const ConfigField item{arns.path + "[" + std::to_string(i) + "]", arns.value[i], arns.value[i].Mark()};
        auto v = w.read_string(item);
        if (!v) continue;
        if (!v->starts_with("arn:aws") || std::count(v->begin(), v->end(), ':') != 5)
            w.problem(item, "`" + *v + "` is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)");
        else
            out.sns_topic_arns.push_back(std::move(*v));
    }
}

}  // namespace

void read_alerts(YamlWalker& w, const ConfigField& root, AlertsConfig& out) {
    const ConfigField a = w.child(root, "alerts");
    if (!w.section(a, {"default_channel", "routes", "alertmanager", "grafana", "sns", "flood", "post_interval",
                       "queue_limit", "actions", "action_ttl", "retention", "label_limits", "max_firing"}))
        return;
    out.enabled = true;
    const ConfigField default_channel = w.child(a, "default_channel");
    if (!default_channel.present()) w.problem(a, "`default_channel` is required: alerts no route matches go there");
    read_channel(w, default_channel, out.default_channel);
    read_list(w, w.child(a, "routes"), out.routes, "routes (- match: {label: value}\n  channel: C...)", read_route);
    read_list(w, w.child(a, "actions"), out.actions, "actions (- label: Scale +1\n  scale: 1)", read_action);
    const ConfigField ttl = w.child(a, "action_ttl");
    if (auto v = w.read_duration(ttl, 1min, 7 * 24h)) out.action_ttl = std::chrono::duration_cast<std::chrono::seconds>(*v);
    read_alertmanager(w, w.child(a, "alertmanager"), out);
    read_grafana(w, w.child(a, "grafana"), out);
    read_sns(w, w.child(a, "sns"), out);
    const ConfigField flood = w.child(a, "flood");
    if (w.section(flood, {"max_new", "window"})) {
        if (auto v = w.read_int(w.child(flood, "max_new"), 1, 10'000)) out.flood_max_new = static_cast<std::size_t>(*v);
        if (auto v = w.read_duration(w.child(flood, "window"), 1s, 24h)) out.flood_window = *v;
    }
    if (auto v = w.read_duration(w.child(a, "post_interval"), 0ms, 1min)) out.post_interval = *v;
    if (auto v = w.read_int(w.child(a, "queue_limit"), 1, 100'000)) out.queue_limit = static_cast<std::size_t>(*v);
    if (auto v = w.read_duration(w.child(a, "retention"), 1h, 3650 * 24h))
        out.retention = std::chrono::duration_cast<std::chrono::hours>(*v);
    if (auto v = w.read_int(w.child(a, "max_firing"), 100, 10'000'000)) out.max_firing = static_cast<std::size_t>(*v);
    const ConfigField limits = w.child(a, "label_limits");
    if (w.section(limits, {"value_bytes", "count"})) {
        if (auto v = w.read_size(w.child(limits, "value_bytes"), 256, 1 << 20)) out.label_limits.value_bytes = *v;
        if (auto v = w.read_int(w.child(limits, "count"), 1, 1000)) out.label_limits.count = static_cast<std::size_t>(*v);
    }
}

}  // namespace hpops::alerts
