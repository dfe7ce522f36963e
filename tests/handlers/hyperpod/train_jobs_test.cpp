// `/hp trainjobs` and its show, suspend, resume and delete: the pure parts
// over PyTorchJobs, HyperPodPyTorchJobs and pods shaped as the API server
// returns them, then in-process through the dispatcher (permissions,
// confirmations) over an in-memory Kubernetes and MLflow. The terminal's
// rendering drops code marks: `team-a/llama-sft` reads as team-a/llama-sft.
#include <gtest/gtest.h>

#include "handlers/kube_custom.hpp"
#include "handlers/train_job_runs.hpp"
#include "handlers/train_job_show.hpp"
#include "handlers/train_jobs.hpp"
#include "hpops/errors.hpp"
#include "tests/handlers/hyperpod/fixture_time.hpp"
#include "tests/support/chat_harness.hpp"
#include "tests/support/fake_kube.hpp"
#include "tests/support/fake_tracking.hpp"

namespace hpops::handlers {
namespace {

using nlohmann::json;
namespace kinds = trainjob_kinds;

json condition(const std::string& type, const std::string& status, const std::string& reason = "",
               const std::string& message = "") {
    return {{"type", type}, {"status", status}, {"reason", reason}, {"message", message},
            {"lastTransitionTime", "2026-12-05T10:00:00Z"}};
}

json replica(int replicas, int gpus) {
    return {{"replicas", replicas},
            {"template", {{"spec", {{"containers", json::array({{{"name", "pytorch"}, {"image", "pytorch"},
                                                                 {"resources", {{"limits", {{"nvidia.com/gpu", gpus}}}}}}})}}}}}};
}

// `conditions` is a json::array: a one-element braced list would be an array
// under GCC but the element itself under clang.
json pytorch_job(const std::string& name, json conditions, bool suspend = false) {
    json job = {{"apiVersion", "kubeflow.org/v1"},
                {"kind", "PyTorchJob"},
                {"metadata", {{"name", name}, {"namespace", "team-a"}, {"uid", "uid-" + name},
                              {"creationTimestamp", "2026-12-05T09:00:00Z"},
                              {"labels", {{queue_label, "training"}}}}},
                {"spec", {{"pytorchReplicaSpecs", {{"Master", replica(1, 8)}, {"Worker", replica(3, 8)}}}}},
                {"status", {{"conditions", std::move(conditions)}}}};
    if (suspend) job["spec"]["runPolicy"]["suspend"] = true;
    return job;
}

json hyperpod_job(const std::string& name) {
    json r = replica(2, 8);
    r["name"] = "pods";
    return {{"apiVersion", "sagemaker.amazonaws.com/v1"},
            {"kind", "HyperPodPyTorchJob"},
            {"metadata", {{"name", name}, {"namespace", "team-b"}, {"creationTimestamp", "2026-12-05T11:00:00Z"}}},
            {"spec", {{"nprocPerNode", "8"}, {"replicaSpecs", json::array({r})}}},
            {"status", {{"conditions", json::array({condition("Running", "True")})}}}};
}

json pod(const std::string& name, const json& job, bool ready, int restarts, const std::string& replica_type,
         json terminated = nullptr) {
    json cs = {{"name", "pytorch"}, {"restartCount", restarts}, {"ready", ready},
               {"state", terminated.is_null() ? json{{"running", json::object()}} : json{{"terminated", terminated}}}};
    return {{"metadata", {{"name", name}, {"namespace", job["metadata"]["namespace"]},
                          {"labels", {{"training.kubeflow.org/replica-type", replica_type}}},
                          {"ownerReferences", json::array({{{"kind", job["kind"]}, {"name", job["metadata"]["name"]},
                                                            {"uid", job["metadata"].value("uid", "x")}}})}}},
            {"spec", {{"nodeName", "ip-10-0-1-7"}, {"containers", json::array({{{"name", "pytorch"}}})}}},
            {"status", {{"phase", terminated.is_null() ? "Running" : "Failed"},
                        {"conditions", json::array({condition("Ready", ready ? "True" : "False")})},
                        {"containerStatuses", json::array({cs})}}}};
}

TEST(TrainJobState, FromTheOperatorsConditionsAndTheSpec) {
    EXPECT_EQ(job_state(pytorch_job("a", json::array())), "Pending");
    EXPECT_EQ(job_state(pytorch_job("a", {condition("Created", "True"), condition("Running", "True")})), "Running");
    EXPECT_EQ(job_state(pytorch_job("a", {condition("Running", "False"), condition("Failed", "True")})), "Failed");
    EXPECT_EQ(job_state(pytorch_job("a", json::array({condition("Succeeded", "True")}))), "Succeeded");
    EXPECT_EQ(job_state(pytorch_job("a", json::array({condition("Running", "True")}), true)), "Suspending")
        << "asked for in spec, not yet done by the operator";
    EXPECT_EQ(job_state(pytorch_job("a", json::array({condition("Suspended", "True")}), true)), "Suspended");
    EXPECT_EQ(job_state(hyperpod_job("h")), "Running");
    json completed = hyperpod_job("h");
    completed["status"]["conditions"].push_back(condition("Completed", "True"));
    EXPECT_EQ(job_state(completed), "Succeeded");
}

TEST(TrainJobReplicas, ReadyPodsOfTheReplicasAskedForRestartsAndQueue) {
    const json job = pytorch_job("llama-sft", json::array({condition("Running", "True")}));
    const json other = pytorch_job("other", json::array({condition("Running", "True")}));
    const std::vector<json> pods{pod("llama-sft-master-0", job, true, 2, "master"),
                                 pod("llama-sft-worker-0", job, false, 1, "worker"),
                                 pod("other-master-0", other, true, 5, "master")};
    const auto mine = pods_of(job, pods);
    ASSERT_EQ(mine.size(), 2u);
    EXPECT_EQ(replicas_text(job, mine), "1/4");
    EXPECT_EQ(restarts_of(mine), 3);
    EXPECT_EQ(gpus_total(job), 32);
    EXPECT_EQ(queue_of(job), "training");
    EXPECT_EQ(queue_of(hyperpod_job("h")), "—");
    EXPECT_EQ(replicas_text(hyperpod_job("h"), {}), "0/2");
    json counted = job;
    counted["status"]["replicaStatuses"] = {{"Master", {{"active", 1}}}, {"Worker", {{"active", 3}}}};
    EXPECT_EQ(replicas_text(counted, {}), "4/4") << "no pods listed: the operator's active count";
}

TEST(TrainJobFind, AnUnknownJobListsThoseThereAre) {
    TrainJobs jobs;
    jobs.jobs = {pytorch_job("llama-sft", json::array()), hyperpod_job("qwen-dpo")};
    EXPECT_EQ(name_of(find_train_job(jobs, "qwen-dpo", "", "prod")), "qwen-dpo");
    try {
        find_train_job(jobs, "nope", "", "prod");
        FAIL() << "no error";
    } catch (const UserError& e) {
        EXPECT_STREQ(e.what(), "No training job `nope` on cluster `prod`. Training jobs: team-a/llama-sft, team-b/qwen-dpo.");
    }
    EXPECT_THROW(find_train_job(jobs, "qwen-dpo", "team-a", "prod"), UserError) << "in another namespace";
    try {
        find_train_job(jobs, "<!channel>", "team-c", "prod");
        FAIL() << "no error";
    } catch (const UserError& e) {
        EXPECT_STREQ(e.what(), "No training job `&lt;!channel&gt;` in `team-c` on cluster `prod`. There are no "
                               "PyTorchJobs or HyperPodPyTorchJobs there.");
    }
}

TEST(TrainJobShow, TerminationReasonsOfContainersThatEndedBadly) {
    const json job = pytorch_job("j", json::array());
    EXPECT_TRUE(termination_reasons(pod("ok", job, true, 0, "master")).empty());
    EXPECT_TRUE(termination_reasons(pod("done", job, false, 0, "master", {{"reason", "Completed"}, {"exitCode", 0}})).empty());
    const auto oom = termination_reasons(
        pod("w", job, false, 0, "worker", {{"reason", "OOMKilled"}, {"exitCode", 137}, {"message", "CUDA out of memory"}}));
    ASSERT_EQ(oom.size(), 1u);
    EXPECT_EQ(oom[0], "container `pytorch`: OOMKilled (exit 137): CUDA out of memory");
    json crashing = pod("c", job, false, 4, "worker");
    crashing["status"]["containerStatuses"][0]["state"] = {{"waiting", {{"reason", "CrashLoopBackOff"}}}};
    crashing["status"]["containerStatuses"][0]["lastState"] = {{"terminated", {{"reason", "Error"}, {"exitCode", 1}}}};
    EXPECT_EQ(termination_reasons(crashing),
              std::vector<std::string>{"container `pytorch`: Error (exit 1) (last run; now CrashLoopBackOff)"});
}

TEST(TrainJobRuns, AJobMatchesTheActiveExperimentOfItsName) {
    const auto matched = experiments_for_jobs({{"1", "hyperpodpytorchjob-2xy", "active"},
                                               {"2", "llama-sft", "deleted"},
                                               {"3", "qwen3-eval", "active"}},
                                              {"hyperpodpytorchjob-2xy", "llama-sft", "other"});
    EXPECT_EQ(matched, (std::map<std::string, std::string>{{"hyperpodpytorchjob-2xy", "1"}}));
}

}  // namespace
}  // namespace hpops::handlers

