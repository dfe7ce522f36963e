#pragma once
#include <optional>

#include "handlers/pools.hpp"
#include "hpops/handler.hpp"
#include "hpops/hyperpod.hpp"
#include "hpops/node_groups.hpp"

namespace hpops::handlers {

struct FleetView {
    std::string region;
    std::string eks_cluster;
    std::string eks_note;
    std::vector<EksNodeGroup> node_groups;
    std::string hyperpod_cluster;  // empty: none
    std::string hyperpod_note;
    std::string hyperpod_status;
    std::vector<HyperPodInstanceGroup> instance_groups;
    // Karpenter's NodePools on the cluster; nullopt where Karpenter is not
    // installed (or Kubernetes not configured): the section is left out.
    std::optional<std::vector<PoolSummary>> karpenter_pools;
    std::string karpenter_note;  // why the pools could not be read
};

// Pure: the one message that shows both kinds of group.
Reply render_fleet(const FleetView& view);

// `/hp nodegroups [cluster=] [hyperpod=]`
class Nodegroups final : public Handler {
public:
    std::string_view command() const override { return "nodegroups"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

}  // namespace hpops::handlers
