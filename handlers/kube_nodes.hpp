#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <vector>

#include "hpops/handler.hpp"

namespace hpops::handlers {

// `/hp nodes [status=ready|notready]`: the cluster's nodes with instance type,
// readiness, GPU capacity and allocatable, and GPUs requested by their pods.
class KubeNodes final : public Handler {
public:
    std::string_view command() const override { return "nodes"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

// GPUs requested per node by pods that hold them (not Succeeded or Failed).
std::map<std::string, int> gpus_in_use(const std::vector<nlohmann::json>& pods);
std::vector<std::string> node_row(const nlohmann::json& node, int in_use);
bool node_ready(const nlohmann::json& node);

}  // namespace hpops::handlers
