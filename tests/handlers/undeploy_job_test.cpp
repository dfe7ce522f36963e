// The undeploy follow as a job kind against an in-memory Kube: a deleted
// object held by finalizers keeps the job running; gone, it ends.
#include "handlers/undeploy_job.hpp"

#include <gtest/gtest.h>

#include "bot/terminal/plain_text_renderer.hpp"
#include "hpops/config.hpp"
#include "hpops/handler.hpp"
#include "tests/support/fake_kube.hpp"
#include "tests/support/step_job.hpp"

namespace hpops::handlers {
namespace {

class Undeploying : public ::testing::Test {
protected:
    void SetUp() override {
        // The operator's finalizer holds the endpoint config while it tears the SageMaker endpoint down.
        kube.put(kube::inference_endpoint_configs, "ml",
                 {{"metadata", {{"name", "llama"}, {"deletionTimestamp", "2026-12-05T10:00:00Z"},
                                {"finalizers", {"inference.sagemaker.aws.amazon.com/cleanup"}}}}});
        job.id = 9;
        job.state = undeploy_state("llama", "ml", {kube::inference_endpoint_configs, kube::services}, "",
                                   kube.server());
    }
    JobStep step() { return hpops::testing::step_job(undeploy_job(), job, context); }
    std::string text() const { return bot::render_plain_text(undeploy_job().render(job)); }

    hpops::testing::FakeKube kube;
    Config config;
    Clients clients{nullptr, nullptr, nullptr, &kube};
    JobContext context{config, clients};
    JobRecord job;
};

TEST_F(Undeploying, RunsWhileAFinalizerHoldsAnObjectAndEndsWhenItIsGone) {
    const JobStep first = step();
    EXPECT_EQ(first.status, JobStatus::running);
    EXPECT_EQ(first.note, "waiting for InferenceEndpointConfig");
    EXPECT_NE(text().find("Removing llama from ml: waiting for InferenceEndpointConfig to go"), std::string::npos)
        << text();
    EXPECT_EQ(text().find("Removed"), std::string::npos) << "not before it is gone";

    kube.objects.clear();
    EXPECT_EQ(step().status, JobStatus::done);
    EXPECT_NE(text().find("Removed llama from ml: InferenceEndpointConfig, Service."), std::string::npos) << text();
    EXPECT_NE(text().find("job 9"), std::string::npos);
}

TEST_F(Undeploying, PastItsDeadlineItSaysWhatIsStillThere) {
    step();
    job.status = JobStatus::failed;
    job.outcome = "not finished within its deadline";
    EXPECT_NE(text().find("InferenceEndpointConfig still there (not finished within its deadline)"), std::string::npos)
        << text();
}

}  // namespace
}  // namespace hpops::handlers
