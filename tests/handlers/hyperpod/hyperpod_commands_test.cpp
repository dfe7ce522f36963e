// `/hp queues`, `/hp pools`, `/hp nodegroups` and `/hp history` in-process:
// the dispatcher and the real handlers over an in-memory Kubernetes (whose
// kinds can be left unserved, as on a cluster without the operator) and EKS.
// The terminal's rendering drops code marks: `prod` reads as prod.
#include <gtest/gtest.h>

#include "bot/dispatch/dispatcher.hpp"
#include "bot/dispatch/handler_registry.hpp"
#include "bot/terminal/plain_text_renderer.hpp"
#include "common/metrics.hpp"
#include "handlers/pools.hpp"
#include "handlers/queues.hpp"
#include "store/sqlite_store.hpp"
#include "tests/support/chat_harness.hpp"
#include "tests/support/fake_aws.hpp"
#include "tests/support/fake_kube.hpp"
#include "tests/support/run_sync.hpp"

namespace hpops::bot {
namespace {

using nlohmann::json;
namespace kueue = handlers::kueue;
namespace karpenter = handlers::karpenter;

class HyperPodCommands : public ::testing::Test {
protected:
    HyperPodCommands() {
        auto cfg = std::make_shared<Config>();
        cfg->access.default_role = Role::viewer;
        cfg->access.users["UOPS"] = Role::operator_;
        cfg->aws.region = "us-west-2";
        cfg->aws.poll_interval = std::chrono::milliseconds(1);
        cfg->kubernetes.enabled = true;
        cfg->kubernetes.context = "prod-admin";
        config = cfg;
        eks.clusters["prod"]["gpu-ng"] = EksNodeGroup{"gpu-ng", "ACTIVE", {"g5.xlarge"}, "ON_DEMAND", "", {0, 4, 2}};
        eks.updates_finish = true;
        kube.put(kueue::cluster_queues, "", {{"metadata", {{"name", "team-a"}}}, {"spec", json::object()}});
        kube.put(kueue::local_queues, "team-a",
                 {{"metadata", {{"name", "training"}}}, {"spec", {{"clusterQueue", "team-a"}}}});
        kube.put(karpenter::node_pools, "", {{"metadata", {{"name", "gpu-spot"}}}, {"spec", {{"limits", {{"nvidia.com/gpu", 64}}}}}});
        kube.put(karpenter::node_claims, "",
                 {{"metadata", {{"name", "gpu-spot-a"}, {"labels", {{"karpenter.sh/nodepool", "gpu-spot"}}}}}});
        chat = std::make_unique<hpops::testing::ChatHarness>(config, Clients{&eks, &hyperpod, nullptr, &kube});
    }
    std::string run(const std::string& user, const std::string& text) { return chat->run(user, text); }

    hpops::testing::FakeNodeGroups eks;
    hpops::testing::FakeHyperPod hyperpod;  // no HyperPod cluster
    hpops::testing::FakeKube kube;
    ConfigPtr config;
    std::unique_ptr<hpops::testing::ChatHarness> chat;
};

TEST_F(HyperPodCommands, QueuesAndPoolsReadTheOperatorsObjects) {
    const std::string queues = run("UVIEW", "queues");
    EXPECT_NE(queues.find("team-a/training"), std::string::npos) << queues;
    EXPECT_NE(queues.find("Kueue on prod-admin"), std::string::npos) << "the cluster by its context\n" << queues;
    const std::string pools = run("UVIEW", "pools");
    EXPECT_NE(pools.find("gpu-spot-a"), std::string::npos) << pools;
    EXPECT_NE(pools.find("nvidia.com/gpu 64"), std::string::npos) << pools;
}

TEST_F(HyperPodCommands, AMissingOperatorIsNamedNeverA404) {
    kube.unserved = {"clusterqueues", "localqueues", "workloads", "nodepools", "nodeclaims"};
    const std::string queues = run("UVIEW", "queues");
    EXPECT_NE(queues.find("Kueue is not installed on cluster prod-admin (no kueue.x-k8s.io/v1beta1 API)."),
              std::string::npos)
        << queues;
    EXPECT_EQ(queues.find("404"), std::string::npos) << queues;
    const std::string pools = run("UVIEW", "pools pool=gpu-spot");
    EXPECT_NE(pools.find("Karpenter is not installed on cluster prod-admin (no karpenter.sh/v1 API)."),
              std::string::npos)
        << pools;
}

TEST_F(HyperPodCommands, NodegroupsShowsThePoolsOnlyWhereKarpenterIs) {
    const std::string with = run("UVIEW", "nodegroups");
    EXPECT_NE(with.find("Karpenter node pools"), std::string::npos) << with;
    EXPECT_NE(with.find("gpu-spot"), std::string::npos) << with;
    kube.unserved = {"nodepools", "nodeclaims"};
    const std::string without = run("UVIEW", "nodegroups");
    EXPECT_NE(without.find("gpu-ng"), std::string::npos) << without;
    EXPECT_EQ(without.find("Karpenter"), std::string::npos) << "silently absent\n" << without;
}

TEST_F(HyperPodCommands, HistoryShowsTheScaleWithWhoOutcomeAndRequestIdButNoReads) {
    run("UOPS", "scale nodegroup gpu-ng desired=3");
    run("UVIEW", "scale nodegroup gpu-ng desired=1");  // denied: a viewer
    run("UVIEW", "nodegroups");
    const std::string text = run("UVIEW", "history group=gpu-ng");
    EXPECT_NE(text.find("UOPS"), std::string::npos) << text;
    EXPECT_NE(text.find("gpu-ng desired=3"), std::string::npos) << text;
    EXPECT_NE(text.find("req-update"), std::string::npos) << "EKS's request id\n" << text;
    EXPECT_NE(text.find("denied"), std::string::npos) << text;
    const std::string everything = run("UVIEW", "history");
    EXPECT_NE(everything.find("desired=3"), std::string::npos) << everything;
    EXPECT_EQ(everything.find("nodegroups"), std::string::npos) << "a read is not an operation\n" << everything;
    const std::string other = run("UVIEW", "history group=cpu-ng");
    EXPECT_NE(other.find("No audited operation on cpu-ng."), std::string::npos) << other;
}

}  // namespace
}  // namespace hpops::bot
