#include "handlers/cluster_status.hpp"

#include <map>

#include "handlers/cluster_common.hpp"
#include "handlers/cluster_stack_job.hpp"
#include "handlers/kube_nodes.hpp"
#include "handlers/status_chips.hpp"
#include "hpops/errors.hpp"
#include "hpops/config.hpp"
#include "hpops/hyperpod.hpp"
#include "hpops/kube.hpp"
#include "hpops/node_groups.hpp"

namespace hpops::handlers {
namespace {

// The newest cluster hpops launched, for `cluster status` without a name.
std::string newest_launched(const CommandContext& context) {
    if (!context.jobs) return {};
    for (const auto& job : context.jobs->store().recent_jobs(std::nullopt, 0, 500))
        if (job.kind == ClusterStackJob::kind && job.target.starts_with("cluster ")) return job.target.substr(8);
    return {};
}

std::string unreadable(const UpstreamError& e) {
    return e.code() == "ResourceNotFoundException" ? "not found (yet)" : "not readable (" + e.code() + ")";
}

// "Kubernetes nodes: 2 Ready of 2", through the cluster's own API server.
boost::asio::awaitable<std::string> kubernetes_nodes(KubeConnector& connector, KubeEndpoint endpoint) {
    try {
        const std::unique_ptr<Kube> kube = connector.connect(endpoint);
        auto listing = kube->list(kube::nodes, "", {});
        const KubeList nodes = co_await std::move(listing);
        int ready = 0;
        for (const auto& node : nodes.items) ready += node_ready(node) ? 1 : 0;
        co_return "Kubernetes nodes: " + std::to_string(ready) + " Ready of " + std::to_string(nodes.items.size()) + ".";
    } catch (const std::exception& e) {  // an API server that does not answer, a CA that will not load
        co_return "Kubernetes nodes: not readable (" + std::string(e.what()) + ").";
    }
}

void add_eks_section(Reply& reply, EksCluster eks) {
    reply.chips({{"EKS " + eks.status, status_colour(eks.status)}});
    reply.fields({{"EKS cluster", "`" + eks.name + "`"}, {"Kubernetes", eks.version}});
}

void add_hyperpod_section(Reply& reply, const HyperPodCluster& cluster, const std::vector<HyperPodNode>& nodes) {
    reply.chips({{"HyperPod " + cluster.status, status_colour(cluster.status)}});
    Table groups{{"Instance group", "Type", "Current / target", "Status"}, {}};
    for (const auto& g : cluster.instance_groups)
        groups.rows.push_back({g.name, g.instance_type,
                               std::to_string(g.current_count) + " / " + std::to_string(g.target_count), g.status});
    if (!groups.rows.empty()) reply.table(std::move(groups));
    std::map<std::string, int> by_state;
    for (const auto& n : nodes) ++by_state[n.status];
    std::string counts;
    for (const auto& [state, n] : by_state) counts += (counts.empty() ? "" : ", ") + std::to_string(n) + " " + state;
    reply.text("HyperPod `" + cluster.name + "` nodes: " + (counts.empty() ? "none yet" : counts) + ".");
}

}  // namespace

boost::asio::awaitable<Reply> ClusterStatus::handle(const Intent& intent, CommandContext& context) {
    const std::string name = intent.args.empty() ? newest_launched(context) : intent.args[0];
    if (name.empty()) throw UserError("Which cluster? `/hp cluster status NAME`; `/hp clusters` lists them.");
    const ClusterScope scope = cluster_scope(context, intent, name);
    const Clients& clients = scope.clients;
    CloudFormation& cfn = scope.cloudformation();
    const std::optional<Stack> stack = co_await cfn.describe_stack(name);
    if (!stack) {
        if (!cluster_jobs(context, name).empty())
            throw UserError("The stack `" + name + "` is gone; `/hp cluster logs " + name + "` shows its events.");
        throw UserError("No stack named `" + name + "` in " + scope.region + "; `/hp clusters` lists them.");
    }
    Reply reply;
    reply.summary = "Cluster " + name + ": " + stack->status;
    reply.heading("Cluster " + name);
    reply.chips({{"Stack " + stack->status, status_colour(stack->status)}});
    std::vector<Field> facts{{"Region", scope.region}, {"Created", stack->creation_time}};
    if (!stack->status_reason.empty()) facts.push_back({"Reason", stack->status_reason});
    reply.fields(std::move(facts));
    // A mention renders only in text, not in a field.
    const std::string by = stack_tag(*stack, launched_by_tag);
    reply.context(by.empty() ? "Not launched by hpops." : "Launched from chat by " + mention(by) + ".");
    if (!stack->outputs.empty()) {
        Table outputs{{"Output", "Value"}, {}};
        for (const auto& o : stack->outputs) outputs.rows.push_back({o.key, o.value});
        reply.table(std::move(outputs));
    }
    // EKS and HyperPod as the stack names them, as the launch's readiness checks find them.
    const StackClusters names = stack_clusters(*stack);
    const std::string eks_name = names.eks.empty() ? name + "-eks" : names.eks;
    const std::string& hyperpod_name = names.hyperpod;
    if (clients.node_groups) {
        try {
            EksCluster eks = co_await clients.node_groups->describe_cluster(eks_name);
            const KubeEndpoint endpoint{name, eks.endpoint, eks.ca_data, eks.name, scope.region};
            const bool reachable = eks.status == "ACTIVE" && !eks.endpoint.empty() && clients.kube_connector &&
                                   context.config.clusters.configure_kubernetes;
            add_eks_section(reply, std::move(eks));
            if (reachable) {
                auto counting = kubernetes_nodes(*clients.kube_connector, endpoint);
                std::string line = co_await std::move(counting);
                reply.text(std::move(line));
            }
        } catch (const UpstreamError& e) {
            reply.text("EKS cluster `" + eks_name + "`: " + unreadable(e) + ".", Mark::warning);
        }
    }
    if (clients.hyperpod) {
        try {
            const HyperPodCluster cluster = co_await clients.hyperpod->describe_cluster(hyperpod_name);
            const std::vector<HyperPodNode> nodes = co_await clients.hyperpod->list_cluster_nodes(hyperpod_name);
            add_hyperpod_section(reply, cluster, nodes);
        } catch (const UpstreamError& e) {
            reply.text("HyperPod cluster `" + hyperpod_name + "`: " + unreadable(e) + ".", Mark::warning);
        }
    }
    reply.context("`/hp cluster logs " + name + "` shows the stack's events.");
    co_return reply;
}

}  // namespace hpops::handlers
