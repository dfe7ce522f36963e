// The fleet job kinds (a node group scaled, created or deleted; a HyperPod
// instance group scaled or added) stepped against in-memory EKS and
// SageMaker: what each step reads, when it ends, and what its message says.
#include <gtest/gtest.h>

#include "bot/terminal/plain_text_renderer.hpp"
#include "handlers/hyperpod_follow_job.hpp"
#include "handlers/nodegroup_lifecycle_job.hpp"
#include "handlers/scale_nodegroup_job.hpp"
#include "hpops/config.hpp"
#include "hpops/handler.hpp"
#include "tests/support/fake_aws.hpp"
#include "tests/support/run_sync.hpp"
#include "tests/support/step_job.hpp"

namespace hpops::handlers {
namespace {

class FleetJob : public ::testing::Test {
protected:
    void SetUp() override {
        eks.clusters["demo"]["gpu-ng"] = EksNodeGroup{"gpu-ng", "ACTIVE", {"g5.xlarge"}, "ON_DEMAND", "", {0, 4, 1}};
        hyperpod.clusters["hp"] = HyperPodCluster{
            "hp", "arn:hp", "InService", "arn:eks", {{"workers", "InService", "ml.g5.xlarge", 2, 2, "role"}}};
    }
    JobStep step(JobKind& kind) { return hpops::testing::step_job(kind, job, context); }
    std::string text(const JobKind& kind) const { return bot::render_plain_text(kind.render(job)); }

