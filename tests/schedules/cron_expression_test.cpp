#include "schedules/cron_expression.hpp"

#include <gtest/gtest.h>

#include "hpops/errors.hpp"

namespace hpops::schedules {
namespace {

std::string refusal(const std::string& text) {
    try {
        parse_cron(text);
    } catch (const UserError& e) {
        return e.what();
    }
    return "accepted";
}

date::local_seconds at(date::year_month_day day, int hour, int minute) {
    return date::local_days(day) + std::chrono::hours(hour) + std::chrono::minutes(minute);
}

TEST(CronExpression, ReadsEveryFormOfAField) {
    const CronExpression cron = parse_cron("*/15 9-17/4 1,15 jan-MAR mon-fri");
    EXPECT_TRUE(cron.minutes[0] && cron.minutes[15] && cron.minutes[30] && cron.minutes[45]);
    EXPECT_EQ(cron.minutes.count(), 4u);
    EXPECT_TRUE(cron.hours[9] && cron.hours[13] && cron.hours[17]);
    EXPECT_EQ(cron.hours.count(), 3u);
    EXPECT_EQ(cron.days.count(), 2u);
    EXPECT_TRUE(cron.months[1] && cron.months[3] && !cron.months[4]);
    EXPECT_EQ(cron.weekdays.count(), 5u);
    EXPECT_FALSE(cron.weekdays[0]);
    EXPECT_FALSE(cron.days_and) << "both day fields are restricted: either matches";
    EXPECT_FALSE(cron.set_times) << "the minute starts with *";
}

TEST(CronExpression, SevenIsSundayAndAStartWithAStepRunsToTheEnd) {
    EXPECT_TRUE(parse_cron("0 0 * * 7").weekdays[0]);
    const CronExpression stepped = parse_cron("10/20 0 * * 1/2");
    EXPECT_TRUE(stepped.minutes[10] && stepped.minutes[30] && stepped.minutes[50]);
    EXPECT_EQ(stepped.minutes.count(), 3u);
    EXPECT_TRUE(stepped.weekdays[1] && stepped.weekdays[3] && stepped.weekdays[5] && stepped.weekdays[0]) << "1,3,5,7";
    EXPECT_TRUE(stepped.set_times);
}

TEST(CronExpression, NicknamesAreTheirExpressions) {
    EXPECT_EQ(parse_cron("@daily").hours.count(), 1u);
    EXPECT_TRUE(parse_cron("@weekly").weekdays[0]);
    EXPECT_EQ(parse_cron("@HOURLY").hours.count(), 24u);
    EXPECT_TRUE(parse_cron("@yearly").months[1]);
}

TEST(CronExpression, RefusalsNameTheFieldAndWhy) {
    EXPECT_EQ(refusal("60 * * * *"), "minute: 60 is not in 0-59");
    EXPECT_EQ(refusal("0 24 * * *"), "hour: 24 is not in 0-23");
    EXPECT_EQ(refusal("0 0 0 * *"), "day-of-month: 0 is not in 1-31");
    EXPECT_EQ(refusal("0 0 * 13 *"), "month: 13 is not in 1-12");
    EXPECT_EQ(refusal("0 0 * * 8"), "day-of-week: 8 is not in 0-7");
    EXPECT_EQ(refusal("*/0 * * * *"), "minute: a step of 0");
    EXPECT_EQ(refusal("0 17-9 * * *"), "hour: the range 17-9 runs backwards");
    EXPECT_EQ(refusal("0 0 * * Monday"), "day-of-week: `Monday` is not a number or a name (SUN, MON, ...)");
    EXPECT_EQ(refusal("1,,2 * * * *"), "minute: an empty value");
    EXPECT_EQ(refusal("0 0 * *"), "a cron expression has 5 fields (minute hour day-of-month month day-of-week); this one has 4");
    EXPECT_EQ(refusal("0 0 31 2 *"), "day-of-month: 31 never comes in the months named");
    EXPECT_EQ(refusal("@fortnightly").substr(0, 31), "`@fortnightly` is not one of @h");
    EXPECT_EQ(refusal("0 0 * * */x"), "day-of-week: the step `x` is not a number");
    EXPECT_EQ(refusal(std::string(300, '*')).substr(0, 36), "a cron expression is five short fiel");
}

TEST(CronExpression, DaysMatchEitherFieldUnlessOneStartsWithAStar) {
    const CronExpression either = parse_cron("0 0 13 * FRI");
    EXPECT_TRUE(either.matches_day(date::year{2026} / 11 / 13));   // a Friday the 13th
    EXPECT_TRUE(either.matches_day(date::year{2026} / 12 / 4));    // a Friday
    EXPECT_TRUE(either.matches_day(date::year{2026} / 12 / 13));   // a Sunday the 13th
    const CronExpression both = parse_cron("0 0 */2 * FRI");
    EXPECT_TRUE(both.days_and);
    EXPECT_FALSE(both.matches_day(date::year{2026} / 12 / 4)) << "the 4th is even";
    EXPECT_TRUE(both.matches_day(date::year{2026} / 12 / 11));
}

TEST(CronExpression, NextMatchWalksTheCalendar) {
    using date::year;
    const CronExpression cron = parse_cron("30 4 29 2 *");
    EXPECT_EQ(cron.next_match(at(year{2026} / 12 / 5, 13, 0)), at(year{2028} / 2 / 29, 4, 30));
    const CronExpression every = parse_cron("* * * * *");
    EXPECT_EQ(every.next_match(at(year{2026} / 12 / 31, 23, 59)), at(year{2026} / 12 / 31, 23, 59)) << "at or after";
    EXPECT_EQ(parse_cron("0 0 1 1 *").next_match(at(year{2026} / 12 / 31, 23, 59)), at(year{2027} / 1 / 1, 0, 0));
    EXPECT_EQ(parse_cron("0 0 31 * *").next_match(at(year{2027} / 2 / 1, 0, 0)), at(year{2027} / 3 / 31, 0, 0));
}

}  // namespace
}  // namespace hpops::schedules
