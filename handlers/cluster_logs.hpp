#pragma once
#include "hpops/handler.hpp"

namespace hpops::handlers {

// `/hp cluster logs NAME [last=N]`: the stack's events, read live while
// CloudFormation has the stack, else those hpops's launch and delete jobs
// kept; oldest first, the first failure named above them.
class ClusterLogs final : public Handler {
public:
    std::string_view command() const override { return "cluster logs"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

}  // namespace hpops::handlers
