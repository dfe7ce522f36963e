#include <gtest/gtest.h>

#include "handlers/deploy_manifests.hpp"
#include "handlers/deploy_rollout.hpp"
#include "handlers/kube_nodes.hpp"
#include "hpops/errors.hpp"

// The pure parts of deploy, models and nodes: names, bounds, manifests, rollout verdicts.

namespace hpops::handlers {
namespace {

using nlohmann::json;

Intent deploy(std::string model, std::map<std::string, std::string> options = {}) {
    return Intent{"deploy", {std::move(model)}, std::move(options)};
}

TEST(DeployNames, DerivedFromTheModelWhenItIsNotAValidName) {
    EXPECT_EQ(derive_name("meta-llama/Llama-3.1-8B-Instruct"), "llama-3-1-8b-instruct");
    EXPECT_EQ(derive_name("Qwen/Qwen2.5--7B__"), "qwen2-5-7b");
    EXPECT_EQ(derive_name("7b-model"), "model-7b-model");
    EXPECT_EQ(derive_name("org/" + std::string(100, 'a')).size(), 63u);
    EXPECT_TRUE(is_dns_label("llama-3"));
    EXPECT_FALSE(is_dns_label("Llama"));
    EXPECT_FALSE(is_dns_label("3b"));
    EXPECT_FALSE(is_dns_label("a-"));
    EXPECT_EQ(label_value("meta-llama/Llama-3.1-8B-Instruct"), "meta-llama_Llama-3.1-8B-Instruct");
    const auto spec = parse_deploy(deploy("meta-llama/Llama-3.1-8B-Instruct"), {}, "ml");
    EXPECT_EQ(spec.name, "llama-3-1-8b-instruct");
    EXPECT_NE(spec.name_note.find("is not a valid Kubernetes name"), std::string::npos);
    EXPECT_TRUE(parse_deploy(deploy("gpt2"), {}, "ml").name_note.empty());
}

TEST(DeployBounds, GpusReplicasAndOptionsAreChecked) {
    const KubernetesConfig config;
    for (const char* gpus : {"0", "9", "1000", "-1", "two", "1.5"})
        EXPECT_THROW(parse_deploy(deploy("m", {{"gpus", gpus}}), config, "ml"), UserError) << gpus;
    EXPECT_EQ(parse_deploy(deploy("m", {{"gpus", "8"}}), config, "ml").gpus, 8);
    EXPECT_THROW(parse_deploy(deploy("m", {{"replicas", "17"}}), config, "ml"), UserError);
    EXPECT_THROW(parse_deploy(deploy("m", {{"name", "Bad_Name"}}), config, "ml"), UserError);
    EXPECT_THROW(parse_deploy(deploy("m", {{"engine", "tgi"}}), config, "ml"), UserError);
    EXPECT_THROW(parse_deploy(deploy("m", {{"engine", "jumpstart"}}), config, "ml"), UserError);
    EXPECT_THROW(parse_deploy(deploy("m", {{"s3", "http://x"}}), config, "ml"), UserError);
    EXPECT_THROW(parse_deploy(deploy("m", {{"instance-type", "g5;rm"}}), config, "ml"), UserError);
    EXPECT_THROW(parse_deploy(deploy("m"), config, "Bad_NS"), UserError);
    try {
        parse_deploy(deploy("m", {{"gpus", "0"}}), config, "ml");
    } catch (const UserError& e) {
        EXPECT_STREQ(e.what(), "`gpus=0` must be a whole number from 1 to 8 (GPUs per replica).");
    }
}

TEST(DeployManifests, VllmDeploymentAndServiceCarryHpopsLabelsGpusAndProbe) {
    KubernetesConfig config;
    auto spec = parse_deploy(deploy("org/m", {{"gpus", "4"}, {"replicas", "2"}, {"instance-type", "g5.12xlarge"}}),
                             config, "ml");
    const auto manifests = deploy_manifests(spec, config);
    ASSERT_EQ(manifests.size(), 2u);
    EXPECT_EQ(manifests[0].resource.kind, "Deployment");
    EXPECT_EQ(manifests[1].resource.kind, "Service");
    const json& d = manifests[0].object;
    EXPECT_EQ(d["metadata"]["labels"]["app.kubernetes.io/managed-by"], "hpops");
    EXPECT_EQ(d["spec"]["replicas"], 2);
    const json& pod = d["spec"]["template"]["spec"];
    EXPECT_EQ(pod["containers"][0]["resources"]["limits"]["nvidia.com/gpu"], "4");
    EXPECT_EQ(pod["containers"][0]["image"], config.vllm_image);
    EXPECT_EQ(pod["nodeSelector"]["node.kubernetes.io/instance-type"], "g5.12xlarge");
    EXPECT_EQ(pod["containers"][0]["readinessProbe"]["httpGet"]["path"], "/health");
    // The selector must match the template's labels, or the API server refuses the Deployment.
    for (const auto& [k, v] : d["spec"]["selector"]["matchLabels"].items())
        EXPECT_EQ(d["spec"]["template"]["metadata"]["labels"][k], v);
    EXPECT_EQ(manifests[1].object["spec"]["selector"], d["spec"]["selector"]["matchLabels"]);
}

json deployment(int replicas, int ready, int generation = 1, int observed = 1) {
    return {{"metadata", {{"name", "d"}, {"generation", generation}}},
            {"spec", {{"replicas", replicas}}},
            {"status", {{"readyReplicas", ready}, {"observedGeneration", observed}}}};
}

json pod(json status) { return {{"metadata", {{"name", "p"}}}, {"status", std::move(status)}}; }

TEST(Rollout, ReadyWhenEveryReplicaIsReady) {
    EXPECT_EQ(assess_rollout(deployment(2, 2), {}).phase, RolloutPhase::ready);
    EXPECT_EQ(assess_rollout(deployment(2, 1), {}).phase, RolloutPhase::progressing);
    // A status from before the change does not count.
    EXPECT_EQ(assess_rollout(deployment(1, 1, 2, 1), {}).phase, RolloutPhase::progressing);
}

TEST(Rollout, FailuresAreNamedWithKubernetesWords) {
    const auto pull = assess_rollout(deployment(1, 0), {pod({{"phase", "Pending"}, {"containerStatuses", {{
        {"name", "vllm"}, {"state", {{"waiting", {{"reason", "ImagePullBackOff"}, {"message", "no such image"}}}}}}}}})});
    EXPECT_EQ(pull.phase, RolloutPhase::failed);
    EXPECT_EQ(pull.reason, "ImagePullBackOff");
    EXPECT_EQ(pull.detail, "no such image");
    const auto unschedulable = assess_rollout(deployment(1, 0), {pod({{"conditions", {{
        {"type", "PodScheduled"}, {"status", "False"}, {"reason", "Unschedulable"},
        {"message", "0/2 nodes are available: 2 Insufficient nvidia.com/gpu."}}}}})});
    EXPECT_EQ(unschedulable.reason, "Unschedulable");
    EXPECT_EQ(unschedulable.pod_phases.at("Pending"), 1);
    const auto crash = assess_rollout(deployment(1, 0), {pod({{"phase", "Running"}, {"containerStatuses", {{
        {"name", "vllm"}, {"state", {{"waiting", {{"reason", "CrashLoopBackOff"}}}}},
        {"lastState", {{"terminated", {{"exitCode", 1}, {"message", "OOM"}}}}}}}}})});
    EXPECT_EQ(crash.reason, "CrashLoopBackOff");
    EXPECT_EQ(crash.last_message, "OOM");
    EXPECT_EQ(crash.container, "vllm");
    json deadline = deployment(1, 0);
    deadline["status"]["conditions"] = {{{"type", "Progressing"}, {"reason", "ProgressDeadlineExceeded"}, {"message", "slow"}}};
    EXPECT_EQ(assess_rollout(deadline, {}).reason, "ProgressDeadlineExceeded");
}

TEST(Nodes, GpusInUseCountPodsThatHoldThem) {
    const json gpu_pod = {{"spec", {{"nodeName", "n1"}, {"containers", {{{"resources", {{"limits", {{"nvidia.com/gpu", "2"}}}}}}}}}},
                          {"status", {{"phase", "Running"}}}};
    json done = gpu_pod;
    done["status"]["phase"] = "Succeeded";
    json unplaced = gpu_pod;
    unplaced["spec"].erase("nodeName");
    const auto used = gpus_in_use({gpu_pod, gpu_pod, done, unplaced});
    EXPECT_EQ(used.at("n1"), 4);
    EXPECT_EQ(used.size(), 1u);
    const json node = {{"metadata", {{"name", "n1"}, {"labels", {{"node.kubernetes.io/instance-type", "p5.48xlarge"}}}}},
                       {"status", {{"capacity", {{"nvidia.com/gpu", "8"}}}, {"allocatable", {{"nvidia.com/gpu", "7"}}},
                                   {"conditions", {{{"type", "Ready"}, {"status", "True"}}}}}}};
    EXPECT_EQ(node_row(node, 4), (std::vector<std::string>{"n1", "p5.48xlarge", "Ready", "8", "7", "4"}));
}

}  // namespace
}  // namespace hpops::handlers
