// Finding 14: a timestamp past 2262 overflowed the nanosecond clock
// (undefined behaviour; in practice it wrapped to a date before 1970).
#include <gtest/gtest.h>

#include "alerts/sns_message.hpp"
#include "alerts/webhook_payload.hpp"
#include "common/timestamps.hpp"

using hpops::parse_rfc3339;
using namespace std::chrono;

TEST(Rfc3339YearRange, FarFutureIsClampedTo2200NotWrapped) {
    const auto far = parse_rfc3339("9999-12-31T23:59:59Z");
    const auto before_limit = parse_rfc3339("2199-12-31T00:00:00Z");
    ASSERT_TRUE(far && before_limit);
    EXPECT_GT(*far, *before_limit);
    EXPECT_EQ(*far, sys_days(year(2200) / 1 / 1));
    EXPECT_GT(*far, system_clock::now() + years(150));
}

TEST(Rfc3339YearRange, FarPastIsClampedToTheEpoch) {
    const auto far = parse_rfc3339("0002-01-01T00:00:00Z");
    ASSERT_TRUE(far);
    EXPECT_EQ(*far, system_clock::time_point{});
    // Ages are computed from these; at the clock's own limits that overflowed (UBSan, SNS fuzz target).
    EXPECT_GT(system_clock::now() - *far, hours(24 * 365 * 50));
    EXPECT_LT(*parse_rfc3339("9999-12-31T23:59:59Z") - system_clock::now(), hours(24 * 366 * 200));
}

TEST(Rfc3339YearRange, OrdinaryTimesKeepTheirFraction) {
    const auto t = parse_rfc3339("2026-12-04T10:00:00.25+01:00");
    ASSERT_TRUE(t);
    EXPECT_EQ(*t, sys_days(year(2026) / 12 / 4) + hours(9) + milliseconds(250));
}

// Found by the SNS fuzz target under UBSan: the age of a message signed at
// an extreme time overflowed.
TEST(Rfc3339YearRange, SnsMessageAgeOfExtremeTimesIsAnAnswerNotAnOverflow) {
    hpops::alerts::SnsMessage m;
    m.message_id = "m1";
    for (const char* t : {"0002-01-01T00:00:00Z", "1677-09-21T00:12:44Z"}) {
        m.timestamp = t;
        EXPECT_NE(hpops::alerts::sns_message_age_problem(m, system_clock::now(), hours(1)).find("s ago"), std::string::npos) << t;
    }
    m.timestamp = "9999-12-31T23:59:59Z";
    EXPECT_NE(hpops::alerts::sns_message_age_problem(m, system_clock::now(), hours(1)).find("in the future"), std::string::npos);
}
