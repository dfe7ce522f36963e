#pragma once
#include <nlohmann/json.hpp>
#include <vector>

#include "hpops/handler.hpp"

namespace hpops::handlers {

// `/hp models [namespace=]`: every model deployment hpops manages, plus other
// inference servers and HyperPod inference resources found, with readiness,
// replicas, GPUs, age and the service endpoint.
class Models final : public Handler {
public:
    std::string_view command() const override { return "models"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

// One table row per object, pure for tests.
std::vector<std::string> deployment_row(const nlohmann::json& deployment, std::chrono::system_clock::time_point now);
std::vector<std::string> inference_resource_row(const nlohmann::json& object, std::chrono::system_clock::time_point now);
// A Deployment someone else runs that serves a model (vLLM, TGI, Triton, ...).
bool looks_like_inference(const nlohmann::json& deployment);

}  // namespace hpops::handlers
