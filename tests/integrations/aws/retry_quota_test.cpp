#include "integrations/aws/retry_quota.hpp"

#include <gtest/gtest.h>

namespace hpops::integrations::aws {
namespace {

TEST(RetryQuota, RetriesDrainTheBucketUntilNoneIsLeft) {
    RetryQuota quota;
    int retries = 0;
    while (quota.try_acquire(false)) ++retries;
    EXPECT_EQ(retries, RetryQuota::capacity / RetryQuota::retry_cost);  // 100, as botocore
    EXPECT_EQ(quota.available(), 0);
    EXPECT_FALSE(quota.try_acquire(true));
}

TEST(RetryQuota, ATimeoutCostsTwiceARetry) {
    RetryQuota quota;
    ASSERT_TRUE(quota.try_acquire(true));
    EXPECT_EQ(quota.available(), RetryQuota::capacity - 10);
    ASSERT_TRUE(quota.try_acquire(false));
    EXPECT_EQ(quota.available(), RetryQuota::capacity - 15);
}

TEST(RetryQuota, AnAttemptThatCannotBePaidTakesNothing) {
    RetryQuota quota;
    while (quota.available() > 7) ASSERT_TRUE(quota.try_acquire(false));
    EXPECT_EQ(quota.available(), 5);
    EXPECT_FALSE(quota.try_acquire(true));  // 10 needed
    EXPECT_EQ(quota.available(), 5);
    EXPECT_TRUE(quota.try_acquire(false));
}

TEST(RetryQuota, SuccessGivesBackWhatItsRetriesTookOrEarnsOne) {
    RetryQuota quota;
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(quota.try_acquire(false));
    quota.on_success(10);  // a call that needed two retries
    EXPECT_EQ(quota.available(), RetryQuota::capacity - 10);
    quota.on_success(0);  // one that needed none
    EXPECT_EQ(quota.available(), RetryQuota::capacity - 9);
    for (int i = 0; i < 20; ++i) quota.on_success(0);
    EXPECT_EQ(quota.available(), RetryQuota::capacity) << "never above capacity";
}

}  // namespace
}  // namespace hpops::integrations::aws
