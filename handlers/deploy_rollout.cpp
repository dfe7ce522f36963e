#include "handlers/deploy_rollout.hpp"

#include <set>

#include "handlers/kube_fields.hpp"

namespace hpops::handlers {
namespace {

using nlohmann::json;

// Waiting reasons that do not fix themselves: the rollout has failed.
const std::set<std::string> fatal_waiting{"ImagePullBackOff", "ErrImagePull", "InvalidImageName",
                                          "CrashLoopBackOff", "CreateContainerConfigError", "CreateContainerError"};

std::string phase_of(const json& pod) {
    if (pod["metadata"].contains("deletionTimestamp")) return "Terminating";
    std::string phase = pod["status"].value("phase", "Pending");
    return phase.empty() ? "Pending" : phase;
}

// Records the first failure found; later ones are the same story.
void find_failure(const json& pod, RolloutState& state) {
    if (!state.reason.empty()) return;
    const json status = pod.value("status", json::object());
    for (const auto& c : status.value("conditions", json::array())) {
        if (c.value("type", "") == "PodScheduled" && c.value("status", "") == "False" &&
            c.value("reason", "") == "Unschedulable") {
            state.reason = "Unschedulable";
            state.detail = c.value("message", "");
            state.pod = pod["metadata"].value("name", "");
            return;
        }
    }
    for (const auto& cs : status.value("containerStatuses", json::array())) {
        const json waiting = cs["state"].value("waiting", json::object());
        const std::string reason = waiting.value("reason", "");
        if (!fatal_waiting.contains(reason)) continue;
        state.reason = reason;
        state.detail = waiting.value("message", "");
        state.pod = pod["metadata"].value("name", "");
        state.container = cs.value("name", "");
        const json terminated = cs.value("lastState", json::object()).value("terminated", json::object());
        state.last_message = terminated.value("message", "");
        if (state.detail.empty() && terminated.contains("exitCode"))
            state.detail = "last exit code " + std::to_string(terminated.value("exitCode", 0)) + " (" +
                           terminated.value("reason", "Error") + ")";
        return;
    }
}

std::string count_text(const std::map<std::string, int>& phases) {
    std::string out;
    for (const auto& [phase, n] : phases) out += (out.empty() ? "" : " · ") + phase + " " + std::to_string(n);
    return out.empty() ? "no pods yet" : out;
}

std::string remedy(const std::string& reason) {
    if (reason == "Unschedulable")
        return "No node can take the pods; add GPU capacity (`/hp nodegroups`, `/hp scale nodegroup`) or ask for "
               "fewer `gpus=`. The pods start on their own once a node fits.";
    if (reason == "ImagePullBackOff" || reason == "ErrImagePull" || reason == "InvalidImageName")
        return "The image cannot be pulled: check `image=` and the registry's credentials.";
    if (reason == "CrashLoopBackOff") return "The server keeps exiting; its last output is below.";
    return "";
}

}  // namespace

RolloutState assess_rollout(const json& deployment, const std::vector<json>& pods) {
    RolloutState state;
    const json spec = deployment.value("spec", json::object());
    const json status = deployment.value("status", json::object());
    state.desired = spec.value("replicas", 1);
    state.ready = status.value("readyReplicas", 0);
    int ready_pods = 0;
    for (const auto& pod : pods) {
        ++state.pod_phases[phase_of(pod)];
        if (condition_true(pod, "Ready")) ++ready_pods;
        find_failure(pod, state);
    }
    // The Deployment's own count lags its pods by a sync; either says ready.
    state.ready = std::max(state.ready, ready_pods);
    const bool current = deployment["metadata"].value("generation", 0) <= status.value("observedGeneration", 0) ||
                         ready_pods >= state.desired;
    if (current && state.ready >= state.desired) {
        state.phase = RolloutPhase::ready;
        return state;
    }
    for (const auto& c : status.value("conditions", json::array()))
        if (c.value("type", "") == "Progressing" && c.value("reason", "") == "ProgressDeadlineExceeded" &&
            state.reason.empty()) {
            state.reason = "ProgressDeadlineExceeded";
            state.detail = c.value("message", "");
        }
    if (!state.reason.empty()) state.phase = RolloutPhase::failed;
    return state;
}

std::string custom_resource_state(const json& object) {
    const json status = object.value("status", json::object());
    for (const char* key : {"state", "deploymentStatus", "phase"})
        if (status.contains(key) && status[key].is_string()) return status[key].get<std::string>();
    for (const auto& c : status.value("conditions", json::array()))
        if (c.value("status", "") == "True") return c.value("type", "");
    return "pending";
}

RolloutState assess_custom_resource(const json& object) {
    RolloutState state;
    state.desired = object.value("spec", json::object()).value("replicas", 1);
    const std::string s = custom_resource_state(object);
    state.pod_phases[s] = 1;
    if (s == "DeploymentComplete" || s == "InService" || s == "Ready") {
        state.phase = RolloutPhase::ready;
        state.ready = state.desired;
    } else if (s.find("Failed") != std::string::npos || s == "Error") {
        state.phase = RolloutPhase::failed;
        state.reason = s;
        const json status = object.value("status", json::object());
        state.detail = status.value("message", "");
        for (const auto& c : status.value("conditions", json::array()))
            if (state.detail.empty() && c.value("status", "") == "True") state.detail = c.value("message", "");
    }
    return state;
}

Reply rollout_reply(const DeploySpec& spec, const RolloutState& state, bool final, const std::string& logs,
                    const std::string& logs_note) {
    Reply reply;
    reply.visibility = final ? Visibility::channel : Visibility::caller;
    const std::string where = "`" + spec.name + "` in `" + spec.ns + "`";
    const std::string counts = std::to_string(state.ready) + "/" + std::to_string(state.desired) + " replicas ready";
    Status chip = Status::warn;
    if (state.phase == RolloutPhase::ready) {
        reply.summary = "Deployed " + spec.name;
        const std::string endpoint = spec.engine == Engine::vllm
                                         ? "`http://" + spec.name + "." + spec.ns + ".svc:8000/v1`"
                                         : "SageMaker endpoint `" + spec.name + "`";
        reply.text(where + " is ready: " + counts + ". Serving " + mrkdwn_escape(spec.model) + " at " + endpoint + ".",
                   Mark::done);
        chip = Status::ok;
    } else if (state.phase == RolloutPhase::failed) {
        reply.summary = "Deploying " + spec.name + " failed: " + state.reason;
        std::string text = where + " is not coming up: *" + state.reason + "*";
        if (!state.pod.empty()) text += " (pod `" + state.pod + "`)";
        if (!state.detail.empty()) text += ": " + mrkdwn_escape(state.detail);
        reply.text(text + ".", Mark::failed);
        if (auto fix = remedy(state.reason); !fix.empty()) reply.text(fix);
        if (!logs.empty()) reply.text("```" + logs + "```");
        chip = Status::bad;
    } else if (final) {
        reply.summary = "Still deploying " + spec.name;
        reply.text(where + " is not ready yet: " + counts + ". `/hp models` shows how it goes.", Mark::warning);
    } else {
        reply.summary = "Deploying " + spec.name + "…";
        if (spec.engine == Engine::vllm) {
            reply.text("Rolling out " + where + ".", Mark::working);
            reply.progress("replicas ready", state.ready, state.desired);
        } else {
            reply.text("Applied " + where + "; HyperPod's inference operator is creating the SageMaker endpoint.",
                       Mark::working);
        }
    }
    reply.chips({{spec.name + ": " + count_text(state.pod_phases), chip}});
    std::string context = spec.engine == Engine::vllm
                              ? std::to_string(spec.replicas) + " × " + std::to_string(spec.gpus) + " nvidia.com/gpu"
                              : std::string(engine_name(spec.engine));
    if (!spec.instance_type.empty()) context += " on " + spec.instance_type;
    if (!logs_note.empty()) context += " · " + logs_note;
    reply.context(context);
    return reply;
}

}  // namespace hpops::handlers
