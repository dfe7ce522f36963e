// `/hp health`, `/hp node reboot` and `/hp node replace` in-process: the
// dispatcher (permissions, confirmation, audit) and the real handlers over an
// in-memory SageMaker (FakeHyperPod) and Kubernetes whose Nodes carry the
// labels HyperPod sets. Without a job runner, start_job steps the follow job
// inline. The terminal's rendering drops code marks.
#include <gtest/gtest.h>

#include "tests/support/fleet_chat.hpp"

namespace hpops::bot {
namespace {

using nlohmann::json;

json kube_node(const std::string& instance_id, const std::string& health, bool cordoned = false,
               const std::string& deep = "Passed") {
    return {{"metadata",
             {{"name", "hyperpod-" + instance_id},
              {"labels",
               {{"sagemaker.amazonaws.com/node-health-status", health},
                {"sagemaker.amazonaws.com/deep-health-check-status", deep},
                {"node.kubernetes.io/instance-type", "ml.g5.12xlarge"}}}}},
            {"spec", {{"unschedulable", cordoned}}},
            {"status", {{"conditions", json::array({{{"type", "Ready"}, {"status", "True"}}})}}}};
}

class NodeHealthCommands : public hpops::testing::FleetChatTest {
protected:
    NodeHealthCommands() {
        auto cfg = hpops::testing::fleet_test_config();
        cfg->kubernetes.enabled = true;
        eks.clusters["demo"]["gpu-ng"] = EksNodeGroup{"gpu-ng", "ACTIVE", {"g5.xlarge"}, "ON_DEMAND", "", {0, 4, 2}};
        hyperpod.clusters["hp"] = HyperPodCluster{
            "hp", "arn:hp", "InService", "arn:aws:eks:us-west-2:123456789012:cluster/demo",
            {{"workers", "InService", "ml.g5.12xlarge", 4, 4, "role"},
             {"controller", "InService", "ml.m5.xlarge", 1, 1, "role"}}};
        hyperpod.nodes["hp"] = {{"i-0aaa", "workers", "ml.g5.12xlarge", "Running", ""},
                                {"i-0bbb", "workers", "ml.g5.12xlarge", "Running", ""},
                                {"i-0ccc", "workers", "ml.g5.12xlarge", "Running", ""},
                                {"i-0ddd", "workers", "ml.g5.12xlarge", "Failure", "GPU fell off the bus"},
                                {"i-0eee", "controller", "ml.m5.xlarge", "Running", ""}};
        kube.put(kube::nodes, "", kube_node("i-0aaa", "Schedulable"));
        kube.put(kube::nodes, "", kube_node("i-0bbb", "UnschedulablePendingReboot", false, "Failed"));
        kube.put(kube::nodes, "", kube_node("i-0ccc", "Schedulable", true));
        kube.put(kube::nodes, "", kube_node("i-0eee", "Schedulable"));
        start(cfg);
    }
    static bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
    // Whether a line of `text`, its runs of spaces (a table's padding) made one, is `row`.
    static bool has_row(const std::string& text, const std::string& row) {
        std::string line;
        bool space = false;
        for (char c : text + "\n") {
            if (c == '\n') {
                if (line == row) return true;
                line.clear();
            } else if (c == ' ' || c == '|') {
                space = !line.empty();
            } else {
                if (space) line += ' ';
                space = false;
                line += c;
            }
        }
        return false;
    }
};

TEST_F(NodeHealthCommands, HealthShowsEachNodesStatusLabelsCordonAndTheGpusLost) {
    const std::string text = run("UVIEW", "health");
    // Of the four 4-GPU workers only i-0aaa is schedulable: one labelled for a
    // reboot, one cordoned, one whose instance failed; the controller has no GPU.
    EXPECT_TRUE(has(text, "workers: 1 of 4 nodes schedulable; 12 of 16 GPUs lost")) << text;
    EXPECT_TRUE(has(text, "controller: 1 of 1 nodes schedulable; 0 of 0 GPUs lost")) << text;
    EXPECT_TRUE(has(text, "5 HyperPod nodes, 3 not schedulable, 12 of 16 GPUs lost")) << text;
    EXPECT_TRUE(has_row(text, "hyperpod-i-0aaa workers Running Schedulable Passed — 4")) << text;
    EXPECT_TRUE(has_row(text, "hyperpod-i-0bbb workers Running UnschedulablePendingReboot Failed — 4")) << text;
    EXPECT_TRUE(has_row(text, "hyperpod-i-0ccc workers Running Schedulable Passed yes 4")) << "cordoned\n" << text;
    EXPECT_TRUE(has_row(text, "hyperpod-i-0ddd workers Failure no Kubernetes node — — 4")) << text;
    EXPECT_TRUE(has_row(text, "hyperpod-i-0eee controller Running Schedulable Passed — 0")) << text;
    EXPECT_TRUE(has(text, "hyperpod-i-0ddd Failure: GPU fell off the bus")) << "DescribeClusterNode's reason\n" << text;
}

TEST_F(NodeHealthCommands, HealthOfOneGroupAndAnUnknownGroupListsTheGroups) {
    const std::string one = run("UVIEW", "health group=controller");
    EXPECT_TRUE(has(one, "1 HyperPod nodes, 0 not schedulable")) << one;
    EXPECT_FALSE(has(one, "i-0aaa")) << one;
    const std::string unknown = run("UVIEW", "health group=wrokers");
    EXPECT_TRUE(has(unknown, "has no instance group wrokers. It has: workers, controller.")) << unknown;
}

TEST_F(NodeHealthCommands, WithoutKubernetesOnlyTheInstanceStatusCounts) {
    start(config, false);
    const std::string text = run("UVIEW", "health");
    EXPECT_TRUE(has(text, "workers: 3 of 4 nodes schedulable; 4 of 16 GPUs lost")) << text;
    EXPECT_TRUE(has(text, "Kubernetes is not configured")) << text;
}

TEST_F(NodeHealthCommands, ARebootAsksFirstThenIsAuditedAndFollowedUntilRunning) {
    const std::string asked = run("UOPS", "node reboot hyperpod-i-0aaa");
    EXPECT_TRUE(hyperpod.rebooted.empty()) << "nothing before the confirmation\n" << asked;
    EXPECT_TRUE(has(asked, "Reboot hyperpod-i-0aaa (workers, ml.g5.12xlarge) on hp?")) << asked;
    const std::string done = confirm("UOPS");
    EXPECT_EQ(hyperpod.rebooted, std::vector<std::string>{"i-0aaa"});
    EXPECT_TRUE(has(done, "Rebooted hyperpod-i-0aaa (workers, ml.g5.12xlarge): Running again.")) << done;
    EXPECT_TRUE(has(done, "BatchRebootClusterNodes request req-reboot")) << done;
    const auto audit = chat->store.recent_audit(1).at(0);
    EXPECT_EQ(audit.outcome, "ok");
    EXPECT_EQ(audit.backend_request_id, "req-reboot");
}

TEST_F(NodeHealthCommands, AReplacementIsFollowedToTheInstanceThatReplacesIt) {
    run("UOPS", "node replace i-0bbb");
    const std::string done = confirm("UOPS");
    EXPECT_EQ(hyperpod.replaced, std::vector<std::string>{"i-0bbb"});
    EXPECT_TRUE(has(done, "Replaced hyperpod-i-0bbb (workers, ml.g5.12xlarge) with hyperpod-i-0bbb-new: Running.")) << done;
}

TEST_F(NodeHealthCommands, AnUnknownNodeIsAnsweredWithTheNodesThereAre) {
    const std::string text = run("UOPS", "node reboot i-0zzz");
    EXPECT_TRUE(has(text, "HyperPod cluster hp has no node i-0zzz. It has: hyperpod-i-0aaa (workers),")) << text;
    EXPECT_TRUE(hyperpod.rebooted.empty());
}

TEST_F(NodeHealthCommands, ANodeBeingReplacedIsNotRebooted) {
    kube.put(kube::nodes, "", kube_node("i-0aaa", "UnschedulablePendingReplacement"));
    const std::string labelled = run("UOPS", "node reboot hyperpod-i-0aaa");
    EXPECT_TRUE(has(labelled, "hyperpod-i-0aaa is waiting to be replaced (labelled UnschedulablePendingReplacement): a "
                              "reboot would race its replacement."))
        << labelled;
    hyperpod.nodes["hp"][2].status = "ShuttingDown";
    const std::string shutting = run("UOPS", "node reboot i-0ccc");
    EXPECT_TRUE(has(shutting, "hyperpod-i-0ccc is already being replaced (instance ShuttingDown)")) << shutting;
    EXPECT_TRUE(hyperpod.rebooted.empty());
}

TEST_F(NodeHealthCommands, SageMakersPerNodeRefusalIsSaidWithItsCode) {
    hyperpod.refusals["i-0aaa"] = {"i-0aaa", "InstanceIdInUse", "Node i-0aaa is already being replaced."};
    run("UOPS", "node reboot i-0aaa");
    const std::string text = confirm("UOPS");
    EXPECT_TRUE(has(text, "SageMaker refused to reboot hyperpod-i-0aaa: InstanceIdInUse (Node i-0aaa is already being "
                          "replaced.). Request req-reboot."))
        << text;
}

TEST_F(NodeHealthCommands, AViewerCannotRebootAndATwoPersonRuleCoversNodes) {
    const std::string denied = run("UVIEW", "node reboot i-0aaa");
    EXPECT_TRUE(has(denied, "operator")) << denied;
    auto cfg = std::make_shared<Config>(*config);
    cfg->approvals.rules.push_back({"gpu-nodes", {"node reboot"}, {}, 4, 0, Role::operator_});
    start(cfg);
    run("UOPS", "node reboot i-0aaa");
    const std::string second = confirm("UOPS");
    EXPECT_TRUE(has(second, "gpu-nodes")) << "a second person must approve\n" << second;
    EXPECT_TRUE(hyperpod.rebooted.empty()) << second;
}

}  // namespace
}  // namespace hpops::bot
