#include "handlers/node_recovery.hpp"

#include "handlers/approval_rules.hpp"
#include "handlers/aws_targets.hpp"
#include "handlers/hyperpod_nodes.hpp"
#include "handlers/instance_types.hpp"
#include "handlers/node_recovery_job.hpp"
#include "handlers/start_job.hpp"
#include "hpops/errors.hpp"
#include "hpops/hyperpod.hpp"
#include "hpops/kube.hpp"

namespace hpops::handlers {
namespace {

using nlohmann::json;

// The node-health-status label of the node's Kubernetes Node, when the
// configured Kubernetes client is this cluster's; empty otherwise. HyperPod
// sets it before it acts, so it tells of a recovery SageMaker has not started yet.
boost::asio::awaitable<std::string> health_label(CommandContext& context, const Intent& intent,
                                                 const std::string& instance_id) {
    Kube* kube = context.clients.kube;
    const std::string& kube_cluster = context.config.kubernetes.eks_cluster;
    const std::string named = option(intent, "cluster");
    if (!kube || !(named.empty() || named == kube_cluster)) co_return std::string{};
    std::optional<json> node;
    try {
        auto getting = kube->get(kube::nodes, "", kube_node_name(instance_id));
        node = co_await std::move(getting);
    } catch (const UpstreamError&) {
        // Unread labels do not block a recovery: SageMaker's own check still refuses a busy node.
    }
    if (!node) co_return std::string{};
    co_return (*node)["metadata"].value("labels", json::object()).value(hyperpod_labels::health, "");
}

// Why the node cannot take this action now, if it cannot: a clear refusal
// before SageMaker is asked.
std::optional<std::string> busy(const HyperPodNode& node, const std::string& label, bool reboot) {
    const std::string name = "`" + kube_node_name(node.instance_id) + "`";
    if (node.status == "ShuttingDown")
        return name + " is already being replaced (instance ShuttingDown): there is nothing to " +
               (reboot ? "reboot" : "replace") + " until its replacement is Running. Follow it with `/hp health`.";
    // Labelled for replacement, a node is replaced by HyperPod's automatic
    // recovery, or waits for someone to replace it: a reboot would race the one
    // or not help the other. Replacing it is what the label asks for.
    if (reboot && label == "UnschedulablePendingReplacement")
        return name + " is waiting to be replaced (labelled " + label + "): a reboot would race its replacement. " +
               "`/hp node replace " + kube_node_name(node.instance_id) + "` replaces it now.";
    if (node.status == "Pending" || node.status == "SystemUpdating")
        return name + " is " + node.status + ": SageMaker is already working on it. Try again when it is Running.";
    return std::nullopt;
}

}  // namespace

boost::asio::awaitable<Reply> NodeRecovery::handle(const Intent& intent, CommandContext& context) {
    const bool reboot = action_ == Action::reboot;
    const std::string verb = reboot ? "reboot" : "replace";
    const std::string wanted = intent.args.at(0);
    HyperPodClusters& sagemaker = require_hyperpod(context);
    const std::string eks_cluster = option(intent, "cluster").empty() ? context.config.aws.eks_cluster : option(intent, "cluster");
    Target hyperpod = co_await resolve_hyperpod_cluster(context, intent, eks_cluster);
    if (hyperpod.name.empty()) throw UserError("There is no HyperPod cluster in this region.");
    std::vector<HyperPodNode> nodes = co_await sagemaker.list_cluster_nodes(hyperpod.name);
    const HyperPodNode node = find_node(nodes, wanted, hyperpod.name);
    const std::string name = "`" + kube_node_name(node.instance_id) + "`";
    const std::string label = co_await health_label(context, intent, node.instance_id);
    if (const auto refusal = busy(node, label, reboot)) throw UserError(*refusal);

    const auto gpus = accelerators_per_instance(node.instance_type);
    const std::string gpu_text = gpus ? std::to_string(*gpus) + " GPUs" : "its GPUs";
    const std::string consequence = reboot ? "Its pods are interrupted and " + gpu_text + " are away while it restarts"
                                           : "Every volume of the instance is destroyed and " + gpu_text +
                                                 " are away until a new instance is Running";
    ask_before_change(intent, context.config, "a node " + verb,
                      (reboot ? "Reboot " : "Replace ") + name + " (" + node.instance_group + ", " +
                          node.instance_type + ") on `" + hyperpod.name + "`? " + consequence + ".",
                      capacity_change(hyperpod.name, node.instance_type, 1, 0, context.config.clusters.hourly_prices));

    const std::string api = reboot ? "BatchRebootClusterNodes" : "BatchReplaceClusterNodes";
    auto asking = reboot ? sagemaker.batch_reboot_cluster_nodes(hyperpod.name, {node.instance_id})
                         : sagemaker.batch_replace_cluster_nodes(hyperpod.name, {node.instance_id});
    NodeBatchResult result = co_await std::move(asking);
    context.backend_request_id = result.request_id;
    if (!result.failed.empty()) {
        const NodeBatchFailure& failure = result.failed.front();
        throw UserError("SageMaker refused to " + verb + " " + name + ": " + failure.code +
                        (failure.message.empty() ? "" : " (" + failure.message + ")") + ". Request " +
                        result.request_id + ".");
    }
    NodeRecoveryStart start{verb, hyperpod.name, hyperpod.note, node.instance_id, node.instance_group,
                            node.instance_type, node.status, result.request_id, api, {}};
    for (const auto& n : nodes)
        if (n.instance_group == node.instance_group) start.group_nodes.push_back(n.instance_id);
    auto starting = start_job(context, node_recovery_job(), node_recovery_state(start), "node " + node.instance_id,
                              context.config.aws.poll_interval);
    co_return co_await std::move(starting);
}

}  // namespace hpops::handlers
