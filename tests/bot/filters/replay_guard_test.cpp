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
