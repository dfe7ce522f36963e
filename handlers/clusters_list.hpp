#pragma once
#include "hpops/handler.hpp"

namespace hpops::handlers {

// `/hp clusters`: the stacks hpops launched, with CloudFormation's status
// for each, then the HyperPod and EKS clusters of the region it did not.
class ClustersList final : public Handler {
public:
    std::string_view command() const override { return "clusters"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

}  // namespace hpops::handlers