namespace hpops::bot {
namespace {

using nlohmann::json;
using hpops::handlers::trainjob_kinds::hyperpod_pytorch_jobs;
using hpops::handlers::trainjob_kinds::pytorch_jobs;

class TrainJobCommands : public ::testing::Test {
protected:
    TrainJobCommands() {
        auto cfg = std::make_shared<Config>();
        cfg->access.default_role = Role::viewer;
        cfg->access.users["UOPS"] = Role::operator_;
        cfg->access.users["UADMIN"] = Role::admin;
        cfg->kubernetes.enabled = true;
        cfg->kubernetes.context = "prod-admin";
        config = cfg;
        kube.put(pytorch_jobs, "team-a",
                 {{"kind", "PyTorchJob"},
                  {"metadata", {{"name", "llama-sft"}, {"creationTimestamp", "2026-12-05T09:00:00Z"}}},
                  {"spec", {{"pytorchReplicaSpecs", {{"Master", {{"replicas", 1}}}, {"Worker", {{"replicas", 1}}}}}}},
                  {"status", {{"conditions", json::array({{{"type", "Running"}, {"status", "True"}}})}}}});
        kube.put(hyperpod_pytorch_jobs, "team-b",
                 {{"kind", "HyperPodPyTorchJob"},
                  {"metadata", {{"name", "hyperpodpytorchjob-2xy"}, {"creationTimestamp", "2026-12-05T10:00:00Z"}}},
                  {"spec", {{"replicaSpecs", json::array({{{"name", "pods"}, {"replicas", 2}}})}}}});
        kube.put(kube::pods, "team-a",
                 {{"metadata", {{"name", "llama-sft-master-0"},
                                {"labels", {{"training.kubeflow.org/replica-type", "master"}}},
                                {"ownerReferences", json::array({{{"kind", "PyTorchJob"}, {"name", "llama-sft"}}})}}},
                  {"spec", {{"containers", json::array({{{"name", "pytorch"}}})}}},
                  {"status", {{"phase", "Running"}}}});
        mlflow.experiments = {{"7", "hyperpodpytorchjob-2xy", "active"}};
        hpops::Run finished;
        finished.id = "r1";
        finished.name = "run_20250818_003049";
        finished.status = "FINISHED";
        mlflow.runs = {finished};
        chat = std::make_unique<hpops::testing::ChatHarness>(config, Clients{nullptr, nullptr, &mlflow, &kube});
    }
    std::string run(const std::string& user, const std::string& text) { return chat->run(user, text); }
    std::string confirm(const std::string& user) { return chat->confirm(user); }
    const json& object(const KubeResource& r, const std::string& ns, const std::string& name) {
        return kube.objects.at({r.plural, ns, name});
    }

