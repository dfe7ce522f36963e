#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "handlers/deploy_manifests.hpp"
#include "hpops/reply.hpp"

namespace hpops::handlers {

enum class RolloutPhase { progressing, ready, failed };

// Where a vLLM rollout stands, from the Deployment's status and its pods.
struct RolloutState {
    RolloutPhase phase = RolloutPhase::progressing;
    int desired = 0;
    int ready = 0;
    std::map<std::string, int> pod_phases;  // "Running" -> 1, "Pending" -> 2
    std::string reason;  // ImagePullBackOff, Unschedulable, CrashLoopBackOff, ProgressDeadlineExceeded
    std::string detail;  // what Kubernetes said about it
    std::string pod, container;  // the failing one, for its logs
    std::string last_message;    // lastState.terminated.message of a crashing container
};

// Pure: the same answer for the same objects, for tests.
RolloutState assess_rollout(const nlohmann::json& deployment, const std::vector<nlohmann::json>& pods);

// HyperPod inference resources (JumpStartModel, InferenceEndpointConfig):
// the state the operator reports in status (state, deploymentStatus, phase,
// or the first true condition); "pending" before it has written any.
std::string custom_resource_state(const nlohmann::json& object);
// Ready once the operator reports the endpoint deployed; failed when its
// state says so, with the operator's message as the detail.
RolloutState assess_custom_resource(const nlohmann::json& object);

// The message edited while following, and the final one. `logs` are the last
// lines of a crashing container, or empty; `logs_note` says where they came from.
Reply rollout_reply(const DeploySpec& spec, const RolloutState& state, bool final, const std::string& logs,
                    const std::string& logs_note);

}  // namespace hpops::handlers
