#include "handlers/deploy.hpp"

#include "handlers/approval_rules.hpp"
#include "handlers/deploy_common.hpp"
#include "handlers/deploy_cost.hpp"
#include "handlers/deploy_manifests.hpp"
#include "handlers/deploy_rollout_job.hpp"
#include "handlers/scaling_rules.hpp"
#include "handlers/start_job.hpp"

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

// The name approval rules know the cluster by: the EKS cluster tokens are
// made for, else the kubeconfig context, else the API server's URL.
std::string cluster_name(const KubernetesConfig& config, const Kube& kube) {
    if (!config.eks_cluster.empty()) return config.eks_cluster;
    if (!config.context.empty()) return config.context;
    return kube.server();
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
    const auto change =
        deploy_change(cluster_name(config, kube), spec.instance_type, total_gpus, context.config.clusters.hourly_prices);
    std::optional<std::string> why;
    if (spec.engine == Engine::vllm && total_gpus > config.gpu_confirm_threshold)
        why = "more than the " + std::to_string(config.gpu_confirm_threshold) + " GPUs that need no confirmation";
    const std::string what = "deploy " + spec.name + " (" + spec.model + ") in " + spec.ns + ": " +
                             std::to_string(spec.replicas) + " replicas × " + std::to_string(spec.gpus) + " GPUs";
    const std::string cost = deploy_cost_text(change, spec.instance_type, total_gpus);
    if (is_dry_run(intent.options))
        co_return message_reply(dry_run_text(what, cost, why, approval_why(context.config, intent, change)));
    ask_before_change(intent, context.config, why, "`" + what + "` = " + cost + (why ? "; " + *why : "") + ".", change);
    auto applying = apply_all(kube, spec, manifests);
    co_await std::move(applying);

    // Followed as a job: a restart resumes it, and it edits one message to ready.
    auto starting = start_job(context, deploy_rollout_job(), deploy_rollout_state(spec, manifests.front().resource),
                              "deploy " + spec.name, std::chrono::milliseconds(0));
    co_return co_await std::move(starting);
}

}  // namespace hpops::handlers
