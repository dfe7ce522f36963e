#include "handlers/nodegroups.hpp"

#include "handlers/aws_targets.hpp"
#include "handlers/kube_custom.hpp"
#include "handlers/listing.hpp"
#include "handlers/status_chips.hpp"

namespace hpops::handlers {
namespace {

std::string capacity_label(const std::string& capacity_type) {
    return capacity_type == "SPOT" ? "spot" : capacity_type == "ON_DEMAND" ? "on-demand" : capacity_type;
}

// The NodePools beside the node groups, when the configured Kubernetes client
// reaches the cluster listed: a Kubernetes error is a footnote, never the
// failure of the whole listing.
boost::asio::awaitable<void> add_karpenter_pools(FleetView& view, CommandContext& context, const Intent& intent) {
    Kube* kube = context.clients.kube;
    const std::string& kube_cluster = context.config.kubernetes.eks_cluster;
    const bool same_cluster = kube_cluster.empty() ? !intent.options.count("cluster") : kube_cluster == view.eks_cluster;
    if (!kube || !same_cluster) co_return;
    try {
        auto pool_listing = list_if_served(*kube, karpenter::node_pools, "");
        const auto pools = co_await std::move(pool_listing);
        if (!pools) co_return;
        auto claim_listing = list_if_served(*kube, karpenter::node_claims, "");
        const auto claims = co_await std::move(claim_listing);
        view.karpenter_pools = pool_summaries(*pools, claims.value_or(std::vector<nlohmann::json>{}));
    } catch (const UpstreamError& error) {
        view.karpenter_note = error.what();
    }
}

}  // namespace

Reply render_fleet(const FleetView& view) {
    Reply reply;
    reply.visibility = Visibility::caller;
    reply.summary = std::to_string(view.node_groups.size()) + " EKS node groups, " +
                    std::to_string(view.instance_groups.size()) + " HyperPod instance groups in " + view.region;
    reply.heading("Node groups · " + view.eks_cluster + " · " + view.region);
    std::string where = "EKS `" + view.eks_cluster + "`" + (view.eks_note.empty() ? "" : " (" + view.eks_note + ")");
    if (!view.hyperpod_cluster.empty())
        where += " · HyperPod `" + view.hyperpod_cluster + "`" +
                 (view.hyperpod_note.empty() ? "" : " (" + view.hyperpod_note + ")") + " " + view.hyperpod_status;
    else
        where += " · no HyperPod cluster";
    reply.context(where);

    reply.text("*EKS node groups*");
    if (view.node_groups.empty()) {
        reply.text("_none_");
    } else {
        Table table{{"name", "status", "instance types", "capacity", "min", "max", "desired"}, {}};
        std::vector<Chip> chips;
        for (const auto& g : view.node_groups) {
            table.rows.push_back({g.name, g.status, comma_joined(g.instance_types), capacity_label(g.capacity_type),
                                  std::to_string(g.scaling.min_size), std::to_string(g.scaling.max_size),
                                  std::to_string(g.scaling.desired_size)});
            chips.push_back({g.name + " " + g.status, status_colour(g.status)});
        }
        reply.chips(std::move(chips));
        reply.table(std::move(table));
    }
    if (view.karpenter_pools) {
        reply.text("*Karpenter node pools*");
        Table table{{"pool", "nodes", "capacity types", "limit"}, {}};
        for (const auto& p : *view.karpenter_pools)
            table.rows.push_back({p.name, std::to_string(p.nodes), p.capacity_types, p.limits});
        if (table.rows.empty()) reply.text("_none_");
        else reply.table(std::move(table));
    }
    if (!view.karpenter_note.empty()) reply.context("Karpenter node pools could not be read: " + view.karpenter_note);
    if (!view.hyperpod_cluster.empty()) {
        reply.text("*HyperPod instance groups*");
        Table table{{"name", "status", "instance type", "current/target"}, {}};
        std::vector<Chip> chips;
        for (const auto& g : view.instance_groups) {
            table.rows.push_back({g.name, g.status, g.instance_type,
                                  std::to_string(g.current_count) + "/" + std::to_string(g.target_count)});
            chips.push_back({g.name + " " + g.status, status_colour(g.status)});
        }
        if (!chips.empty()) reply.chips(std::move(chips));
        reply.table(std::move(table));
    }
    reply.context("Scale with `/hp scale nodegroup NAME desired=N` or `/hp scale instancegroup NAME count=N`.");
    return reply;
}

boost::asio::awaitable<Reply> Nodegroups::handle(const Intent& intent, CommandContext& context) {
    NodeGroups& eks = require_node_groups(context);
    FleetView view;
    view.region = eks.region();
    Target cluster = co_await resolve_eks_cluster(context, intent);
    view.eks_cluster = cluster.name;
    view.eks_note = cluster.note;
    for (const auto& name : co_await eks.list_nodegroups(cluster.name))
        view.node_groups.push_back(co_await eks.describe_nodegroup(cluster.name, name));
    Target hyperpod = co_await resolve_hyperpod_cluster(context, intent, cluster.name);
    if (!hyperpod.name.empty()) {
        HyperPodCluster described = co_await require_hyperpod(context).describe_cluster(hyperpod.name);
        view.hyperpod_cluster = hyperpod.name;
        view.hyperpod_note = hyperpod.note;
        view.hyperpod_status = described.status;
        view.instance_groups = std::move(described.instance_groups);
    }
    co_await add_karpenter_pools(view, context, intent);
    co_return render_fleet(view);
}

}  // namespace hpops::handlers
