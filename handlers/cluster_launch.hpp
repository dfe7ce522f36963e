#pragma once
#include "hpops/handler.hpp"

namespace hpops::handlers {

// `/hp cluster launch NAME [template=URL] [instance-type=] [count=] [az=]
// [eks-version=] [recovery=] [param.KEY=VALUE ...]`: checks the request and
// the template (ValidateTemplate), asks for confirmation showing the
// parameters, instance groups and estimated hourly cost, then creates the
// stack and follows it as a cluster_stack job.
class ClusterLaunch final : public Handler {
public:
    std::string_view command() const override { return "cluster launch"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

}  // namespace hpops::handlers
