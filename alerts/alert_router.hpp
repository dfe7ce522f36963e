#pragma once
#include <map>
#include <string>
#include <vector>

#include "alerts/label_pattern.hpp"
#include "hpops/alert.hpp"
#include "hpops/config.hpp"

namespace hpops::alerts {

// Equality and (fully anchored, RE2) regex label matchers, compiled once.
// An absent label matches as the empty value, as in Alertmanager.
class LabelMatcher {
public:
    // Throws std::invalid_argument for a pattern RE2 refuses (config validation
    // has reported it already).
    LabelMatcher(const std::map<std::string, std::string>& equal, const std::map<std::string, std::string>& regex);
    bool matches(const Alert& alert) const;

private:
    std::vector<std::pair<std::string, std::string>> equal_;
    std::vector<std::pair<std::string, LabelPattern>> regex_;
};

// Routes from the config; first matching route wins, the default channel
// takes the rest. Immutable, so threads share one.
class AlertRouter {
public:
    explicit AlertRouter(const AlertsConfig& config);
    const std::string& channel_for(const Alert& alert) const;

private:
    std::vector<std::pair<LabelMatcher, std::string>> routes_;
    std::string default_channel_;
};

}  // namespace hpops::alerts
