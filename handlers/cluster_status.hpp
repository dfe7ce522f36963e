#pragma once
#include "hpops/handler.hpp"

namespace hpops::handlers {

// `/hp cluster status [NAME]`: the stack (status, outputs), its EKS cluster
// (status, version), its HyperPod cluster (status, instance groups current
// and target) and the HyperPod nodes by state. Each part that cannot be read
// says why, and the rest is still shown. Without a name: the newest cluster
// hpops launched.
class ClusterStatus final : public Handler {
public:
    std::string_view command() const override { return "cluster status"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

}  // namespace hpops::handlers
