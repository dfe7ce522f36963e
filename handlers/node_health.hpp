#pragma once
#include "hpops/handler.hpp"

namespace hpops::handlers {

// `/hp health [group=] [hyperpod=] [cluster=]`: the HyperPod cluster's nodes
// per instance group with their instance status (ListClusterNodes; the reason
// SageMaker gives, from DescribeClusterNode, for those not Running), the
// resilience labels HyperPod keeps on their Kubernetes Nodes (node health,
// deep health check), whether they are cordoned, and the GPUs of the nodes
// pods cannot land on: the capacity lost.
class NodeHealthReport final : public Handler {
public:
    std::string_view command() const override { return "health"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

}  // namespace hpops::handlers
