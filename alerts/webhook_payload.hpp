#pragma once
// Alertmanager's webhook payload (version 4) and Grafana's webhook contact
// point payload (version 1, the same alert shape plus Grafana's URLs), parsed
// into normalised alerts. Pure functions: tests and the benchmark call them
// without a server.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hpops/alert.hpp"
#include "hpops/config.hpp"

namespace hpops::alerts {

struct ParsedAlerts {
    std::vector<Alert> alerts;
    std::string error;  // non-empty: the payload is refused with 400 and this reason
    std::string receiver;
    std::size_t truncated = 0;  // alerts the sender left out (truncatedAlerts)
};

ParsedAlerts parse_alertmanager_payload(std::string_view body, const AlertLabelLimits& limits = {});
ParsedAlerts parse_grafana_payload(std::string_view body, const AlertLabelLimits& limits = {});


}  // namespace hpops::alerts
