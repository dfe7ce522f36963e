// The `digests:` section of the config file (bot/digests_config.cpp).
#include <gtest/gtest.h>

#include "tests/bot/config_test_support.hpp"

namespace hpops::bot {
namespace {

using namespace std::chrono_literals;

TEST(DigestsConfig, SchedulesAreCheckedAsChatChecksThem) {
    const ConfigPtr c = load_config_text(read_file(example_path()), example_path(), nullptr);
    ASSERT_EQ(c->digests.schedules.size(), 1u);
    EXPECT_EQ(c->digests.schedules[0].timezone, "Europe/Berlin");
    EXPECT_EQ(c->digests.schedules[0].sections, (std::vector<std::string>{"fleet", "alerts"}));
    const auto p = joined(problems_of(R"(digests:
  min_interval: 30m
  schedules:
    - {name: a, cron: "61 9 * * *", channel: C1}
    - {name: b, cron: "0 9 * * *", tz: Europe/Berln, channel: C1}
    - {name: c, cron: "*/10 * * * *", channel: C1}
    - {name: d, cron: "0 9 * * *", channel: C1, sections: [flet]}
    - {name: e, cron: "0 9 * * *"}
    - {name: f, cron: "0 9 * * *", channel: C1}
    - {name: f, cron: "0 10 * * *", channel: C1}
)"));
    for (const char* expected : {"minute: 61 is not in 0-59", "did you mean `Europe/Berlin`", "at most every 30m",
                                 "did you mean `fleet`", "`e` needs a channel", "a second schedule named `f`"})
        EXPECT_NE(p.find(expected), std::string::npos) << expected << "\n" << p;
}

TEST(DigestsConfig, CapacitySamplingHasDefaultsAndBounds) {
    const ConfigPtr defaults = load_config_text("", "t.yaml", &kSecretEnv);
    EXPECT_EQ(defaults->digests.capacity_interval, 5min);
    EXPECT_EQ(defaults->digests.capacity_retention, 35 * 24h);
    const ConfigPtr set = load_config_text("digests:\n  capacity_interval: 1m\n  capacity_retention: 90d\n", "t.yaml", &kSecretEnv);
    EXPECT_EQ(set->digests.capacity_interval, 1min);
    EXPECT_EQ(set->digests.capacity_retention, 90 * 24h);
    const auto p = joined(problems_of("digests:\n  capacity_interval: 1s\n"));
    EXPECT_NE(p.find("capacity_interval: at least 10s, or 0 for no sampling"), std::string::npos) << p;
    const ConfigPtr off = load_config_text("digests:\n  capacity_interval: 0\n", "t.yaml", &kSecretEnv);
    EXPECT_EQ(off->digests.capacity_interval, 0ms);
    const auto shorter = joined(problems_of("digests:\n  capacity_interval: 2h\n  capacity_retention: 1h\n"));
    EXPECT_NE(shorter.find("shorter than capacity_interval"), std::string::npos) << shorter;
}

}  // namespace
}  // namespace hpops::bot
