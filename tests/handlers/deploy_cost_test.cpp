#include "handlers/deploy_cost.hpp"

#include <gtest/gtest.h>

#include "hpops/config.hpp"

namespace hpops::handlers {
namespace {

const std::map<std::string, double> default_prices = default_hourly_prices();

TEST(DeployCost, GpusRoundUpToInstancesAndCostTheirShare) {
    const auto change = deploy_change("prod", "g5.12xlarge", 6, default_prices);  // 4 GPUs each, $5.672 an hour
    EXPECT_EQ(change.cluster, "prod");
    EXPECT_EQ(change.instances, 2);
    EXPECT_EQ(change.gpus, 6);
    ASSERT_TRUE(change.hourly_cost);
    EXPECT_NEAR(*change.hourly_cost, 5.672 * 6 / 4, 1e-9);
    EXPECT_EQ(deploy_cost_text(change, "g5.12xlarge", 6), "6 nvidia.com/gpu ≈ 2 × g5.12xlarge, ≈ +$8.51 an hour");
}

TEST(DeployCost, WhatCannotBePricedIsSaidUnknownNeverZero) {
    const auto untyped = deploy_change("prod", "", 8, default_prices);
    EXPECT_FALSE(untyped.hourly_cost);
    EXPECT_EQ(untyped.gpus, 8);
    EXPECT_EQ(deploy_cost_text(untyped, "", 8), "8 nvidia.com/gpu, cost unknown: no `instance-type=` to price the GPUs by");

    const auto cpu = deploy_change("prod", "m5.2xlarge", 1, default_prices);
    EXPECT_FALSE(cpu.hourly_cost);
    EXPECT_NE(deploy_cost_text(cpu, "m5.2xlarge", 1).find("does not know `m5.2xlarge` to have GPUs"), std::string::npos);

    const auto unpriced = deploy_change("prod", "g5.12xlarge", 4, {});
    EXPECT_EQ(unpriced.instances, 1);
    EXPECT_FALSE(unpriced.hourly_cost);
    EXPECT_EQ(deploy_cost_text(unpriced, "g5.12xlarge", 4),
              "4 nvidia.com/gpu ≈ 1 × g5.12xlarge, cost unknown: no price for `g5.12xlarge` in `clusters.hourly_prices`");
}

TEST(DeployCost, ADeployOfManyGpusMeetsTheApprovalRuleForDeploys) {
    ApprovalsConfig approvals;
    approvals.rules.push_back(ApprovalRule{.name = "big-serving", .commands = {"deploy"}, .min_gpus = 8});
    EXPECT_FALSE(approval_needed(approvals, "deploy", deploy_change("prod", "g5.12xlarge", 4, default_prices)));
    const auto need = approval_needed(approvals, "deploy", deploy_change("prod", "g5.12xlarge", 8, default_prices));
    ASSERT_TRUE(need);
    EXPECT_EQ(need->why, "rule `big-serving`: a change of 8 GPUs (at least 8 need it)");
    EXPECT_FALSE(
        approval_needed(approvals, "scale nodegroup", deploy_change("prod", "g5.12xlarge", 8, default_prices)));
}

}  // namespace
}  // namespace hpops::handlers
