#include "bot/alerts/alert_router.hpp"

namespace hpops::bot {

AlertRouter::AlertRouter(const AlertsConfig& config) : default_channel_(config.default_channel) {
    for (const AlertRoute& r : config.routes) {
        Route route;
        route.channel = r.channel;
        route.equal.assign(r.match.begin(), r.match.end());
        // Anchored like Alertmanager's matchers: "gpu-.*" must match the whole value.
        for (const auto& [label, pattern] : r.match_re)
            route.regex.emplace_back(label, std::regex(pattern, std::regex::ECMAScript | std::regex::optimize));
        routes_.push_back(std::move(route));
    }
}

const std::string& AlertRouter::channel_for(const Alert& alert) const {
    static const std::string empty;
    for (const Route& route : routes_) {
        bool match = true;
        for (const auto& [label, value] : route.equal) {
            auto it = alert.labels.find(label);
            if (it == alert.labels.end() || it->second != value) {
                match = false;
                break;
            }
        }
        for (std::size_t i = 0; match && i < route.regex.size(); ++i) {
            auto it = alert.labels.find(route.regex[i].first);
            // An absent label is an empty value, as in Alertmanager.
            const std::string& value = it == alert.labels.end() ? empty : it->second;
            match = std::regex_match(value, route.regex[i].second);
        }
        if (match) return route.channel;
    }
    return default_channel_;
}

}  // namespace hpops::bot
