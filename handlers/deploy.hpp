#pragma once
#include "hpops/handler.hpp"

namespace hpops::handlers {

// `/hp deploy MODEL [name=] [engine=vllm|jumpstart|endpoint] [replicas=] [gpus=]
// [instance-type=] [image=] [namespace=] [s3=]`: validated, refused when the
// name belongs to an object hpops does not manage, confirmed above the GPU
// threshold, applied server-side, then (vLLM) followed until ready or failed.
class Deploy final : public Handler {
public:
    std::string_view command() const override { return "deploy"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

}  // namespace hpops::handlers
