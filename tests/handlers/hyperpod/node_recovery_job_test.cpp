// The node_recovery job stepped against an in-memory SageMaker whose node
// statuses the test sets between steps: when it ends, what its message says.
#include <gtest/gtest.h>

#include "bot/terminal/plain_text_renderer.hpp"
#include "handlers/node_recovery_job.hpp"
#include "hpops/config.hpp"
#include "hpops/handler.hpp"
#include "tests/support/fake_aws.hpp"
#include "tests/support/step_job.hpp"

namespace hpops::handlers {
namespace {

class NodeRecoveryFollow : public ::testing::Test {
protected:
    void SetUp() override {
        hyperpod.clusters["hp"] = HyperPodCluster{"hp", "arn:hp", "InService", "arn:eks", {}};
        hyperpod.nodes["hp"] = {{"i-0aaa", "workers", "ml.p5.48xlarge", "Running", ""},
                                {"i-0bbb", "workers", "ml.p5.48xlarge", "Running", ""}};
    }
    void begin(const std::string& action) {
        job.state = node_recovery_state({action, "hp", "", "i-0aaa", "workers", "ml.p5.48xlarge", "Running",
                                         "req-1", action == "reboot" ? "BatchRebootClusterNodes"
                                                                     : "BatchReplaceClusterNodes",
                                         {"i-0aaa", "i-0bbb"}});
    }
    HyperPodNode& node() { return hyperpod.nodes["hp"][0]; }
    JobStep step() { return hpops::testing::step_job(node_recovery_job(), job, context); }
    std::string text() const { return bot::render_plain_text(node_recovery_job().render(job)); }

    hpops::testing::FakeHyperPod hyperpod;
    Config config;
    Clients clients{nullptr, &hyperpod, nullptr, nullptr};
    JobContext context{config, clients};
    JobRecord job{.id = 7};
};

TEST_F(NodeRecoveryFollow, AnInstanceThatFailsFailsTheJobWithSageMakersReason) {
    begin("reboot");
    node().status = "Pending";
    EXPECT_EQ(step().status, JobStatus::running);
    EXPECT_NE(text().find("Rebooting hyperpod-i-0aaa (workers, ml.p5.48xlarge)… the instance is Pending."),
              std::string::npos)
        << text();
    node() = {"i-0aaa", "workers", "ml.p5.48xlarge", "Failure", "NVLink errors after reboot"};
    EXPECT_EQ(step().status, JobStatus::failed);
    EXPECT_NE(text().find("Reboot of hyperpod-i-0aaa (workers, ml.p5.48xlarge): the instance is Failure: NVLink errors "
                          "after reboot."),
              std::string::npos)
        << text();
    EXPECT_NE(text().find("BatchRebootClusterNodes request req-1 · job 7"), std::string::npos) << text();
}

TEST_F(NodeRecoveryFollow, ARebootNeverSeenLeavingRunningEndsAfterThreePollsAndSaysSo) {
    begin("reboot");
    EXPECT_EQ(step().status, JobStatus::running);
    EXPECT_EQ(step().status, JobStatus::running);
    EXPECT_EQ(step().status, JobStatus::done);
    EXPECT_NE(text().find("Running again (SageMaker never showed it rebooting between polls)."), std::string::npos)
        << text();
}

TEST_F(NodeRecoveryFollow, AReplacedInstanceThatNoSuccessorReplacesKeepsTheJobWaiting) {
    begin("replace");
    hyperpod.nodes["hp"].erase(hyperpod.nodes["hp"].begin());  // gone, no new node yet
    EXPECT_EQ(step().status, JobStatus::running);
    EXPECT_NE(text().find("the instance is Replaced."), std::string::npos) << text();
    hyperpod.nodes["hp"].push_back({"i-0ccc", "workers", "ml.p5.48xlarge", "Pending", ""});
    EXPECT_EQ(step().status, JobStatus::running);
    EXPECT_NE(text().find("replacing it, hyperpod-i-0ccc, is Pending."), std::string::npos) << text();
    hyperpod.nodes["hp"].back().status = "Running";
    EXPECT_EQ(step().status, JobStatus::done);
    EXPECT_NE(text().find("Replaced hyperpod-i-0aaa (workers, ml.p5.48xlarge) with hyperpod-i-0ccc: Running."),
              std::string::npos)
        << text();
}

TEST_F(NodeRecoveryFollow, ARebootedInstanceThatLeavesTheClusterFailsTheJob) {
    begin("reboot");
    hyperpod.nodes["hp"].erase(hyperpod.nodes["hp"].begin());
    EXPECT_EQ(step().status, JobStatus::failed);
    EXPECT_NE(text().find("Reboot of hyperpod-i-0aaa (workers, ml.p5.48xlarge): the instance is NotFound."),
              std::string::npos)
        << text();
}

}  // namespace
}  // namespace hpops::handlers
