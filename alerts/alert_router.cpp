#include "alerts/alert_router.hpp"

namespace hpops::alerts {

LabelMatcher::LabelMatcher(const std::map<std::string, std::string>& equal,
                           const std::map<std::string, std::string>& regex)
    : equal_(equal.begin(), equal.end()) {
    for (const auto& [label, pattern] : regex)
        regex_.emplace_back(label, LabelPattern(pattern));
}

bool LabelMatcher::matches(const Alert& alert) const {
    static const std::string empty;
    for (const auto& [label, value] : equal_) {
        auto it = alert.labels.find(label);
        if (it == alert.labels.end() || it->second != value) return false;
    }
    for (const auto& [label, pattern] : regex_) {
        auto it = alert.labels.find(label);
        if (!pattern.matches(it == alert.labels.end() ? empty : it->second)) return false;
    }
    return true;
}

AlertRouter::AlertRouter(const AlertsConfig& config) : default_channel_(config.default_channel) {
    for (const AlertRoute& r : config.routes) routes_.emplace_back(LabelMatcher(r.match, r.match_re), r.channel);
}

const std::string& AlertRouter::channel_for(const Alert& alert) const {
    for (const auto& [matcher, channel] : routes_)
        if (matcher.matches(alert)) return channel;
    return default_channel_;
}

}  // namespace hpops::alerts
