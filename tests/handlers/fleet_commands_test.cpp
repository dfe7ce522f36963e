// Fleet commands end to end in-process: the dispatcher (permissions,
// confirmations, audit) and the real handlers over in-memory EKS and
// SageMaker. Without a job runner, start_job steps the job inline.
#include <gtest/gtest.h>

#include "tests/support/fleet_chat.hpp"

namespace hpops::bot {
namespace {

class FleetCommands : public hpops::testing::FleetChatTest {
protected:
    FleetCommands() {
        auto cfg = hpops::testing::fleet_test_config();
        cfg->slack.signing_secret = "secret";
        eks.clusters["demo"]["gpu-ng"] = EksNodeGroup{"gpu-ng", "ACTIVE", {"g5.xlarge"}, "ON_DEMAND", "", {0, 4, 2}};
        hyperpod.clusters["hp"] = HyperPodCluster{
            "hp", "arn:hp", "InService", "arn:aws:eks:us-west-2:123456789012:cluster/demo",
            {{"workers", "InService", "ml.g5.xlarge", 2, 2, "role"}}};
        start(cfg, false);
    }
};

TEST_F(FleetCommands, NodegroupsListsBothKindsInOneMessage) {
    const std::string text = run("UVIEW", "nodegroups");
    for (const char* expected : {"gpu-ng", "g5.xlarge", "workers", "ml.g5.xlarge", "hp"})
        EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
}

TEST_F(FleetCommands, AViewerCannotScaleAndNothingChanges) {
    const std::string text = run("UVIEW", "scale nodegroup gpu-ng desired=3");
    EXPECT_NE(text.find("operator"), std::string::npos) << text;
    EXPECT_EQ(eks.group("demo", "gpu-ng").scaling.desired_size, 2);
    EXPECT_TRUE(eks.updates.empty());
}

TEST_F(FleetCommands, ScalingToZeroAsksFirstThenFollowsTheUpdateToTheEnd) {
    eks.updates_finish = true;
    const std::string asked = run("UOPS", "scale nodegroup gpu-ng desired=0");
    EXPECT_TRUE(eks.updates.empty()) << "nothing before the confirmation:\n" << asked;
    const std::string done = confirm("UOPS");
    EXPECT_EQ(eks.group("demo", "gpu-ng").scaling.desired_size, 0);
    EXPECT_NE(done.find("Scaled gpu-ng"), std::string::npos) << done;
    EXPECT_EQ(chat->store.recent_audit(1).at(0).outcome, "ok");
}

TEST_F(FleetCommands, AnUnknownNodeGroupIsNamedWithTheOnesThatExist) {
    const std::string text = run("UOPS", "scale nodegroup gpu-nq desired=3");
    EXPECT_NE(text.find("gpu-ng"), std::string::npos) << text;
    EXPECT_TRUE(eks.updates.empty());
}

TEST_F(FleetCommands, AnInstanceGroupScaleIsFollowedUntilTheClusterIsInService) {
    hyperpod.changes_finish = true;
    const std::string text = run("UOPS", "scale instancegroup workers count=3");
    EXPECT_EQ(hyperpod.clusters["hp"].instance_groups[0].target_count, 3);
    EXPECT_NE(text.find("Scaled workers: instances 2 → 3 (current/target 3/3)"), std::string::npos) << text;
}

}  // namespace
}  // namespace hpops::bot
