#include <gtest/gtest.h>

#include "store/sqlite_store.hpp"
#include "tests/support/scratch_dir.hpp"

namespace hpops::store {
namespace {

constexpr std::int64_t five_minutes = 300'000;

CapacitySample sample(std::int64_t slot, const std::string& group, int count) {
    return {slot * five_minutes, five_minutes, "us-west-2", "hyperpod", "train", group, "ml.p5.48xlarge", count};
}

TEST(SqliteStoreCapacity, ASlotIsKeptOncePerGroup) {
    SqliteStore store(":memory:");
    EXPECT_FALSE(store.capacity_slot_sampled(1 * five_minutes));
    EXPECT_EQ(store.record_capacity({sample(1, "workers", 4), sample(1, "controller", 1)}), 2);
    EXPECT_TRUE(store.capacity_slot_sampled(1 * five_minutes));
    // A retry, or a second replica, sampling the same slot: the first sample stays.
    EXPECT_EQ(store.record_capacity({sample(1, "workers", 9), sample(2, "workers", 5)}), 1);
    const auto kept = store.capacity_samples(0, 10 * five_minutes, "");
    ASSERT_EQ(kept.size(), 3u);
    EXPECT_EQ(kept[0].group, "controller");
    EXPECT_EQ(kept[1].count, 4) << "the first sample of slot 1 is kept";
    EXPECT_EQ(kept[2].slot_unix_ms, 2 * five_minutes);
    EXPECT_EQ(kept[2].instance_type, "ml.p5.48xlarge");
    EXPECT_EQ(kept[2].interval_ms, five_minutes);
}

TEST(SqliteStoreCapacity, SamplesAreReadByPeriodAndGroupAndPruned) {
    SqliteStore store(":memory:");
    std::vector<CapacitySample> samples;
    for (int slot = 0; slot < 10; ++slot) {
        samples.push_back(sample(slot, "workers", slot));
        samples.push_back(sample(slot, "controller", 1));
    }
    EXPECT_EQ(store.record_capacity(samples), 20);
    const auto workers = store.capacity_samples(3 * five_minutes, 6 * five_minutes, "workers");
    ASSERT_EQ(workers.size(), 3u) << "since is in the period, until is not";
    EXPECT_EQ(workers.front().count, 3);
    EXPECT_EQ(workers.back().count, 5);
    EXPECT_EQ(store.prune_capacity_samples(4 * five_minutes), 8);
    EXPECT_EQ(store.capacity_samples(0, 10 * five_minutes, "").size(), 12u);
    EXPECT_TRUE(store.capacity_samples(0, 4 * five_minutes, "").empty());
}

class SqliteStoreCapacityOnDisk : public testing::ScratchDirTest {};

TEST_F(SqliteStoreCapacityOnDisk, TwoStoresOnOneFileKeepOneSamplePerSlot) {
    SqliteStore a(db_path()), b(db_path());
    const int added_a = a.record_capacity({sample(7, "workers", 4)});
    const int added_b = b.record_capacity({sample(7, "workers", 6)});
    EXPECT_EQ(added_a + added_b, 1);
    const auto kept = b.capacity_samples(0, 10 * five_minutes, "workers");
    ASSERT_EQ(kept.size(), 1u);
    EXPECT_EQ(kept[0].count, 4);
}

}  // namespace
}  // namespace hpops::store
