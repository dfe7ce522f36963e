#pragma once
#include "hpops/handler.hpp"

namespace hpops::handlers {

struct StatusFacts {
    std::string version;
    std::chrono::seconds uptime{0};
    std::string store;
    bool store_healthy = false;
    std::vector<std::pair<std::string, bool>> integrations;  // name, configured
};

// Pure: the reply for a set of facts, so tests need no clock and no store.
Reply render_status(const StatusFacts& facts);
std::string format_uptime(std::chrono::seconds uptime);

// `/hp status`: the bot's own health. The fleet digest joins it as integrations land.
class StatusCommand final : public Handler {
public:
    std::string_view command() const override { return "status"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

}  // namespace hpops::handlers
