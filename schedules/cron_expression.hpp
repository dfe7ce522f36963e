#pragma once
#include <bitset>
#include <date/date.h>
#include <optional>
#include <string>
#include <string_view>

namespace hpops::schedules {

// A 5-field cron expression (minute hour day-of-month month day-of-week),
// read as Debian's cron reads it: numbers, names (JAN-DEC, SUN-SAT, any
// case), `*`, ranges, steps (`*/15`, `1-5/2`, `10/20` = 10-59/20), lists;
// 0 and 7 are both Sunday. Also @hourly, @daily (@midnight), @weekly,
// @monthly, @yearly (@annually).
struct CronExpression {
    std::string text;  // as written
    std::bitset<60> minutes;
    std::bitset<24> hours;
    std::bitset<32> days;      // 1-31
    std::bitset<13> months;    // 1-12
    std::bitset<7> weekdays;   // 0 = Sunday
    // Either day field starts with `*`: a day must match both; otherwise
    // either (Debian's rule: `0 0 1,15 * MON` is the 1st, the 15th and Mondays).
    bool days_and = true;
    // Neither minute nor hour starts with `*`: the job is at set times of the
    // local clock, fired once per reading across DST changes (see next_firing).
    bool set_times = false;

    // The day matches the day-of-month, month and day-of-week fields.
    bool matches_day(date::year_month_day day) const;
    // The first minute at or after `from` on a clock with no zone (every day
    // has 24 hours) that matches; nullopt when none comes within 50 years.
    std::optional<date::local_seconds> next_match(date::local_seconds from) const;
};

// Throws UserError naming the field and why ("hour: 24 is not in 0-23").
CronExpression parse_cron(std::string_view text);

}  // namespace hpops::schedules
