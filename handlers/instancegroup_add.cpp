#include "handlers/approval_rules.hpp"
#include "handlers/instancegroup_add.hpp"

#include "handlers/aws_targets.hpp"
#include "handlers/hyperpod_follow_job.hpp"
#include "handlers/scaling_rules.hpp"
#include "handlers/start_job.hpp"
#include "hpops/errors.hpp"
#include "hpops/hyperpod.hpp"

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

    // Asked once the cluster is known, so the question can say what it costs.
    const auto& prices = context.config.clusters.hourly_prices;
    ask_before_change(intent, context.config, "a new instance group",
                      "add instance group `" + spec.name + "` to `" + hyperpod.name + "`: " +
                          change_cost_text(spec.instance_type, 0, spec.count, prices) + ".",
                      capacity_change(hyperpod.name, spec.instance_type, 0, spec.count, prices));
    context.backend_request_id = co_await sagemaker.add_instance_group(hyperpod.name, spec);
    auto starting = start_job(context, hyperpod_follow_job(),
                              hyperpod_follow_state("add", hyperpod.name, hyperpod.note, spec.name, spec.count,
                                                    spec.name + " (" + spec.instance_type + " × " + count + ")",
                                                    context.backend_request_id),
                              "instancegroup " + spec.name, context.config.aws.poll_interval);
    co_return co_await std::move(starting);
}

}  // namespace hpops::handlers
