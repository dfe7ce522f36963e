#pragma once
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hpops/handler.hpp"
#include "hpops/kube.hpp"

namespace hpops::handlers {

namespace karpenter {
inline const KubeResource node_pools{"karpenter.sh", "v1", "nodepools", "NodePool", false};
inline const KubeResource node_claims{"karpenter.sh", "v1", "nodeclaims", "NodeClaim", false};
}  // namespace karpenter

// `/hp pools [pool=NAME]`: Karpenter's NodePools with their limits,
// disruption settings and capacity types, and the NodeClaims they hold.
class Pools final : public Handler {
public:
    std::string_view command() const override { return "pools"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

// "spot, on-demand" from the template's requirement on karpenter.sh/capacity-type;
// without one Karpenter launches on-demand.
std::string capacity_types_text(const nlohmann::json& node_pool);
// "cpu 1000, nvidia.com/gpu 64", or "none".
std::string limits_text(const nlohmann::json& node_pool);
// "WhenEmptyOrUnderutilized after 30s".
std::string consolidation_text(const nlohmann::json& node_pool);
// "10% of nodes; 0 at `0 9 * * 1-5` for 8h (Underutilized)".
std::string budgets_text(const nlohmann::json& node_pool);
// The NodePool a NodeClaim belongs to (its karpenter.sh/nodepool label).
std::string pool_of(const nlohmann::json& node_claim);
// NodeClaim, pool, instance type, zone, capacity type, node, age, ready.
std::vector<std::string> node_claim_row(const nlohmann::json& node_claim, std::chrono::system_clock::time_point now);

// A NodePool in a line of `/hp nodegroups`.
struct PoolSummary {
    std::string name;
    int nodes = 0;  // NodeClaims it holds
    std::string capacity_types;
    std::string limits;
};
std::vector<PoolSummary> pool_summaries(const std::vector<nlohmann::json>& node_pools,
                                        const std::vector<nlohmann::json>& node_claims);

// The whole answer; `selected` (pool=) names one NodePool, an unknown one is
// a UserError listing those there are.
Reply render_pools(const std::vector<nlohmann::json>& node_pools, const std::vector<nlohmann::json>& node_claims,
                   const std::string& selected, const std::string& cluster, std::chrono::system_clock::time_point now);

}  // namespace hpops::handlers
