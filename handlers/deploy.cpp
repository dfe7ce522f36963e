#include "handlers/deploy.hpp"

#include "handlers/deploy_common.hpp"
#include "handlers/deploy_manifests.hpp"
#include "handlers/deploy_rollout.hpp"
#include "handlers/follow.hpp"
#include "hpops/progress.hpp"

namespace hpops::handlers {
namespace {

using nlohmann::json;

UserError not_served(const KubeResource& resource) {
    return UserError("The cluster does not serve " + resource.kind + " (" + resource.api_version() +
                     "): is the HyperPod inference operator installed?");
}

// An object of that name that hpops did not create is someone else's: never overwrite it.
boost::asio::awaitable<void> refuse_unmanaged(Kube& kube, const DeploySpec& spec, const std::vector<Manifest>& manifests) {
    for (const auto& m : manifests) {
        std::optional<json> existing;
        try {
            auto lookup = kube.get(m.resource, spec.ns, spec.name);
            existing = co_await std::move(lookup);
        } catch (const KubeError& error) {
            if (error.not_found()) throw not_served(m.resource);  // get() answers nullopt for a missing object
            throw;
        }
        if (existing && !managed_by_hpops(*existing))
            throw UserError(m.resource.kind + " `" + spec.name + "` in namespace `" + spec.ns +
                            "` already exists and is not managed by hpops (no " + managed_by_label +
                            "=hpops label); refusing to overwrite it. Choose another `name=`.");
    }
}

boost::asio::awaitable<void> apply_all(Kube& kube, const DeploySpec& spec, const std::vector<Manifest>& manifests) {
    for (const auto& m : manifests) {
        try {
            auto applied = kube.apply(m.resource, spec.ns, m.object);
            co_await std::move(applied);
        } catch (const KubeError& error) {
            if (error.not_found() && error.upstream_message().find("namespaces \"") != std::string::npos)
                throw UserError("Namespace `" + spec.ns + "` does not exist on " + kube.server() + ".");
            if (error.not_found()) throw not_served(m.resource);
            throw;
        }
    }
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

boost::asio::awaitable<Reply> Deploy::handle(const Intent& intent, CommandContext& context) {
    Kube& kube = require_kube(context);
    const KubernetesConfig& config = context.config.kubernetes;
    DeploySpec spec = parse_deploy(intent, config, target_namespace(context, intent));
    spec.actor = context.actor.id;
    const auto manifests = deploy_manifests(spec, config);

    auto check_names = refuse_unmanaged(kube, spec, manifests);
    co_await std::move(check_names);
    const int total_gpus = spec.replicas * spec.gpus;
    if (!intent.confirmed && spec.engine == Engine::vllm && total_gpus > config.gpu_confirm_threshold)
        throw ConfirmationNeeded("deploy `" + spec.name + "` (" + spec.model + ") in `" + spec.ns + "`: " +
                                 std::to_string(spec.replicas) + " replicas × " + std::to_string(spec.gpus) +
                                 " GPUs = " + std::to_string(total_gpus) + " nvidia.com/gpu" +
                                 (spec.instance_type.empty() ? "" : " on " + spec.instance_type) +
                                 ", more than the " + std::to_string(config.gpu_confirm_threshold) +
                                 " that need no confirmation");
    auto applying = apply_all(kube, spec, manifests);
    co_await std::move(applying);

    RolloutState state;
    std::string last_progress;
    const KubeListOptions pods_of{std::string(managed_selector) + "," + instance_label + "=" + spec.name};
    // vLLM: the Deployment and its pods; HyperPod kinds: what the operator reports.
    const KubeResource& primary = manifests.front().resource;
    auto check = [&]() -> boost::asio::awaitable<bool> {
        auto lookup = kube.get(primary, spec.ns, spec.name);
        auto object = co_await std::move(lookup);
        if (!object) throw UserError(primary.kind + " `" + spec.name + "` was deleted while it rolled out.");
        if (spec.engine == Engine::vllm) {
            auto listing = kube.list(kube::pods, spec.ns, pods_of);
            KubeList pods = co_await std::move(listing);
            state = assess_rollout(*object, pods.items);
        } else {
            state = assess_custom_resource(*object);
        }
        if (state.phase != RolloutPhase::progressing) co_return true;
        // One edit per change, not per poll: Slack allows few.
        const std::string key = json(state.pod_phases).dump() + std::to_string(state.ready);
        if (key != last_progress) context.progress.update(rollout_reply(spec, state, false, {}, {}));
        last_progress = key;
        co_return false;
    };
    auto following = poll_until(config.poll_interval, config.rollout_timeout, check);
    co_await std::move(following);
    auto fetching = crash_output(kube, spec, state);
    auto output = co_await std::move(fetching);
    Reply reply = rollout_reply(spec, state, true, output.first, output.second);
    if (!spec.name_note.empty()) reply.text(spec.name_note);
    co_return reply;
}

}  // namespace hpops::handlers
