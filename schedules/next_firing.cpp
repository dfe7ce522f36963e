#include "schedules/next_firing.hpp"

#include <date/tz.h>

namespace hpops::schedules {
namespace {

using std::chrono::sys_seconds;

// Set times: the next matching reading of the local clock, placed in real time.
std::optional<sys_seconds> by_the_clock(const CronExpression& cron, const date::time_zone& zone, sys_seconds after) {
    date::local_seconds from = date::floor<std::chrono::minutes>(zone.to_local(after)) + std::chrono::minutes(1);
    while (true) {
        const std::optional<date::local_seconds> reading = cron.next_match(from);
        if (!reading) return std::nullopt;
        const date::local_info info = zone.get_info(*reading);
        sys_seconds at;
        if (info.result == date::local_info::nonexistent) at = info.first.end;  // the jump over it
        else at = sys_seconds(reading->time_since_epoch()) - info.first.offset;  // the first of two, or the only one
        // Only a start inside a repeated hour can place the reading before it:
        // that reading has come already.
        if (at > after) return at;
        from = *reading + std::chrono::minutes(1);
    }
}

// Any other: the next real minute whose local reading matches, one stretch
// of constant UTC offset at a time.
std::optional<sys_seconds> in_real_time(const CronExpression& cron, const date::time_zone& zone, sys_seconds after) {
    sys_seconds from = date::floor<std::chrono::minutes>(after) + std::chrono::minutes(1);
    const sys_seconds give_up = after + date::years(50);
    while (from < give_up) {
        const date::sys_info stretch = zone.get_info(from);
        const date::local_seconds local(from.time_since_epoch() + stretch.offset);
        const std::optional<date::local_seconds> reading = cron.next_match(local);
        if (!reading) return std::nullopt;
        const sys_seconds at(reading->time_since_epoch() - stretch.offset);
        if (at < stretch.end) return at;
        from = date::ceil<std::chrono::minutes>(stretch.end);
    }
    return std::nullopt;
}

}  // namespace

std::optional<sys_seconds> next_firing(const CronExpression& cron, const date::time_zone& zone, sys_seconds after) {
    return cron.set_times ? by_the_clock(cron, zone, after) : in_real_time(cron, zone, after);
}

}  // namespace hpops::schedules
