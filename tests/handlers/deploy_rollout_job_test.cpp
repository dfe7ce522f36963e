#include "handlers/deploy_rollout_job.hpp"

#include <gtest/gtest.h>

#include "bot/terminal/plain_text_renderer.hpp"
#include "handlers/deploy_common.hpp"
#include "hpops/config.hpp"
#include "hpops/errors.hpp"
#include "hpops/handler.hpp"
#include "tests/support/fake_kube.hpp"
#include "tests/support/step_job.hpp"

// The rollout follow as a job kind: one read per step against an in-memory
// Kube, its state surviving a round trip through the store's JSON text.

namespace hpops::handlers {
namespace {

using nlohmann::json;

class RolloutJob : public ::testing::Test {
protected:
    void SetUp() override {
        spec = parse_deploy(Intent{"deploy", {"meta-llama/Llama-3.1-8B-Instruct"}, {{"gpus", "2"}}},
                            config.kubernetes, "ml");
        spec.actor = "U1";
        const auto manifests = deploy_manifests(spec, config.kubernetes);
        for (const auto& m : manifests) kube.put(m.resource, "ml", m.object);
        job.id = 7;
        job.kind = std::string(DeployRolloutJob::kind);
        job.state = deploy_rollout_state(spec, manifests.front().resource);
    }

    // One step, its state kept as the runner keeps it.
    JobStep step() { return hpops::testing::step_job(deploy_rollout_job(), job, context); }
    // As a terminal shows it (`hpops run`): markup gone, mentions as @id.
    std::string text() const { return bot::render_plain_text(deploy_rollout_job().render(job)); }

    void deployment_ready(int ready) {
        json& d = kube.objects.at({"deployments", "ml", spec.name});
        d["metadata"]["generation"] = 1;
        d["status"] = {{"readyReplicas", ready}, {"observedGeneration", 1}};
    }
    void pod(const std::string& name, json status) {
        kube.put(kube::pods, "ml",
                 {{"metadata", {{"name", name}, {"labels", {{"app.kubernetes.io/managed-by", "hpops"},
                                                            {instance_label, spec.name}}}}},
                  {"status", std::move(status)}});
    }

    hpops::testing::FakeKube kube;
    Config config;
    Clients clients{nullptr, nullptr, nullptr, &kube};
    JobContext context{config, clients};
    DeploySpec spec;
    JobRecord job;
};

TEST_F(RolloutJob, StepsUntilReadyThenSaysWhereItServes) {
    deployment_ready(0);
    pod("p1", {{"phase", "Pending"}});
    const JobStep first = step();
    EXPECT_EQ(first.status, JobStatus::running);
    EXPECT_EQ(first.run_after, config.kubernetes.poll_interval);
    EXPECT_NE(text().find("[working] Rolling out llama-3-1-8b-instruct in ml.\n"), std::string::npos) << text();
    EXPECT_NE(text().find("[----------] 0/1 replicas ready"), std::string::npos) << text();
    EXPECT_NE(text().find("Pending 1"), std::string::npos) << text();

    deployment_ready(1);
    pod("p1", {{"phase", "Running"}, {"conditions", {{{"type", "Ready"}, {"status", "True"}}}}});
    EXPECT_EQ(step().status, JobStatus::done);
    EXPECT_NE(text().find("is ready: 1/1 replicas ready"), std::string::npos) << text();
    EXPECT_NE(text().find("http://llama-3-1-8b-instruct.ml.svc:8000/v1"), std::string::npos) << text();
    EXPECT_NE(text().find("is not a valid Kubernetes name"), std::string::npos) << "the name note, at the end";
    EXPECT_EQ(kube.gets, 2);
    EXPECT_EQ(kube.lists, 2) << "one read of the Deployment and one of its pods per step";
}

TEST_F(RolloutJob, ACrashLoopEndsFailedWithTheContainersLastWords) {
    deployment_ready(0);
    pod("p1", {{"phase", "Running"},
               {"containerStatuses", {{{"name", "vllm"}, {"state", {{"waiting", {{"reason", "CrashLoopBackOff"}}}}},
                                       {"lastState", {{"terminated", {{"exitCode", 1}, {"message", "CUDA OOM"}}}}}}}}});
    const JobStep s = step();
    EXPECT_EQ(s.status, JobStatus::failed);
    EXPECT_EQ(s.note, "CrashLoopBackOff");
    EXPECT_NE(text().find("is not coming up: CrashLoopBackOff (pod p1)"), std::string::npos) << text();
    EXPECT_NE(text().find("CUDA OOM"), std::string::npos) << text();
    EXPECT_NE(text().find("logs unavailable"), std::string::npos) << "no kubelet: says where the words came from";

    kube.pod_logs["p1"] = "loading weights\nRuntimeError: CUDA out of memory";
    job.status = JobStatus::running;
    step();
    EXPECT_NE(text().find("RuntimeError: CUDA out of memory"), std::string::npos) << text();
    EXPECT_NE(text().find("last 15 log lines of p1"), std::string::npos) << text();
}

TEST_F(RolloutJob, TheDeploymentDeletedMidRolloutEndsTheFollowWithAReason) {
    kube.objects.erase({"deployments", "ml", spec.name});
    try {
        step();
        FAIL() << "followed a deleted Deployment";
    } catch (const UserError& e) {
        EXPECT_NE(std::string(e.what()).find("was deleted while it rolled out"), std::string::npos) << e.what();
    }
}

TEST_F(RolloutJob, CancelledAndTimedOutJobsSayWhatKubernetesIsStillDoing) {
    deployment_ready(0);
    step();
    job.status = JobStatus::cancelled;
    EXPECT_NE(text().find("Stopped following llama-3-1-8b-instruct; Kubernetes carries on"), std::string::npos) << text();
    job.status = JobStatus::failed;
    job.outcome = "deadline passed";
    EXPECT_NE(text().find("is not ready yet: 0/1 replicas ready"), std::string::npos) << text();
    EXPECT_NE(text().find("deadline passed"), std::string::npos) << text();
}

TEST_F(RolloutJob, AnUnreadableStateRendersAsAFailedJobNotAnException) {
    job.state = "{not json";
    job.outcome = "state unreadable";
    EXPECT_NE(text().find("Job 7"), std::string::npos) << text();
}

}  // namespace
}  // namespace hpops::handlers
