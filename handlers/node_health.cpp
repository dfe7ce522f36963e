#include "handlers/node_health.hpp"

#include <map>

#include "handlers/aws_targets.hpp"
#include "handlers/hyperpod_nodes.hpp"
#include "handlers/instance_types.hpp"
#include "handlers/status_chips.hpp"
#include "hpops/errors.hpp"
#include "hpops/hyperpod.hpp"
#include "hpops/kube.hpp"

namespace hpops::handlers {
namespace {

using nlohmann::json;

struct GroupTally {
    int nodes = 0, schedulable = 0, gpus = 0, gpus_lost = 0;
    bool gpus_unknown = false;
};

std::string or_dash(const std::string& text) { return text.empty() ? "—" : text; }

// The configured cluster's Nodes, when the Kubernetes client reaches the EKS
// cluster this HyperPod cluster is orchestrated by. A Kubernetes error is a
// footnote: SageMaker's view still stands.
boost::asio::awaitable<std::optional<std::vector<json>>> kube_nodes(CommandContext& context, const Intent& intent,
                                                                    std::string& note) {
    Kube* kube = context.clients.kube;
    const std::string& kube_cluster = context.config.kubernetes.eks_cluster;
    const std::string named = option(intent, "cluster");
    const bool same_cluster = kube_cluster.empty() ? named.empty() : named.empty() || named == kube_cluster;
    if (!kube) {
        note = "Kubernetes is not configured: node labels and cordons not read";
        co_return std::nullopt;
    }
    if (!same_cluster) {
        note = "the configured Kubernetes cluster is not `" + named + "`: node labels and cordons not read";
        co_return std::nullopt;
    }
    std::optional<std::vector<json>> out;
    try {
        auto listing = kube->list(kube::nodes, "", {});
        KubeList list = co_await std::move(listing);
        out = std::move(list.items);
    } catch (const UpstreamError& error) {
        note = std::string("Kubernetes nodes not read: ") + error.what();
    }
    co_return out;
}

}  // namespace

boost::asio::awaitable<Reply> NodeHealthReport::handle(const Intent& intent, CommandContext& context) {
    HyperPodClusters& sagemaker = require_hyperpod(context);
    const std::string eks_cluster = option(intent, "cluster").empty() ? context.config.aws.eks_cluster : option(intent, "cluster");
    Target hyperpod = co_await resolve_hyperpod_cluster(context, intent, eks_cluster);
    if (hyperpod.name.empty()) throw UserError("There is no HyperPod cluster in this region.");
    const HyperPodCluster cluster = co_await sagemaker.describe_cluster(hyperpod.name);
    const std::string group = option(intent, "group");
    if (!group.empty()) {
        bool known = false;
        std::string names;
        for (const auto& g : cluster.instance_groups) {
            known = known || g.name == group;
            names += (names.empty() ? "`" : ", `") + g.name + "`";
        }
        if (!known)
            throw UserError("HyperPod cluster `" + hyperpod.name + "` has no instance group `" + group + "`. It has: " +
                            names + ".");
    }
    std::vector<HyperPodNode> listed = co_await sagemaker.list_cluster_nodes(hyperpod.name);
    std::vector<HyperPodNode> instances;
    for (auto& node : listed)
        if (group.empty() || node.instance_group == group) instances.push_back(std::move(node));
    // ListClusterNodes gives a status without its reason; DescribeClusterNode
    // gives the reason, asked only for the nodes that are not Running.
    for (auto& node : instances) {
        node.status_message.clear();
        if (node.status == "Running") continue;
        auto described = co_await sagemaker.describe_cluster_node(hyperpod.name, node.instance_id);
        if (described) node.status_message = described->status_message;
    }
    std::string kube_note;
    const auto kube_read = co_await kube_nodes(context, intent, kube_note);
    const auto nodes = join_nodes(instances, kube_read.value_or(std::vector<json>{}));

    std::map<std::string, GroupTally> tallies;
    Table table{{"Node", "Group", "Instance", "Health label", "Deep health", "Cordoned", "GPUs"}, {}};
    std::vector<Text> reasons;
    GroupTally all;
    for (const auto& node : nodes) {
        const auto per = accelerators_per_instance(node.instance.instance_type);
        const bool ok = node.schedulable(kube_read.has_value());
        for (GroupTally* t : {&tallies[node.instance.instance_group], &all}) {
            ++t->nodes;
            t->schedulable += ok ? 1 : 0;
            t->gpus += per.value_or(0);
            t->gpus_lost += ok ? 0 : per.value_or(0);
            t->gpus_unknown = t->gpus_unknown || !per;
        }
        const std::string label = !kube_read ? "—" : node.in_kube ? or_dash(node.health) : "no Kubernetes node";
        table.rows.push_back({kube_node_name(node.instance.instance_id), node.instance.instance_group,
                              node.instance.status, label, kube_read ? or_dash(node.deep_health) : "—",
                              node.cordoned ? "yes" : "—", per ? std::to_string(*per) : "?"});
        if (!node.instance.status_message.empty())
            reasons.push_back({"`" + kube_node_name(node.instance.instance_id) + "` " + node.instance.status + ": " +
                                   node.instance.status_message,
                               Mark::warning});
    }

    Reply reply;
    reply.visibility = Visibility::caller;
    const std::string lost = std::to_string(all.gpus_lost) + " of " + std::to_string(all.gpus) + " GPUs lost" +
                             (all.gpus_unknown ? " (some instance types' GPUs unknown)" : "");
    reply.summary = std::to_string(all.nodes) + " HyperPod nodes, " + std::to_string(all.nodes - all.schedulable) +
                    " not schedulable, " + lost;
    reply.heading("Node health · " + hyperpod.name + (group.empty() ? "" : " · " + group));
    if (nodes.empty()) {
        reply.text(group.empty() ? "The cluster has no nodes." : "Instance group `" + group + "` has no nodes.");
    } else {
        std::vector<Text> lines;
        for (const auto& [name, t] : tallies)
            lines.push_back({"*" + name + "*: " + std::to_string(t.schedulable) + " of " + std::to_string(t.nodes) +
                                 " nodes schedulable; " + std::to_string(t.gpus_lost) + " of " +
                                 std::to_string(t.gpus) + " GPUs lost",
                             t.schedulable == t.nodes ? Mark::done : Mark::warning});
        reply.lines(std::move(lines));
        reply.table(std::move(table));
        if (!reasons.empty()) reply.lines(std::move(reasons));
    }
    reply.chips({{hyperpod.name + " " + cluster.status, status_colour(cluster.status)}});
    reply.context(reply.summary + " · HyperPod `" + hyperpod.name + "`" +
                  (hyperpod.note.empty() ? "" : " (" + hyperpod.note + ")") +
                  (kube_note.empty() ? "" : " · " + kube_note));
    co_return reply;
}

}  // namespace hpops::handlers
