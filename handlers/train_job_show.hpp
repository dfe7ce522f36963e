#pragma once
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "hpops/handler.hpp"
#include "hpops/tracking.hpp"

namespace hpops::handlers {

// `/hp trainjobs show NAME [namespace=]`: a training job's conditions, its
// pods, the termination reason of a failed pod, the last lines of the
// master's log (through the API: a kubelet must answer) and its MLflow run.
class TrainJobShow final : public Handler {
public:
    std::string_view command() const override { return "trainjobs show"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

// The master's log as read, or why it could not be.
struct MasterLog {
    std::string pod, container;
    std::string text;
    std::string error;  // set when the API server could not give it
};

// The pod whose log is shown: the PyTorchJob's master replica, else the first pod.
const nlohmann::json* master_pod(const std::vector<const nlohmann::json*>& pods);

// "OOMKilled (exit 137): CUDA out of memory" for each container of a pod that
// ended badly, now or in its last run; empty when none did.
std::vector<std::string> termination_reasons(const nlohmann::json& pod);

Reply render_train_job(const nlohmann::json& job, const std::vector<const nlohmann::json*>& pods,
                       const std::optional<Run>& run, const std::string& runs_note, const MasterLog& log,
                       std::chrono::system_clock::time_point now);

}  // namespace hpops::handlers
