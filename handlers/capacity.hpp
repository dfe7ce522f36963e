#pragma once
#include "hpops/handler.hpp"

namespace hpops::handlers {

// `/hp capacity [since=7d] [group=NAME]`: each node group's and instance
// group's size over the period as a sparkline, its fewest and most instances,
// and its GPU-hours and their cost, from the capacity samples.
class Capacity final : public Handler {
public:
    std::string_view command() const override { return "capacity"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

}  // namespace hpops::handlers
