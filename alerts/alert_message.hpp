#pragma once
#include <chrono>

#include "alerts/alert_capacity.hpp"
#include "hpops/alert_store.hpp"
#include "hpops/reply.hpp"

namespace hpops::alerts {

// How many alerts a group or flood message lists before "and N more".
inline constexpr std::size_t alerts_listed_per_message = 20;

// The Slack message for a stored message: one alert (firing or resolved with
// its duration), a group that arrived together, or a channel's flood summary.
// A single firing alert may carry its group's capacity and action buttons.
Reply render_alert_message(const PendingMessage& message, std::chrono::system_clock::time_point now,
                           const AlertEnrichment* enrichment = nullptr);

// "3h 5m", "42s": how long an alert fired.
std::string format_duration(std::chrono::seconds d);

}  // namespace hpops::alerts
