#include "handlers/nodegroups.hpp"

#include "handlers/aws_targets.hpp"
#include "handlers/listing.hpp"
#include "handlers/status_chips.hpp"

namespace hpops::handlers {
namespace {

std::string capacity_label(const std::string& capacity_type) {
    return capacity_type == "SPOT" ? "spot" : capacity_type == "ON_DEMAND" ? "on-demand" : capacity_type;
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
    co_return render_fleet(view);
}

}  // namespace hpops::handlers
