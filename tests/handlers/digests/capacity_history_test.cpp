#include "handlers/capacity_history.hpp"

#include <gtest/gtest.h>

#include "handlers/instance_types.hpp"
#include "store/sqlite_store.hpp"

namespace hpops::handlers {
namespace {

constexpr std::int64_t minute = 60'000, hour = 60 * minute;

CapacitySample at(std::int64_t slot_minute, const std::string& group, const std::string& type, int count,
                  const std::string& kind = "hyperpod") {
    return {slot_minute * minute, 5 * minute, "us-west-2", kind, "train", group, type, count};
}

TEST(InstanceAccelerators, GpuCountsComeFromTheTableWithOrWithoutTheMlPrefix) {
    EXPECT_EQ(accelerators_per_instance("p5.48xlarge"), 8);
    EXPECT_EQ(accelerators_per_instance("ml.p5.48xlarge"), 8);
    EXPECT_EQ(accelerators_per_instance("ml.g5.12xlarge"), 4);
    EXPECT_EQ(accelerators_per_instance("g5.xlarge"), 1);
    EXPECT_EQ(accelerators_per_instance("ml.trn1.32xlarge"), 16);
    EXPECT_EQ(accelerators_per_instance("inf2.48xlarge"), 12);
}

TEST(InstanceAccelerators, CpuTypesHaveNoneAndUnknownGpuTypesAreUnknownNotZero) {
    EXPECT_EQ(accelerators_per_instance("m5.2xlarge"), 0);
    EXPECT_EQ(accelerators_per_instance("ml.t3.medium"), 0);
    EXPECT_EQ(accelerators_per_instance("c7gn.16xlarge"), 0);
    EXPECT_EQ(accelerators_per_instance("g9.xlarge"), std::nullopt);
    EXPECT_EQ(accelerators_per_instance("ml.p7.96xlarge"), std::nullopt);
    EXPECT_EQ(accelerators_per_instance("trn3.48xlarge"), std::nullopt);
}

TEST(CapacityHistory, UsageCountsEachSampleForItsPartOfThePeriod) {
    // An hour of 2 p5s, sampled every 5 minutes.
    std::vector<CapacitySample> samples;
    for (int m = 0; m < 60; m += 5) samples.push_back(at(m, "workers", "ml.p5.48xlarge", 2));
    const std::map<std::string, double> prices{{"ml.p5.48xlarge", 98.32}};
    const SampledPeriod whole{0, hour, samples, prices};
    Usage usage;
    for (const auto& s : samples) add_usage(usage, s, whole);
    EXPECT_NEAR(usage.instance_hours, 2.0, 1e-9);
    ASSERT_TRUE(usage.gpu_hours);
    EXPECT_NEAR(*usage.gpu_hours, 16.0, 1e-9);
    ASSERT_TRUE(usage.priced);
    EXPECT_NEAR(usage.cost, 196.64, 1e-9);
    EXPECT_EQ(cost_text(usage), "$197");
    EXPECT_DOUBLE_EQ(sampled_share(whole), 1.0);

    // A period starting mid-slot counts only the slot's part in it.
    const SampledPeriod late{2 * minute + 30'000, hour, samples, prices};
    Usage part;
    for (const auto& s : samples) add_usage(part, s, late);
    EXPECT_NEAR(part.instance_hours, 2.0 * (57.5 / 60), 1e-9);
}

TEST(CapacityHistory, AnUnknownTypeIsNamedNeverCountedAsFree) {
    const std::vector<CapacitySample> samples{at(0, "a", "ml.p5.48xlarge", 1), at(0, "b", "g5.xlarge", 3, "eks"),
                                              at(0, "c", "g9.xlarge", 1, "eks")};
    const std::map<std::string, double> prices{{"ml.p5.48xlarge", 98.32}, {"ml.g5.xlarge", 1.2}};
    const SampledPeriod period{0, 5 * minute, samples, prices};
    Usage usage;
    for (const auto& s : samples) add_usage(usage, s, period);
    EXPECT_FALSE(usage.gpu_hours) << "g9.xlarge's GPUs are not known";
    EXPECT_NEAR(usage.cost, (98.32 + 3 * 1.2) / 12, 1e-9) << "an EKS g5.xlarge at the table's ml.g5.xlarge price";
    EXPECT_EQ(cost_text(usage), "$8.49 + unpriced `g9.xlarge`");
    Usage none;
    add_usage(none, samples[2], period);
    EXPECT_EQ(cost_text(none), "unknown (no price for `g9.xlarge`)");
    const auto by_type = usage_by_cluster_and_type(period);
    ASSERT_EQ(by_type.size(), 3u);
    const Usage& eks_g5 = by_type.at({"EKS train", "g5.xlarge"});
    ASSERT_TRUE(eks_g5.gpu_hours);
    EXPECT_NEAR(*eks_g5.gpu_hours, 0.25, 1e-9) << "3 instances x 1 GPU x 5 minutes";
    EXPECT_NEAR(by_type.at({"HyperPod train", "ml.p5.48xlarge"}).cost, 98.32 / 12, 1e-9);
    Usage total;  // the digest's total line, from the rows
    for (const auto& [key, part] : by_type) total += part;
    EXPECT_NEAR(total.instance_hours, usage.instance_hours, 1e-9);
    EXPECT_NEAR(total.cost, usage.cost, 1e-9);
    EXPECT_FALSE(total.gpu_hours);
    EXPECT_EQ(cost_text(total), cost_text(usage));
}

TEST(CapacityHistory, APeriodStartingMidSlotReadsTheSlotItStartsIn) {
    store::SqliteStore store(":memory:");
    std::vector<CapacitySample> samples;
    for (int m = 0; m < 30; m += 5) samples.push_back(at(m, "workers", "ml.p5.48xlarge", 1));
    store.record_capacity(samples);
    const auto read = samples_overlapping(store, 7 * minute, 20 * minute, "", 5 * minute);
    ASSERT_EQ(read.size(), 3u) << "the slots at 5, 10 and 15 minutes";
    EXPECT_EQ(read.front().slot_unix_ms, 5 * minute);
    EXPECT_EQ(samples_overlapping(store, 5 * minute, 20 * minute, "", 5 * minute).front().slot_unix_ms, 5 * minute)
        << "a slot ending at `since` is not in the period";
}

TEST(CapacityHistory, EachGroupHasItsFewestMostAndNewestInOrder) {
    const std::vector<CapacitySample> samples{at(0, "workers", "ml.g5.12xlarge", 4), at(0, "ctl", "ml.m5.xlarge", 1),
                                              at(5, "workers", "ml.g5.12xlarge", 1), at(5, "ctl", "ml.m5.xlarge", 1),
                                              at(10, "workers", "ml.g5.12xlarge", 3)};
    const std::map<std::string, double> prices;
    const auto histories = group_histories({0, 15 * minute, samples, prices});
    ASSERT_EQ(histories.size(), 2u);
    EXPECT_EQ(histories[0].newest.group, "ctl");
    EXPECT_EQ(histories[1].newest.group, "workers");
    EXPECT_EQ(histories[1].fewest, 1);
    EXPECT_EQ(histories[1].most, 4);
    EXPECT_EQ(histories[1].newest.count, 3);
    EXPECT_EQ(histories[1].counts.size(), 3u);
    EXPECT_NEAR(*histories[1].usage.gpu_hours, (4 + 1 + 3) * 4 / 12.0, 1e-9);
}

TEST(CapacityHistory, SampledShareSaysHowMuchOfThePeriodHasSamples) {
    const std::vector<CapacitySample> samples{at(0, "a", "m5.large", 1), at(0, "b", "m5.large", 1),
                                              at(5, "a", "m5.large", 1), at(30, "a", "m5.large", 1)};
    const std::map<std::string, double> prices;
    EXPECT_NEAR(sampled_share({0, hour, samples, prices}), 15.0 / 60, 1e-9) << "two groups of one slot count once";
    EXPECT_DOUBLE_EQ(sampled_share({0, hour, {}, prices}), 0.0);
    EXPECT_EQ(coverage_text({0, hour, samples, prices}),
              "Samples cover 25% of the period (hpops was not running, or had just begun sampling): the hours are a floor.");
    EXPECT_EQ(coverage_text({0, 10 * minute, samples, prices}), "") << "a fully sampled period says nothing";
}

TEST(CapacityHistory, TheSparklineScalesToTheLargestAndLeavesGapsBlank) {
    std::vector<std::pair<std::int64_t, int>> rising;
    for (int i = 0; i < 8; ++i) rising.emplace_back(i * 5 * minute, i);
    EXPECT_EQ(sparkline(rising, 5 * minute, 0, 40 * minute, 8), "▁▂▃▄▅▆▇█");
    // Parts of two slots each show the mean; a part with no sample is blank.
    const std::vector<std::pair<std::int64_t, int>> gap{{0, 4}, {5 * minute, 4}, {30 * minute, 2}, {35 * minute, 2}};
    EXPECT_EQ(sparkline(gap, 5 * minute, 0, 40 * minute, 4), "█  ▅");
    const std::vector<std::pair<std::int64_t, int>> none{{0, 0}, {5 * minute, 0}};
    EXPECT_EQ(sparkline(none, 5 * minute, 0, 10 * minute, 2), "▁▁");
}

TEST(CapacityHistory, HoursAndMoneyReadAsPeopleWriteThem) {
    EXPECT_EQ(hours_text(0.25), "0.2");
    EXPECT_EQ(hours_text(12.46), "12.5");
    EXPECT_EQ(hours_text(1234.4), "1,234");
    Usage u;
    u.priced = true;
    u.cost = 12.4;
    EXPECT_EQ(cost_text(u), "$12.40");
    u.cost = 1'234'567.0;
    EXPECT_EQ(cost_text(u), "$1,234,567");
}

}  // namespace
}  // namespace hpops::handlers
