#include <gtest/gtest.h>

#include "store/sqlite_store.hpp"
#include "tests/support/scratch_dir.hpp"

namespace hpops::store {
namespace {

JobRecord claiming(const std::string& claim) {
    JobRecord job;
    job.kind = "digest";
    job.state = "{}";
    job.claim = claim;
    return job;
}

TEST(SqliteStoreClaims, ASecondJobWithTheSameClaimIsNeverCreated) {
    SqliteStore store(":memory:");
    const std::int64_t first = store.create_job(claiming("digest daily 1796000400"));
    EXPECT_GT(first, 0);
    EXPECT_EQ(store.create_job(claiming("digest daily 1796000400")), 0);
    EXPECT_GT(store.create_job(claiming("digest daily 1796086800")), first);
    EXPECT_TRUE(store.claimed("digest daily 1796000400"));
    EXPECT_FALSE(store.claimed("digest weekly 1796000400"));
    EXPECT_EQ(store.job(first)->claim, "digest daily 1796000400");
    // Jobs without a claim are never in each other's way.
    EXPECT_GT(store.create_job(claiming("")), 0);
    EXPECT_GT(store.create_job(claiming("")), 0);
    EXPECT_EQ(store.running_jobs().size(), 4u);
}

class SqliteStoreClaimsOnDisk : public testing::ScratchDirTest {};

TEST_F(SqliteStoreClaimsOnDisk, TwoStoresOnOneFileLetOneClaimWin) {
    SqliteStore a(db_path()), b(db_path());
    const std::int64_t won_a = a.create_job(claiming("digest daily 1")), won_b = b.create_job(claiming("digest daily 1"));
    EXPECT_TRUE((won_a > 0) != (won_b > 0)) << won_a << " " << won_b;
}

TEST(SqliteStoreDigests, SchedulesAreSavedReplacedAndDeleted) {
    SqliteStore store(":memory:");
    DigestScheduleStore& schedules = *store.digest_schedules();
    schedules.put_digest_schedule({"weekly", "0 9 * * MON", "Europe/Berlin", "#ml", {"fleet", "alerts"}, "U1", 5});
    schedules.put_digest_schedule({"daily", "0 8 * * *", "UTC", "C123", {}, "U2", 6});
    schedules.put_digest_schedule({"weekly", "0 10 * * MON", "Europe/Berlin", "#ml", {"training"}, "U3", 7});
    const auto listed = schedules.digest_schedules();
    ASSERT_EQ(listed.size(), 2u);
    EXPECT_EQ(listed[0].name, "daily");
    EXPECT_TRUE(listed[0].sections.empty());
    EXPECT_EQ(listed[1].cron, "0 10 * * MON");
    EXPECT_EQ(listed[1].sections, std::vector<std::string>{"training"});
    EXPECT_EQ(listed[1].created_by, "U3");
    EXPECT_FALSE(listed[1].from_config);
    EXPECT_TRUE(schedules.delete_digest_schedule("daily"));
    EXPECT_FALSE(schedules.delete_digest_schedule("daily"));
    EXPECT_EQ(schedules.digest_schedules().size(), 1u);
}

}  // namespace
}  // namespace hpops::store
