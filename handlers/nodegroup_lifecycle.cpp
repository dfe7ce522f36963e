#include "handlers/approval_rules.hpp"
#include "handlers/nodegroup_lifecycle.hpp"

#include <algorithm>

#include "handlers/aws_targets.hpp"
#include "handlers/nodegroup_lifecycle_job.hpp"
#include "handlers/scaling_rules.hpp"
#include "handlers/start_job.hpp"
#include "hpops/errors.hpp"
#include "hpops/node_groups.hpp"

namespace hpops::handlers {
namespace {

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto comma = text.find(',', start);
        std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (!item.empty()) out.push_back(item);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

}  // namespace

std::map<std::string, std::string> parse_labels(const std::string& text) {
    std::map<std::string, std::string> labels;
    for (const auto& pair : split_list(text)) {
        auto sep = pair.find_first_of(":=");
        if (sep == std::string::npos || sep == 0 || sep + 1 == pair.size())
            throw UserError("`" + pair + "` is not a label; write `labels=key:value,key2:value2`.");
        labels[pair.substr(0, sep)] = pair.substr(sep + 1);
    }
    return labels;
}

boost::asio::awaitable<Reply> NodegroupCreate::handle(const Intent& intent, CommandContext& context) {
    const std::string& name = intent.args.at(0);
    check_group_name("node group", name);
    NodeGroupSpec spec;
    spec.name = name;
    const std::string type = option(intent, "instance-type");
    if (type.empty()) throw UserError("Say which instances: `/hp nodegroup create " + name + " instance-type=g5.12xlarge`.");
    for (const auto& t : split_list(type)) check_instance_type(t);
    spec.instance_types = split_list(type);
    if (spec.instance_types.empty()) throw UserError("`instance-type` names no type: `instance-type=g5.12xlarge`.");
    const std::string capacity = option(intent, "capacity");
    if (!capacity.empty() && capacity != "spot" && capacity != "on-demand")
        throw UserError("`capacity=" + capacity + "`: use `spot` or `on-demand`.");
    spec.capacity_type = capacity == "spot" ? "SPOT" : "ON_DEMAND";
    std::map<std::string, std::string> counts = intent.options;
    if (!counts.count("desired")) counts["desired"] = counts.count("min") ? counts["min"] : "1";
    if (!counts.count("max"))
        counts["max"] = std::to_string(std::max(1, parse_count("desired", counts["desired"], context.config.limits)));
    spec.scaling = merge_scaling(ScalingConfig{0, 1, 0}, counts, context.config.limits);
    spec.ami_type = option(intent, "ami-type");
    spec.labels = parse_labels(option(intent, "labels"));
    spec.subnets = split_list(option(intent, "subnets"));
    spec.node_role = option(intent, "role");

    NodeGroups& eks = require_node_groups(context);
    Target cluster = co_await resolve_eks_cluster(context, intent);
    const auto existing = co_await eks.list_nodegroups(cluster.name);
    if (std::find(existing.begin(), existing.end(), name) != existing.end())
        throw UserError("EKS cluster `" + cluster.name + "` already has a node group `" + name + "`.");
    if ((spec.subnets.empty() || spec.node_role.empty())) {
        if (existing.empty())
            throw UserError("No node group to copy subnets and node role from: give `subnets=` and `role=`.");
        EksNodeGroup model = co_await eks.describe_nodegroup(cluster.name, existing.front());
        if (spec.subnets.empty()) spec.subnets = model.subnets;
        if (spec.node_role.empty()) spec.node_role = model.node_role;
    }

    // Asked once the cluster is known, so the question can say what it costs.
    const auto& prices = context.config.clusters.hourly_prices;
    ask_before_change(intent, context.config, "a new node group",
                      "create node group `" + name + "` in `" + cluster.name + "`: " +
                          change_cost_text(spec.instance_types.front(), 0, spec.scaling.desired_size, prices) +
                          (spec.capacity_type == "SPOT" ? " at on-demand prices (spot usually costs less)" : "") + ".",
                      capacity_change(cluster.name, spec.instance_types.front(), 0, spec.scaling.desired_size, prices));
    NodeGroupChange created = co_await eks.create_nodegroup(cluster.name, spec);
    context.backend_request_id = created.request_id;
    auto starting = start_job(context, nodegroup_lifecycle_job(),
                              nodegroup_lifecycle_state("create", cluster.name, created, name,
                                                        type + ", min " + std::to_string(spec.scaling.min_size) +
                                                            " max " + std::to_string(spec.scaling.max_size) +
                                                            " desired " + std::to_string(spec.scaling.desired_size)),
                              "nodegroup " + name, context.config.aws.poll_interval);
    co_return co_await std::move(starting);
}

boost::asio::awaitable<Reply> NodegroupDelete::handle(const Intent& intent, CommandContext& context) {
    const std::string& name = intent.args.at(0);
    check_group_name("node group", name);
    NodeGroups& eks = require_node_groups(context);
    Target cluster = co_await resolve_eks_cluster(context, intent);
    const EksNodeGroup group = co_await find_nodegroup(eks, cluster.name, name);
    // Confirmed already (the command always asks first); a rule may still want a second person.
    const std::string type = group.instance_types.empty() ? "" : group.instance_types.front();
    const auto& prices = context.config.clusters.hourly_prices;
    ask_before_change(intent, context.config, "a deletion",
                      "delete node group `" + name + "` in `" + cluster.name + "`: " +
                          change_cost_text(type, group.scaling.desired_size, 0, prices) + ".",
                      capacity_change(cluster.name, type, group.scaling.desired_size, 0, prices));
    NodeGroupChange deleting = co_await eks.delete_nodegroup(cluster.name, name);
    context.backend_request_id = deleting.request_id;
    auto starting = start_job(context, nodegroup_lifecycle_job(),
                              nodegroup_lifecycle_state("delete", cluster.name, deleting, name, ""),
                              "nodegroup " + name, context.config.aws.poll_interval);
    co_return co_await std::move(starting);
}

}  // namespace hpops::handlers
