#include "handlers/instancegroup_add.hpp"

#include "handlers/aws_targets.hpp"
#include "handlers/follow.hpp"
#include "handlers/hyperpod_follow_job.hpp"
#include "handlers/scaling_rules.hpp"
#include "handlers/start_job.hpp"
#include "handlers/status_chips.hpp"
#include "hpops/errors.hpp"
#include "hpops/hyperpod.hpp"
#include "hpops/progress.hpp"

namespace hpops::handlers {

boost::asio::awaitable<Reply> InstancegroupAdd::handle(const Intent& intent, CommandContext& context) {
    InstanceGroupSpec spec;
    spec.name = intent.args.at(0);
    check_group_name("instance group", spec.name);
    spec.instance_type = option(intent, "instance-type");
    if (spec.instance_type.empty() || !spec.instance_type.starts_with("ml."))
        throw UserError("HyperPod needs a SageMaker instance type: `instance-type=ml.g5.12xlarge`.");
    check_instance_type(spec.instance_type);
    const std::string count = option(intent, "count");
    if (count.empty()) throw UserError("Say how many instances: `count=N`.");
    spec.count = parse_count("count", count, context.config.limits);

    HyperPodClusters& sagemaker = require_hyperpod(context);
    Target hyperpod = co_await resolve_hyperpod_cluster(context, intent, context.config.aws.eks_cluster);
    if (hyperpod.name.empty()) throw UserError("There is no HyperPod cluster in this region.");
    HyperPodCluster cluster = co_await sagemaker.describe_cluster(hyperpod.name);
    for (const auto& g : cluster.instance_groups)
        if (g.name == spec.name) throw UserError("`" + hyperpod.name + "` already has an instance group `" + spec.name + "`.");
    if (cluster.status != "InService")
        throw UserError("HyperPod cluster `" + hyperpod.name + "` is " + cluster.status + "; try again when it is InService.");

    context.backend_request_id = co_await sagemaker.add_instance_group(hyperpod.name, spec);
    if (context.jobs)
        co_return co_await start_job(context, hyperpod_follow_job(),
                                     hyperpod_follow_state("add", hyperpod.name, hyperpod.note, spec.name, spec.count,
                                                           spec.name + " (" + spec.instance_type + " × " + count + ")",
                                                           context.backend_request_id, context.actor.id),
                                     "instancegroup " + spec.name, context.config.aws.poll_interval);
    context.progress.update(message_reply(":hourglass_flowing_sand: Adding " + spec.name + " (" + spec.instance_type +
                                          " × " + count + ") to `" + hyperpod.name + "`…"));
    const bool settled = co_await poll_until(context.config.aws.poll_interval, context.config.aws.follow_timeout,
                                             [&]() -> boost::asio::awaitable<bool> {
        cluster = co_await sagemaker.describe_cluster(hyperpod.name);
        co_return cluster.status == "InService" || cluster.status == "Failed";
    });
    Reply reply = message_reply(settled && cluster.status == "InService"
                                    ? ":white_check_mark: Added instance group " + spec.name + " (" + spec.instance_type +
                                          " × " + count + ") to `" + hyperpod.name + "`."
                                    : ":warning: Adding " + spec.name + ": the cluster is " + cluster.status + ".",
                                Visibility::channel);
    reply.chips({{hyperpod.name + " " + cluster.status, status_colour(cluster.status)}});
    reply.context("by <@" + context.actor.id + "> · request " + context.backend_request_id);
    co_return reply;
}

}  // namespace hpops::handlers
