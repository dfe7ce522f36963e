#pragma once
#include <regex>
#include <string>
#include <vector>

#include "hpops/alert.hpp"
#include "hpops/config.hpp"

namespace hpops::bot {

// Label matchers from the config, compiled once; first matching route wins,
// the default channel takes the rest. Immutable, so threads share one.
class AlertRouter {
public:
    explicit AlertRouter(const AlertsConfig& config);
    const std::string& channel_for(const Alert& alert) const;

private:
    struct Route {
        std::vector<std::pair<std::string, std::string>> equal;
        std::vector<std::pair<std::string, std::regex>> regex;
        std::string channel;
    };
    std::vector<Route> routes_;
    std::string default_channel_;
};

}  // namespace hpops::bot
