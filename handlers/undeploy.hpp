#pragma once
#include "hpops/handler.hpp"

namespace hpops::handlers {

// `/hp undeploy NAME [namespace=]`: behind confirmation (command table),
// audited by the dispatcher; deletes exactly the objects `deploy` made under
// that name (hpops's labels), and leaves anything else of that name alone.
class Undeploy final : public Handler {
public:
    std::string_view command() const override { return "undeploy"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

}  // namespace hpops::handlers
