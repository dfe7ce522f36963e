#pragma once
#include "hpops/handler.hpp"

namespace hpops::handlers {

// `/hp instancegroup add NAME instance-type=ml.… count=N [hyperpod=]`: behind
// confirmation; UpdateCluster with the new group (role and lifecycle scripts
// copied from an existing group), followed until the cluster is InService.
class InstancegroupAdd final : public Handler {
public:
    std::string_view command() const override { return "instancegroup add"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

}  // namespace hpops::handlers