    hpops::testing::FakeNodeGroups eks;
    hpops::testing::FakeHyperPod hyperpod;
    Config config;
    Clients clients{&eks, &hyperpod, nullptr, nullptr};
    JobContext context{config, clients};
    JobRecord job{.id = 3};
};

TEST_F(FleetJob, AScaleFollowsTheEksUpdateToSuccessful) {
    const EksUpdate update = hpops::testing::run_sync(eks.update_scaling("demo", "gpu-ng", {0, 4, 3}));
    job.state = scale_nodegroup_state("demo", "", "gpu-ng", update, "gpu-ng desired 1 → 3", {0, 4, 3});
    const JobStep first = step(scale_nodegroup_job());
    EXPECT_EQ(first.status, JobStatus::running);
    EXPECT_EQ(first.run_after, config.aws.poll_interval);
    EXPECT_NE(text(scale_nodegroup_job()).find("Scaling gpu-ng desired 1 → 3 (update u-1)"), std::string::npos)
        << text(scale_nodegroup_job());

    eks.updates["u-1"].status = "Successful";
    EXPECT_EQ(step(scale_nodegroup_job()).status, JobStatus::done);
    EXPECT_NE(text(scale_nodegroup_job()).find("Scaled gpu-ng desired 1 → 3."), std::string::npos);
    EXPECT_NE(text(scale_nodegroup_job()).find("job 3"), std::string::npos) << "the message names its job";
}

TEST_F(FleetJob, WhereEksCannotDescribeTheUpdateTheNodeGroupsOwnStatusDecides) {
    const EksUpdate update = hpops::testing::run_sync(eks.update_scaling("demo", "gpu-ng", {0, 4, 3}));
    job.state = scale_nodegroup_state("demo", "", "gpu-ng", update, "gpu-ng desired 1 → 3", {0, 4, 3});
    eks.describe_update_works = false;
    EXPECT_EQ(step(scale_nodegroup_job()).status, JobStatus::running) << "UPDATING";
    eks.group("demo", "gpu-ng").status = "ACTIVE";
    const int calls = eks.calls;
    EXPECT_EQ(step(scale_nodegroup_job()).status, JobStatus::done);
    EXPECT_EQ(eks.calls - calls, 1) << "once it knows DescribeUpdate fails, it does not ask again";
}

TEST_F(FleetJob, AFailedUpdateEndsWithEksErrors) {
    const EksUpdate update = hpops::testing::run_sync(eks.update_scaling("demo", "gpu-ng", {0, 4, 3}));
    job.state = scale_nodegroup_state("demo", "", "gpu-ng", update, "gpu-ng desired 1 → 3", {0, 4, 3});
    eks.updates["u-1"].status = "Failed";
    eks.updates["u-1"].errors = {"InsufficientFreeAddresses: subnet-1 is full"};
    EXPECT_EQ(step(scale_nodegroup_job()).status, JobStatus::failed);
    EXPECT_NE(text(scale_nodegroup_job()).find("ended Failed"), std::string::npos) << text(scale_nodegroup_job());
    EXPECT_NE(text(scale_nodegroup_job()).find("subnet-1 is full"), std::string::npos) << text(scale_nodegroup_job());
}

TEST_F(FleetJob, ACreateRunsWhileCreatingAndEndsAtActiveOrAFailure) {
    const NodeGroupChange created =
        hpops::testing::run_sync(eks.create_nodegroup("demo", NodeGroupSpec{"new-ng", {"g5.xlarge"}}));
    job.state = nodegroup_lifecycle_state("create", "demo", created, "new-ng", "g5.xlarge, min 0 max 2 desired 2");
    EXPECT_EQ(step(nodegroup_lifecycle_job()).status, JobStatus::running);
    EXPECT_NE(text(nodegroup_lifecycle_job()).find("EKS says CREATING"), std::string::npos);
    eks.group("demo", "new-ng").status = "ACTIVE";
    EXPECT_EQ(step(nodegroup_lifecycle_job()).status, JobStatus::done);
    EXPECT_NE(text(nodegroup_lifecycle_job()).find("Created node group new-ng: g5.xlarge"), std::string::npos);

    job.status = JobStatus::running;
    eks.group("demo", "new-ng").status = "CREATE_FAILED";
    EXPECT_EQ(step(nodegroup_lifecycle_job()).status, JobStatus::failed);
    EXPECT_NE(text(nodegroup_lifecycle_job()).find("Node group new-ng is CREATE_FAILED."), std::string::npos);
}

TEST_F(FleetJob, ADeleteEndsWhenTheNodeGroupIsGone) {
    const NodeGroupChange deleting = hpops::testing::run_sync(eks.delete_nodegroup("demo", "gpu-ng"));
    job.state = nodegroup_lifecycle_state("delete", "demo", deleting, "gpu-ng", "");
    EXPECT_EQ(step(nodegroup_lifecycle_job()).status, JobStatus::running);
    eks.clusters["demo"].erase("gpu-ng");
    EXPECT_EQ(step(nodegroup_lifecycle_job()).status, JobStatus::done);
    EXPECT_NE(text(nodegroup_lifecycle_job()).find("Deleted node group gpu-ng."), std::string::npos);
}

TEST_F(FleetJob, AnInstanceGroupScaleEndsWhenTheClusterIsInServiceAtTheTarget) {
    hpops::testing::run_sync(hyperpod.set_instance_count("hp", "workers", 3));
    job.state = hyperpod_follow_state("scale", "hp", "", "workers", 3, "workers: instances 2 → 3", "req");
    EXPECT_EQ(step(hyperpod_follow_job()).status, JobStatus::running);
    EXPECT_NE(text(hyperpod_follow_job()).find("the cluster is Updating.\n"), std::string::npos)
        << text(hyperpod_follow_job());
    EXPECT_NE(text(hyperpod_follow_job()).find("[######----] 2/3 instances (current/target)"), std::string::npos)
        << text(hyperpod_follow_job());
    hyperpod.clusters["hp"].status = "InService";
    hyperpod.clusters["hp"].instance_groups[0].current_count = 3;
    EXPECT_EQ(step(hyperpod_follow_job()).status, JobStatus::done);
    EXPECT_NE(text(hyperpod_follow_job()).find("current/target 3/3"), std::string::npos) << text(hyperpod_follow_job());
}

TEST_F(FleetJob, AnInstanceGroupAddThatLeavesTheClusterFailedEndsFailed) {
    hpops::testing::run_sync(hyperpod.add_instance_group("hp", InstanceGroupSpec{"gpu-2", "ml.g5.xlarge", 2}));
    job.state = hyperpod_follow_state("add", "hp", "", "gpu-2", 2, "gpu-2 (ml.g5.xlarge × 2)", "req");
    hyperpod.clusters["hp"].status = "Failed";
    EXPECT_EQ(step(hyperpod_follow_job()).status, JobStatus::failed);
    EXPECT_NE(text(hyperpod_follow_job()).find("the cluster is Failed"), std::string::npos) << text(hyperpod_follow_job());
}

}  // namespace
}  // namespace hpops::handlers
