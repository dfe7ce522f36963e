#include "handlers/deploy_rollout_job.hpp"

#include <nlohmann/json.hpp>

#include "handlers/deploy_common.hpp"
#include "handlers/deploy_rollout.hpp"
#include "handlers/start_job.hpp"
#include "hpops/config.hpp"
#include "hpops/errors.hpp"
#include "hpops/handler.hpp"

namespace hpops::handlers {
namespace {

using json = nlohmann::json;

constexpr std::string_view phase_names[] = {"progressing", "ready", "failed"};

json spec_json(const DeploySpec& s) {
    return {{"model", s.model}, {"name", s.name}, {"name_note", s.name_note}, {"engine", engine_name(s.engine)},
            {"replicas", s.replicas}, {"gpus", s.gpus}, {"instance_type", s.instance_type}, {"ns", s.ns},
            {"actor", s.actor}};
}

DeploySpec spec_of(const json& j) {
    DeploySpec s;
    s.model = j.value("model", "");
    s.name = j.value("name", "");
    s.name_note = j.value("name_note", "");
    const std::string engine = j.value("engine", "vllm");
    s.engine = engine == "jumpstart" ? Engine::jumpstart : engine == "endpoint" ? Engine::endpoint : Engine::vllm;
    s.replicas = j.value("replicas", 1);
    s.gpus = j.value("gpus", 1);
    s.instance_type = j.value("instance_type", "");
    s.ns = j.value("ns", "");
    s.actor = j.value("actor", "");
    return s;
}

json rollout_json(const RolloutState& r) {
    return {{"phase", phase_names[static_cast<int>(r.phase)]}, {"desired", r.desired}, {"ready", r.ready},
            {"pod_phases", r.pod_phases}, {"reason", r.reason}, {"detail", r.detail}, {"pod", r.pod},
            {"container", r.container}, {"last_message", r.last_message}};
}

RolloutState rollout_of(const json& j) {
    RolloutState r;
    const std::string phase = j.value("phase", "progressing");
    r.phase = phase == "ready" ? RolloutPhase::ready : phase == "failed" ? RolloutPhase::failed : RolloutPhase::progressing;
    r.desired = j.value("desired", 0);
    r.ready = j.value("ready", 0);
    r.pod_phases = j.value("pod_phases", std::map<std::string, int>{});
    r.reason = j.value("reason", "");
    r.detail = j.value("detail", "");
    r.pod = j.value("pod", "");
    r.container = j.value("container", "");
    r.last_message = j.value("last_message", "");
    return r;
}

// The last output of a crashing container: its logs through the kubelet, or
// when no kubelet answers, the termination message Kubernetes kept.
boost::asio::awaitable<std::pair<std::string, std::string>> crash_output(Kube& kube, const DeploySpec& spec,
                                                                         const RolloutState& state) {
    if (state.reason != "CrashLoopBackOff" || state.pod.empty()) co_return std::pair<std::string, std::string>{};
    std::string logs, why;
    try {
        auto fetch = kube.logs(spec.ns, state.pod, state.container, 15, true);
        logs = co_await std::move(fetch);
        why = "the kubelet sent none";
    } catch (const UpstreamError& error) {
        why = error.upstream_message().substr(0, 120);
    }
    std::string note = "last 15 log lines of " + state.pod;
    if (logs.find_first_not_of(" \n") == std::string::npos) {
        logs = state.last_message;
        note = "logs unavailable (" + why + "); showing the container's termination message";
    }
    if (logs.size() > 2500) logs = "…" + logs.substr(logs.size() - 2500);
    co_return std::pair{logs, note};
}

}  // namespace

DeployRolloutJob& deploy_rollout_job() {
    static DeployRolloutJob instance;
    return instance;
}

std::string deploy_rollout_state(const DeploySpec& spec, const KubeResource& primary) {
    return json{{"spec", spec_json(spec)},
                {"resource", resource_json(primary)},
                {"rollout", rollout_json(RolloutState{})},
                {"logs", ""},
                {"logs_note", ""}}
        .dump();
}

std::chrono::milliseconds DeployRolloutJob::deadline(const Config& config) const {
    return config.kubernetes.rollout_timeout;
}

boost::asio::awaitable<JobStep> DeployRolloutJob::step(const JobRecord& job, JobContext& context) {
    json state = json::parse(job.state);
    Kube& kube = require_kube(context.clients);
    const DeploySpec spec = spec_of(state.at("spec"));
    const KubeResource primary = resource_of(state.at("resource"));

    auto lookup = kube.get(primary, spec.ns, spec.name);
    const auto object = co_await std::move(lookup);
    if (!object) throw UserError(primary.kind + " `" + spec.name + "` was deleted while it rolled out.");
    RolloutState rollout;
    if (spec.engine == Engine::vllm) {
        const KubeListOptions pods_of{std::string(managed_selector) + "," + instance_label + "=" + spec.name};
        auto listing = kube.list(kube::pods, spec.ns, pods_of);
        const KubeList pods = co_await std::move(listing);
        rollout = assess_rollout(*object, pods.items);
    } else {
        rollout = assess_custom_resource(*object);
    }
    state["rollout"] = rollout_json(rollout);
    const std::string note = std::to_string(rollout.ready) + "/" + std::to_string(rollout.desired) + " ready";
    if (rollout.phase == RolloutPhase::progressing)
        co_return JobStep{JobStatus::running, state.dump(), context.config.kubernetes.poll_interval, note};
    if (rollout.phase == RolloutPhase::ready) co_return JobStep{JobStatus::done, state.dump(), {}, "ready: " + note};
    auto fetching = crash_output(kube, spec, rollout);
    const auto [logs, logs_note] = co_await std::move(fetching);
    state["logs"] = logs;
    state["logs_note"] = logs_note;
    co_return JobStep{JobStatus::failed, state.dump(), {}, rollout.reason};
}

Reply DeployRolloutJob::render(const JobRecord& job) const {
    const json state = json::parse(job.state, nullptr, false);
    if (!state.is_object() || !state.contains("spec")) return unreadable_job(job);
    const DeploySpec spec = spec_of(state["spec"]);
    const RolloutState rollout = rollout_of(state.value("rollout", json::object()));
    const bool final = job.status != JobStatus::running;
    Reply reply = rollout_reply(spec, rollout, final, state.value("logs", ""), state.value("logs_note", ""));
    if (job.status == JobStatus::cancelled) {
        reply.summary = "Stopped following " + spec.name;
        reply.text("Stopped following `" + spec.name + "`; Kubernetes carries on with the rollout. "
                   "Check with `/hp models`.",
                   Mark::stopped);
    } else if (job.status == JobStatus::failed && rollout.phase != RolloutPhase::failed && !job.outcome.empty()) {
        reply.text(job.outcome);  // the deadline, or what ended the follow
    }
    if (final && !spec.name_note.empty()) reply.text(spec.name_note);
    reply.context("by " + mention(job.actor_id, job.actor_name) + " · job " + std::to_string(job.id));
    return reply;
}

}  // namespace hpops::handlers
