// `/hp pools`'s pure parts and the pools' section of `/hp nodegroups`, over
// NodePools and NodeClaims shaped as the API server returns them.
#include "handlers/pools.hpp"

#include <gtest/gtest.h>

#include "bot/terminal/plain_text_renderer.hpp"
#include "handlers/nodegroups.hpp"
#include "hpops/errors.hpp"
#include "tests/handlers/hyperpod/fixture_time.hpp"

namespace hpops::handlers {
namespace {

using nlohmann::json;

json node_pool(const std::string& name, json requirements, json disruption, json limits) {
    return {{"metadata", {{"name", name}}},
            {"spec",
             {{"template", {{"spec", {{"requirements", std::move(requirements)},
                                      {"nodeClassRef", {{"group", "karpenter.k8s.aws"}, {"kind", "EC2NodeClass"},
                                                        {"name", "default"}}}}}}},
              {"disruption", std::move(disruption)},
              {"limits", std::move(limits)}}}};
}

json capacity_requirement(const std::string& op, std::vector<std::string> values) {
    json r = {{"key", "karpenter.sh/capacity-type"}, {"operator", op}};
    if (!values.empty()) r["values"] = values;
    return json::array({{{"key", "kubernetes.io/arch"}, {"operator", "In"}, {"values", {"amd64"}}}, r});
}

json gpu_pool() {
    return node_pool("gpu-spot", capacity_requirement("In", {"spot", "on-demand"}),
                     {{"consolidationPolicy", "WhenEmpty"}, {"consolidateAfter", "5m"},
                      {"budgets", json::array({{{"nodes", "10%"}},
                                               {{"nodes", "0"}, {"schedule", "0 9 * * 1-5"}, {"duration", "8h"},
                                                {"reasons", {"Underutilized", "Empty"}}}})}},
                     {{"cpu", "1000"}, {"nvidia.com/gpu", 64}});
}

json node_claim(const std::string& name, const std::string& pool, const std::string& type, const std::string& zone,
                const std::string& capacity, bool ready) {
    return {{"metadata",
             {{"name", name},
              {"creationTimestamp", "2026-12-05T10:30:00Z"},
              {"labels", {{"karpenter.sh/nodepool", pool}, {"node.kubernetes.io/instance-type", type},
                          {"topology.kubernetes.io/zone", zone}, {"karpenter.sh/capacity-type", capacity}}}}},
            {"status", {{"nodeName", ready ? "ip-10-0-1-7.ec2.internal" : ""},
                        {"conditions", json::array({{{"type", "Ready"}, {"status", ready ? "True" : "False"}}})}}}};
}

TEST(KarpenterPools, CapacityTypesFromTheRequirement) {
    EXPECT_EQ(capacity_types_text(gpu_pool()), "spot, on-demand");
    EXPECT_EQ(capacity_types_text(node_pool("p", capacity_requirement("NotIn", {"spot"}), {}, {})), "on-demand, reserved");
    EXPECT_EQ(capacity_types_text(node_pool("p", capacity_requirement("Exists", {}), {}, {})), "any");
    EXPECT_EQ(capacity_types_text(node_pool("p", json::array(), {}, {})), "on-demand (default)");
}

TEST(KarpenterPools, LimitsAndDisruption) {
    EXPECT_EQ(limits_text(gpu_pool()), "cpu 1000, nvidia.com/gpu 64");
    EXPECT_EQ(limits_text(node_pool("p", json::array(), {}, json::object())), "none");
    EXPECT_EQ(consolidation_text(gpu_pool()), "WhenEmpty after 5m");
    EXPECT_EQ(consolidation_text(node_pool("p", json::array(), {{"consolidateAfter", "Never"}}, {})),
              "WhenEmptyOrUnderutilized, never");
    EXPECT_EQ(budgets_text(gpu_pool()), "10% of nodes; 0 nodes at `0 9 * * 1-5` for 8h (Underutilized, Empty)");
    EXPECT_EQ(budgets_text(node_pool("p", json::array(), json::object(), {})), "10% of nodes (default)");
}

TEST(KarpenterClaims, RowFromLabelsAndStatus) {
    EXPECT_EQ(node_claim_row(node_claim("gpu-spot-x7k2p", "gpu-spot", "p5.48xlarge", "us-west-2a", "spot", true),
                             fixture_now),
              (std::vector<std::string>{"gpu-spot-x7k2p", "gpu-spot", "p5.48xlarge", "us-west-2a", "spot",
                                        "ip-10-0-1-7.ec2.internal", "90m", "Ready"}));
    json launching = node_claim("c", "gpu-spot", "", "", "", false);
    launching["metadata"]["labels"].erase("node.kubernetes.io/instance-type");
    const auto row = node_claim_row(launching, fixture_now);
    EXPECT_EQ(row[2], "?") << "not launched yet: no instance type";
    EXPECT_EQ(row[5], "—");
    EXPECT_EQ(row[7], "not ready");
}

TEST(KarpenterReply, PoolsWithTheClaimsTheyHold) {
    const std::vector<json> pools{gpu_pool(), node_pool("cpu", json::array(), {}, {{"cpu", "200"}})};
    const std::vector<json> claims{node_claim("gpu-spot-a", "gpu-spot", "p5.48xlarge", "us-west-2a", "spot", true),
                                   node_claim("gpu-spot-b", "gpu-spot", "g6e.12xlarge", "us-west-2b", "on-demand", false),
                                   node_claim("cpu-a", "cpu", "m7i.2xlarge", "us-west-2c", "on-demand", true)};
    const Reply reply = render_pools(pools, claims, "", "prod", fixture_now);
    const std::string text = bot::render_plain_text(reply);
    for (const char* expected : {"p5.48xlarge", "us-west-2b", "g6e.12xlarge", "m7i.2xlarge", "WhenEmpty after 5m",
                                 "cpu 1000, nvidia.com/gpu 64", "on-demand (default)"})
        EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
    EXPECT_EQ(reply.summary, "2 NodePools, 3 NodeClaims (2 ready)");

    const Reply one = render_pools(pools, claims, "cpu", "prod", fixture_now);
    EXPECT_EQ(bot::render_plain_text(one).find("p5.48xlarge"), std::string::npos);
    EXPECT_EQ(one.summary, "1 NodePools, 1 NodeClaims (1 ready)");
}

TEST(KarpenterReply, AnUnknownPoolListsThoseThereAre) {
    const std::vector<json> pools{gpu_pool(), node_pool("cpu", json::array(), {}, {})};
    try {
        render_pools(pools, {}, "gpu", "prod", fixture_now);
        FAIL() << "no error";
    } catch (const UserError& e) {
        EXPECT_STREQ(e.what(), "No NodePool `gpu` on cluster `prod`. NodePools: cpu, gpu-spot.");
    }
}

TEST(KarpenterNodegroups, PoolsSitBesideTheNodeGroupsOnlyWhenKarpenterIsThere) {
    const std::vector<json> claims{node_claim("a", "gpu-spot", "p5.48xlarge", "us-west-2a", "spot", true),
                                   node_claim("b", "gpu-spot", "p5.48xlarge", "us-west-2a", "spot", true)};
    FleetView view;
    view.region = "us-west-2";
    view.eks_cluster = "prod";
    const std::string without = bot::render_plain_text(render_fleet(view));
    EXPECT_EQ(without.find("Karpenter"), std::string::npos) << without;

    view.karpenter_pools = pool_summaries({gpu_pool()}, claims);
    ASSERT_EQ(view.karpenter_pools->size(), 1u);
    EXPECT_EQ(view.karpenter_pools->at(0).nodes, 2);
    const std::string with = bot::render_plain_text(render_fleet(view));
    EXPECT_NE(with.find("Karpenter node pools"), std::string::npos) << with;
    EXPECT_NE(with.find("spot, on-demand"), std::string::npos) << with;
    EXPECT_NE(with.find("cpu 1000, nvidia.com/gpu 64"), std::string::npos) << with;
}

}  // namespace
}  // namespace hpops::handlers
