#pragma once
#include "hpops/handler.hpp"

namespace hpops::handlers {

// `/hp scale instancegroup NAME count=N [hyperpod=] [cluster=]`: UpdateCluster
// with the group's full specification and the new count, followed until the
// cluster is InService again.
class ScaleInstancegroup final : public Handler {
public:
    std::string_view command() const override { return "scale instancegroup"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

}  // namespace hpops::handlers
