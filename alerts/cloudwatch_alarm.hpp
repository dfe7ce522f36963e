#pragma once
#include <optional>
#include <string_view>

#include "alerts/sns_message.hpp"
#include "hpops/alert.hpp"

namespace hpops::alerts {

// A CloudWatch alarm state change, as CloudWatch publishes it to SNS (the
// JSON in Message: AlarmName, NewStateValue, NewStateReason, StateChangeTime,
// Region, Trigger...). nullopt when Message is not one.
std::optional<Alert> parse_cloudwatch_alarm(std::string_view message);

// Any other SNS notification: one firing alert named by its subject.
Alert plain_sns_alert(const SnsMessage& m);

}  // namespace hpops::alerts
