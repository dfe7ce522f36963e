#pragma once
#include "hpops/handler.hpp"

namespace hpops::handlers {

// `/hp scale nodegroup NAME [min=] [max=] [desired=] [cluster=]`: validated
// before any call, confirmed when it scales to zero or down by a large share,
// then UpdateNodegroupConfig, followed until EKS says the update is done.
class ScaleNodegroup final : public Handler {
public:
    std::string_view command() const override { return "scale nodegroup"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

}  // namespace hpops::handlers
