#include "schedules/next_firing.hpp"

#include <date/tz.h>
#include <gtest/gtest.h>

#include "hpops/errors.hpp"
#include "schedules/time_zones.hpp"

namespace hpops::schedules {
namespace {

using std::chrono::sys_seconds;

sys_seconds utc(date::year_month_day day, int hour, int minute) {
    return date::sys_days(day) + std::chrono::hours(hour) + std::chrono::minutes(minute);
}

sys_seconds next(const std::string& cron, const std::string& zone, sys_seconds after) {
    const auto at = next_firing(parse_cron(cron), find_zone(zone), after);
    if (!at) throw std::runtime_error(cron + " never fires");
    return *at;
}

constexpr date::year y2026{2026};

// Berlin springs forward on 2026-03-29 at 02:00 CET (01:00Z) to 03:00 CEST.
TEST(NextFiring, ASetTimeTheClockSkipsFiresAtTheJumpOnce) {
    const sys_seconds jump = next("30 2 * * *", "Europe/Berlin", utc(y2026 / 3 / 28, 2, 0));
    EXPECT_EQ(jump, utc(y2026 / 3 / 29, 1, 0));
    EXPECT_EQ(next("30 2 * * *", "Europe/Berlin", jump), utc(y2026 / 3 / 30, 0, 30)) << "02:30 CEST";
    // Two skipped readings still fire once: the clock reads 03:00 after the first.
    const sys_seconds both = next("0,30 2 * * *", "Europe/Berlin", utc(y2026 / 3 / 28, 23, 0));
    EXPECT_EQ(both, utc(y2026 / 3 / 29, 1, 0));
    EXPECT_EQ(next("0,30 2 * * *", "Europe/Berlin", both), utc(y2026 / 3 / 30, 0, 0));
}

// Berlin falls back on 2026-10-25 at 03:00 CEST (01:00Z) to 02:00 CET.
TEST(NextFiring, ASetTimeTheClockShowsTwiceFiresTheFirstTime) {
    const sys_seconds first = next("30 2 * * *", "Europe/Berlin", utc(y2026 / 10 / 24, 12, 0));
    EXPECT_EQ(first, utc(y2026 / 10 / 25, 0, 30)) << "02:30 CEST";
    EXPECT_EQ(next("30 2 * * *", "Europe/Berlin", first), utc(y2026 / 10 / 26, 1, 30)) << "not 02:30 CET again";
    // Asked from inside the second 02:00-03:00, 02:45 has come already (CEST).
    EXPECT_EQ(next("45 2 * * *", "Europe/Berlin", utc(y2026 / 10 / 25, 1, 20)), utc(y2026 / 10 / 26, 1, 45));
}

TEST(NextFiring, OtherExpressionsFollowRealTime) {
    sys_seconds t = utc(y2026 / 10 / 25, 0, 10);
    std::vector<sys_seconds> fired;
    for (int i = 0; i < 4; ++i) fired.push_back(t = next("*/30 * * * *", "Europe/Berlin", t));
    EXPECT_EQ(fired, (std::vector{utc(y2026 / 10 / 25, 0, 30), utc(y2026 / 10 / 25, 1, 0), utc(y2026 / 10 / 25, 1, 30),
                                  utc(y2026 / 10 / 25, 2, 0)}))
        << "02:30 CEST, 02:00 CET, 02:30 CET, 03:00 CET: the repeated readings each fire";
    EXPECT_EQ(next("0 * * * *", "Europe/Berlin", utc(y2026 / 3 / 29, 0, 30)), utc(y2026 / 3 / 29, 1, 0))
        << "01:30 CET, then 03:00 CEST: the skipped 02:00 never comes";
}

TEST(NextFiring, HalfHourShiftsAndUtc) {
    // Lord Howe moves by 30 minutes: 02:00 +10:30 jumps to 02:30 +11 on 2026-10-04.
    EXPECT_EQ(next("15 2 * * *", "Australia/Lord_Howe", utc(y2026 / 10 / 3, 0, 0)), utc(y2026 / 10 / 3, 15, 30));
    // 2026-12-05 is a Saturday.
    EXPECT_EQ(next("0 9 * * MON", "UTC", utc(y2026 / 12 / 5, 13, 0)), utc(y2026 / 12 / 7, 9, 0));
    EXPECT_EQ(next("0 9 * * MON", "Asia/Kolkata", utc(y2026 / 12 / 5, 13, 0)), utc(y2026 / 12 / 7, 3, 30));
}

TEST(NextFiring, StrictlyAfterAndNeverWhenTheCalendarHasNone) {
    EXPECT_EQ(next("0 9 * * *", "UTC", utc(y2026 / 12 / 5, 9, 0)), utc(y2026 / 12 / 6, 9, 0));
    EXPECT_EQ(next("0 9 * * *", "UTC", utc(y2026 / 12 / 5, 8, 59) + std::chrono::seconds(59)), utc(y2026 / 12 / 5, 9, 0));
    // The 30th of February is refused only when the day fields are ANDed; ORed with
    // a weekday it is that weekday in February.
    EXPECT_EQ(next("0 0 30 2 MON", "UTC", utc(y2026 / 12 / 5, 0, 0)), utc(date::year{2027} / 2 / 1, 0, 0));
}

TEST(TimeZones, UnknownNamesGetTheClosest) {
    EXPECT_NO_THROW(find_zone("Europe/Berlin"));
    EXPECT_NO_THROW(find_zone("UTC"));
    try {
        find_zone("Europe/Berln");
        FAIL() << "accepted";
    } catch (const UserError& e) {
        EXPECT_STREQ(e.what(), "`Europe/Berln` is not a time zone; did you mean `Europe/Berlin`?");
    }
    EXPECT_THROW(find_zone(std::string(500, 'x')), UserError);
    EXPECT_THROW(find_zone(""), UserError);
}

}  // namespace
}  // namespace hpops::schedules
