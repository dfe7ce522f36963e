#include "handlers/scale_nodegroup.hpp"

#include "handlers/approval_rules.hpp"
#include "handlers/aws_targets.hpp"
#include "handlers/scale_nodegroup_job.hpp"
#include "handlers/scaling_rules.hpp"
#include "handlers/start_job.hpp"
#include "hpops/errors.hpp"
#include "hpops/node_groups.hpp"

namespace hpops::handlers {

boost::asio::awaitable<Reply> ScaleNodegroup::handle(const Intent& intent, CommandContext& context) {
    const std::string& name = intent.args.at(0);
    check_group_name("node group", name);
    NodeGroups& eks = require_node_groups(context);
    Target cluster = co_await resolve_eks_cluster(context, intent);
    EksNodeGroup current = co_await find_nodegroup(eks, cluster.name, name);
    const ScalingConfig target = merge_scaling(current.scaling, intent.options, context.config.limits);
    const std::string change = describe_change(name, current.scaling, target);
    if (target == current.scaling) co_return message_reply(name + " already has desired " +
                                                           std::to_string(target.desired_size) + ", min " +
                                                           std::to_string(target.min_size) + ", max " +
                                                           std::to_string(target.max_size) + ". Nothing to do.");
    const std::string type = current.instance_types.empty() ? "" : current.instance_types.front();
    const auto& prices = context.config.clusters.hourly_prices;
    const std::string cost = change_cost_text(type, current.scaling.desired_size, target.desired_size, prices);
    const auto why = confirmation_reason(current.scaling.desired_size, target.desired_size, context.config.limits);
    const auto delta = capacity_change(cluster.name, type, current.scaling.desired_size, target.desired_size, prices);
    if (is_dry_run(intent.options))
        co_return message_reply(dry_run_text(change, cost, why, approval_why(context.config, intent, delta)));
    ask_before_change(intent, context.config, why,
                      "`" + change + "`" + (why ? " — " + *why : std::string()) + "; " + cost + ".", delta);

    EksUpdate update = co_await eks.update_scaling(cluster.name, name, target);
    context.backend_request_id = update.request_id;
    // Followed as a job: it survives a restart and edits one message to the end.
    auto starting = start_job(context, scale_nodegroup_job(),
                              scale_nodegroup_state(cluster.name, cluster.note, name, update, change, target),
                              "nodegroup " + name, context.config.aws.poll_interval);
    co_return co_await std::move(starting);
}

}  // namespace hpops::handlers
