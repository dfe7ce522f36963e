#pragma once
#include <map>
#include <string>

#include "hpops/handler.hpp"

namespace hpops::handlers {

// "k:v,k2:v2" (or k=v) into labels; throws UserError on a malformed pair.
std::map<std::string, std::string> parse_labels(const std::string& text);

// `/hp nodegroup create NAME instance-type=T [...]`: behind confirmation;
// subnets and node role default to an existing node group's; followed to ACTIVE.
class NodegroupCreate final : public Handler {
public:
    std::string_view command() const override { return "nodegroup create"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

// `/hp nodegroup delete NAME`: behind confirmation; followed until it is gone.
class NodegroupDelete final : public Handler {
public:
    std::string_view command() const override { return "nodegroup delete"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

}  // namespace hpops::handlers
