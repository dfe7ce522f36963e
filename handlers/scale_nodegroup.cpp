#include "handlers/scale_nodegroup.hpp"

#include "handlers/aws_targets.hpp"
#include "handlers/follow.hpp"
#include "handlers/scale_nodegroup_job.hpp"
#include "handlers/scaling_rules.hpp"
#include "handlers/start_job.hpp"
#include "handlers/status_chips.hpp"
#include "hpops/errors.hpp"
#include "hpops/node_groups.hpp"
#include "hpops/progress.hpp"

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
    if (!intent.confirmed)
        if (auto why = confirmation_reason(current.scaling.desired_size, target.desired_size, context.config.limits))
            throw ConfirmationNeeded("`" + change + "` — " + *why + ".");

    EksUpdate update = co_await eks.update_scaling(cluster.name, name, target);
    context.backend_request_id = update.request_id;
    if (context.jobs)  // followed as a job: it survives a restart and edits one message to the end
        co_return co_await start_job(context, scale_nodegroup_job(),
                                     scale_nodegroup_state(cluster.name, cluster.note, name, update, change, target,
                                                           context.actor.id),
                                     "nodegroup " + name, context.config.aws.poll_interval);
    context.progress.update(message_reply(":hourglass_flowing_sand: Scaling " + change + " (update `" + update.id + "`)…"));

    // DescribeUpdate says when EKS is done; where it cannot describe the
    // update, the node group's own status does.
    bool describe_update_works = !update.id.empty();
    auto settled = co_await poll_until(context.config.aws.poll_interval, context.config.aws.follow_timeout,
                                       [&]() -> boost::asio::awaitable<bool> {
        if (describe_update_works) {
            bool unsupported = false;
            try {
                update = co_await eks.describe_update(cluster.name, name, update.id);
                co_return update.status != "InProgress";
            } catch (const UpstreamError& error) {
                if (error.code() != "ResourceNotFoundException" && error.http_status() != 404) throw;
                unsupported = true;
            }
            describe_update_works = !unsupported;
        }
        current = co_await eks.describe_nodegroup(cluster.name, name);
        if (current.status == "ACTIVE" && current.scaling == target) update.status = "Successful";
        co_return current.status != "UPDATING" && current.scaling == target;
    });

    Reply reply;
    reply.visibility = Visibility::channel;  // a fleet change is news for the channel
    if (!settled) {
        reply.summary = "Still scaling " + name;
        reply.text(":warning: " + change + ": EKS has not finished after " +
                   std::to_string(context.config.aws.follow_timeout.count() / 60000) + " min (update `" + update.id +
                   "`, " + update.status + "). Check with `/hp nodegroups`.");
    } else if (update.status == "Successful") {
        reply.summary = "Scaled " + name;
        reply.text(":white_check_mark: Scaled " + change + ".");
    } else {
        reply.summary = "Scaling " + name + " " + update.status;
        std::string errors;
        for (const auto& e : update.errors) errors += "\n• " + e;
        reply.text(":x: Scaling " + change + " ended " + update.status + "." + errors);
    }
    reply.chips({{name + " " + update.status, status_colour(update.status)}});
    reply.context("EKS `" + cluster.name + "`" + (cluster.note.empty() ? "" : " (" + cluster.note + ")") + " · by <@" +
                  context.actor.id + "> · request " + update.request_id);
    co_return reply;
}

}  // namespace hpops::handlers