    hpops::testing::FakeKube kube;
    hpops::testing::FakeTracking mlflow;
    ConfigPtr config;
    std::unique_ptr<hpops::testing::ChatHarness> chat;
};

TEST_F(TrainJobCommands, ListsBothKindsWithTheMatchedMlflowRun) {
    const std::string text = run("UVIEW", "trainjobs");
    EXPECT_NE(text.find("team-a/llama-sft"), std::string::npos) << text;
    EXPECT_NE(text.find("team-b/hyperpodpytorchjob-2xy"), std::string::npos) << text;
    EXPECT_NE(text.find("run_20250818_003049 (FINISHED)"), std::string::npos) << text;
    EXPECT_LT(text.find("hyperpodpytorchjob-2xy"), text.find("llama-sft")) << "newest first\n" << text;
    const std::string failed = run("UVIEW", "trainjobs status=failed");
    EXPECT_NE(failed.find("No failed PyTorchJob or HyperPodPyTorchJob"), std::string::npos) << failed;
    EXPECT_NE(run("UVIEW", "trainjobs status=exploded").find("use one of pending"), std::string::npos);
}

TEST_F(TrainJobCommands, ShowGivesTheMastersLogOrSaysWhyNot) {
    const std::string without = run("UVIEW", "trainjobs show llama-sft");
    EXPECT_NE(without.find("The log of llama-sft-master-0 cannot be read through the API"), std::string::npos) << without;
    kube.pod_logs["llama-sft-master-0"] = "";
    const std::string empty = run("UVIEW", "trainjobs show llama-sft");
    EXPECT_NE(empty.find("llama-sft-master-0 has written nothing to its log yet."), std::string::npos) << empty;
    kube.pod_logs["llama-sft-master-0"] = "step 100 loss 1.23\nstep 110 loss 1.19";
    const std::string with = run("UVIEW", "trainjobs show llama-sft");
    EXPECT_NE(with.find("step 110 loss 1.19"), std::string::npos) << with;
    EXPECT_NE(with.find("Running"), std::string::npos) << with;
    const std::string unknown = run("UVIEW", "trainjobs show nope");
    EXPECT_NE(unknown.find("No training job nope on cluster prod-admin. Training jobs: team-a/llama-sft, "
                           "team-b/hyperpodpytorchjob-2xy."),
              std::string::npos)
        << unknown;
}

TEST_F(TrainJobCommands, AMissingOperatorIsNamedNeverA404) {
    kube.unserved = {"hyperpodpytorchjobs"};
    const std::string one = run("UVIEW", "trainjobs");
    EXPECT_NE(one.find("llama-sft"), std::string::npos) << one;
    EXPECT_NE(one.find("HyperPod's training operator is not installed (no sagemaker.amazonaws.com/v1 API)"),
              std::string::npos)
        << one;
    kube.unserved = {"hyperpodpytorchjobs", "pytorchjobs"};
    const std::string none = run("UVIEW", "trainjobs show llama-sft");
    EXPECT_NE(none.find("No training operator is installed on cluster prod-admin: neither Kubeflow's training "
                        "operator (no kubeflow.org/v1 API) nor HyperPod's training operator (no "
                        "sagemaker.amazonaws.com/v1 API)."),
              std::string::npos)
        << none;
    EXPECT_EQ(none.find("404"), std::string::npos) << none;
}

TEST_F(TrainJobCommands, SuspendAndResumeWriteRunPolicySuspendAfterConfirmation) {
    EXPECT_NE(run("UVIEW", "trainjobs suspend llama-sft").find("operator"), std::string::npos);
    const std::string asked = run("UOPS", "trainjobs suspend llama-sft");
    EXPECT_NE(asked.find("suspend PyTorchJob team-a/llama-sft on prod-admin: its pods (2 replicas, 0 GPUs) stop."),
              std::string::npos)
        << asked;
    EXPECT_FALSE(object(pytorch_jobs, "team-a", "llama-sft")["spec"].contains("runPolicy")) << "not before Confirm";
    const std::string done = confirm("UOPS");
    EXPECT_NE(done.find("Suspended PyTorchJob team-a/llama-sft"), std::string::npos) << done;
    const json& applied = object(pytorch_jobs, "team-a", "llama-sft");
    EXPECT_EQ(applied["spec"], (json{{"runPolicy", {{"suspend", true}}}})) << "only the field hpops owns is applied";
    EXPECT_EQ(applied["apiVersion"], "kubeflow.org/v1");
    run("UOPS", "trainjobs resume llama-sft");
    EXPECT_NE(confirm("UOPS").find("Resumed PyTorchJob team-a/llama-sft"), std::string::npos) << chat->last.summary;
    EXPECT_EQ(object(pytorch_jobs, "team-a", "llama-sft")["spec"]["runPolicy"]["suspend"], false);
    EXPECT_NE(run("UOPS", "trainjobs resume llama-sft").find("is not suspended"), std::string::npos)
        << "refused before anyone is asked to confirm";
}

TEST_F(TrainJobCommands, AHyperPodJobCannotBeSuspendedButCanBeDeleted) {
    const std::string refused = run("UOPS", "trainjobs suspend hyperpodpytorchjob-2xy");
    EXPECT_NE(refused.find("HyperPodPyTorchJob team-b/hyperpodpytorchjob-2xy cannot be suspended: HyperPod's "
                           "training operator publishes no suspend field"),
              std::string::npos)
        << refused;
    EXPECT_FALSE(object(hyperpod_pytorch_jobs, "team-b", "hyperpodpytorchjob-2xy")["spec"].contains("runPolicy"));
    EXPECT_NE(run("UOPS", "trainjobs delete hyperpodpytorchjob-2xy").find("admin"), std::string::npos)
        << "every delete is an admin's";
    run("UADMIN", "trainjobs delete hyperpodpytorchjob-2xy");
    EXPECT_EQ(kube.objects.count({"hyperpodpytorchjobs", "team-b", "hyperpodpytorchjob-2xy"}), 1u) << "asks first";
    EXPECT_NE(confirm("UADMIN").find("Deleted HyperPodPyTorchJob team-b/hyperpodpytorchjob-2xy"), std::string::npos);
    EXPECT_EQ(kube.objects.count({"hyperpodpytorchjobs", "team-b", "hyperpodpytorchjob-2xy"}), 0u);
}

}  // namespace
}  // namespace hpops::bot
