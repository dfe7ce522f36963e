#pragma once
#include <chrono>
#include <optional>

#include "schedules/cron_expression.hpp"

namespace date {
class time_zone;
}

namespace hpops::schedules {

// When `cron` next fires in `zone`, strictly after `after`; nullopt when it
// never does within 50 years. Across DST changes it does what Debian's cron
// does (cronsim, the reference test's oracle, does the same):
// - An expression with set times (neither minute nor hour starts with `*`)
//   follows the local clock's readings. A reading the clock skips (02:30
//   when 02:00 jumps to 03:00) fires once, at the jump; a reading the clock
//   shows twice (01:30 when 02:00 falls back to 01:00) fires once, the first
//   time.
// - Any other expression (`*/15 * * * *`, `0 * * * *`) follows real time:
//   each real minute fires when the clock then matches, so an hourly job
//   fires twice in a repeated hour and not at all in a skipped one.
std::optional<std::chrono::sys_seconds> next_firing(const CronExpression& cron, const date::time_zone& zone,
                                                    std::chrono::sys_seconds after);

}  // namespace hpops::schedules
