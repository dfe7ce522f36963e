#include "bot/filters/replay_guard.hpp"

#include <gtest/gtest.h>

using namespace hpops::bot;
using namespace std::chrono;

TEST(ReplayGuard, RefusesTheSameKeyWithinTheWindow) {
    ReplayGuard guard(seconds(300));
    const auto t = steady_clock::now();
    EXPECT_TRUE(guard.first_time("v0=abc", t));
    EXPECT_FALSE(guard.first_time("v0=abc", t + seconds(10)));
    EXPECT_TRUE(guard.first_time("v0=abd", t + seconds(10)));
}

TEST(ReplayGuard, ForgetsAfterTwiceTheWindow) {
    ReplayGuard guard(seconds(300));
    const auto t = steady_clock::now();
    EXPECT_TRUE(guard.first_time("k", t));
    EXPECT_FALSE(guard.first_time("k", t + seconds(599)));
    EXPECT_TRUE(guard.first_time("k", t + seconds(601)));
}

TEST(ReplayGuard, TellsSignaturesApartByEveryHexDigitAndAcceptsOtherKeys) {
    ReplayGuard guard(seconds(300));
    const auto t = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
    const std::string signature = "v0=" + std::string(63, 'a') + "b";
    EXPECT_TRUE(guard.first_time(signature, t));
    EXPECT_FALSE(guard.first_time(signature, t));
    // Differs only in the last digit, then only in the first: both are new.
    EXPECT_TRUE(guard.first_time("v0=" + std::string(64, 'a'), t));
    EXPECT_TRUE(guard.first_time("v0=b" + std::string(62, 'a') + "b", t));
    // Not a well-formed signature (uppercase, short): still remembered, by hash.
    EXPECT_TRUE(guard.first_time("v0=" + std::string(64, 'A'), t));
    EXPECT_FALSE(guard.first_time("v0=" + std::string(64, 'A'), t));
    EXPECT_TRUE(guard.first_time("v0=abc", t));
    EXPECT_FALSE(guard.first_time("v0=abc", t));
}
