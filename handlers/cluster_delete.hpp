#pragma once
#include "hpops/handler.hpp"

namespace hpops::handlers {

// `/hp cluster delete NAME [force=yes]`: asks, naming the stack's resources,
// then deletes the stack and follows it to DELETE_COMPLETE as a job. A stack
// without hpops's launch tag is refused unless an admin adds force=yes.
class ClusterDelete final : public Handler {
public:
    std::string_view command() const override { return "cluster delete"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

}  // namespace hpops::handlers
