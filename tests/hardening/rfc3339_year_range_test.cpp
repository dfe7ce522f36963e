// Finding 14: a timestamp past 2262 overflowed the nanosecond clock
// (undefined behaviour; in practice it wrapped to a date before 1970).
#include <gtest/gtest.h>

#include "bot/alerts/webhook_payload.hpp"

using hpops::bot::parse_rfc3339;
using namespace std::chrono;

TEST(Rfc3339YearRange, FarFutureIsClampedToTheLatestTimeNotWrapped) {
    const auto far = parse_rfc3339("9999-12-31T23:59:59Z");
    const auto near_limit = parse_rfc3339("2262-01-01T00:00:00Z");
    ASSERT_TRUE(far && near_limit);
    EXPECT_GT(*far, *near_limit);
    EXPECT_GT(*far, system_clock::now() + years(200));
}

TEST(Rfc3339YearRange, FarPastIsClampedToTheEarliestTime) {
    const auto far = parse_rfc3339("0002-01-01T00:00:00Z");
    const auto epoch = parse_rfc3339("1970-01-01T00:00:00Z");
    ASSERT_TRUE(far && epoch);
    EXPECT_LT(*far, *epoch - years(250));
}

TEST(Rfc3339YearRange, OrdinaryTimesKeepTheirFraction) {
    const auto t = parse_rfc3339("2026-12-04T10:00:00.25+01:00");
    ASSERT_TRUE(t);
    EXPECT_EQ(*t, sys_days(year(2026) / 12 / 4) + hours(9) + milliseconds(250));
}
