// Which changes need a second person (approvals.rules), and the gate every
// capacity-changing handler passes.
#include "handlers/approval_rules.hpp"

#include <gtest/gtest.h>

#include "hpops/errors.hpp"

namespace hpops::handlers {
namespace {

const std::map<std::string, double> two_prices{{"g5.12xlarge", 5.672}, {"ml.p5.48xlarge", 63.3}};

ApprovalsConfig rules(std::vector<ApprovalRule> list) { return ApprovalsConfig{std::chrono::seconds(600), std::move(list)}; }

TEST(ApprovalRules, AChangeIsMeasuredInInstancesGpusAndCost) {
    const auto up = capacity_change("prod", "g5.12xlarge", 2, 6, two_prices);
    EXPECT_EQ(up.instances, 4);
    EXPECT_EQ(up.gpus, 16);
    EXPECT_NEAR(*up.hourly_cost, 22.688, 1e-9);
    const auto down = capacity_change("prod", "g5.12xlarge", 6, 2, two_prices);
    EXPECT_EQ(down.gpus, -16) << "signed";
    const auto unpriced = capacity_change("prod", "p4d.24xlarge", 0, 1, two_prices);
    EXPECT_EQ(unpriced.gpus, 8);
    EXPECT_FALSE(unpriced.hourly_cost) << "no price: unknown, never zero";
    EXPECT_FALSE(capacity_change("prod", "g9.future", 0, 1, two_prices).gpus)
        << "an accelerated type hpops does not know";
}

TEST(ApprovalRules, ARuleCoversItsCommandsClustersAndThresholds) {
    const auto config = rules({ApprovalRule{"gpus", {"scale nodegroup"}, {"prod"}, 8, 0, Role::admin},
                               ApprovalRule{"money", {}, {}, 0, 100, Role::operator_}});
    const auto big = capacity_change("prod", "g5.12xlarge", 4, 6, two_prices);  // +8 GPUs, +$11.34
    const auto need = approval_needed(config, "scale nodegroup", big);
    ASSERT_TRUE(need);
    EXPECT_EQ(need->why, "rule `gpus`: a change of 8 GPUs (at least 8 need it)");
    EXPECT_EQ(need->approver, Role::admin);
    EXPECT_FALSE(approval_needed(config, "scale nodegroup", capacity_change("prod", "g5.12xlarge", 4, 5, two_prices)))
        << "4 GPUs and $5.67: under both";
    EXPECT_FALSE(approval_needed(config, "scale nodegroup", capacity_change("dev", "g5.12xlarge", 4, 6, two_prices)))
        << "another cluster, and under the money rule";
    const auto expensive =
        approval_needed(config, "nodegroup create", capacity_change("dev", "ml.p5.48xlarge", 0, 2, two_prices));
    ASSERT_TRUE(expensive);
    EXPECT_EQ(expensive->why, "rule `money`: a change of $126.60 an hour (at least $100.00 an hour need it)");
    EXPECT_EQ(approval_needed(config, "scale nodegroup", capacity_change("dev", "m9.unknown", 0, 1, two_prices))->why,
              "rule `money`: a change whose cost is unknown (at least $100.00 an hour need it)")
        << "an unknown cost is not waved through as small";
    EXPECT_TRUE(approval_needed(rules({ApprovalRule{"all", {"cluster delete"}, {}, 0, 0, Role::operator_}}),
                                "cluster delete", CapacityChange{"x", 0, std::nullopt, std::nullopt}))
        << "no threshold: every such change";
}

Intent scale(bool confirmed, std::string approved_by = {}) {
    Intent intent{"scale nodegroup", {"gpu-ng"}, {{"desired", "6"}}, confirmed};
    intent.approved_by = std::move(approved_by);
    return intent;
}

TEST(ApprovalRules, TheGateAsksTheRequesterFirstThenASecondPerson) {
    Config config;
    config.approvals = rules({ApprovalRule{"gpus", {}, {}, 8, 0, Role::admin}});
    const auto big = capacity_change("prod", "g5.12xlarge", 4, 6, two_prices);
    try {
        ask_before_change(scale(false), config, std::nullopt, "scale it?", big);
        FAIL() << "a scale-up the rule covers still asks its requester first";
    } catch (const ConfirmationNeeded& needed) {
        EXPECT_EQ(needed.change(), "scale it?");
        EXPECT_EQ(needed.approval(), "rule `gpus`: a change of 8 GPUs (at least 8 need it)");
        EXPECT_EQ(needed.approver(), Role::admin);
    }
    EXPECT_THROW(ask_before_change(scale(true), config, std::nullopt, "scale it?", big), ConfirmationNeeded)
        << "confirmed, not approved";
    EXPECT_NO_THROW(ask_before_change(scale(true, "UADMIN01"), config, std::nullopt, "scale it?", big));

    const auto small = capacity_change("prod", "g5.12xlarge", 4, 5, two_prices);
    EXPECT_NO_THROW(ask_before_change(scale(false), config, std::nullopt, "scale it?", small));
    try {
        ask_before_change(scale(false), config, "this scales to zero", "scale it?", small);
        FAIL() << "a reason to confirm asks without a rule";
    } catch (const ConfirmationNeeded& needed) {
        EXPECT_EQ(needed.approval(), "") << "no second person";
    }
    EXPECT_NO_THROW(ask_before_change(scale(true), config, "this scales to zero", "scale it?", small));
}

}  // namespace
}  // namespace hpops::handlers
