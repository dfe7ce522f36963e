#include "handlers/approval_rules.hpp"
#include "handlers/scale_instancegroup.hpp"

#include "handlers/aws_targets.hpp"
#include "handlers/hyperpod_follow_job.hpp"
#include "handlers/scaling_rules.hpp"
#include "handlers/start_job.hpp"
#include "hpops/errors.hpp"
#include "hpops/hyperpod.hpp"

namespace hpops::handlers {
namespace {

const HyperPodInstanceGroup* find_group(const HyperPodCluster& cluster, const std::string& name) {
    for (const auto& g : cluster.instance_groups)
        if (g.name == name) return &g;
    return nullptr;
}

}  // namespace

boost::asio::awaitable<Reply> ScaleInstancegroup::handle(const Intent& intent, CommandContext& context) {
    const std::string& name = intent.args.at(0);
    check_group_name("instance group", name);
    const std::string count_text = option(intent, "count");
    if (count_text.empty()) throw UserError("Say how many instances: `/hp scale instancegroup " + name + " count=N`.");
    const int count = parse_count("count", count_text, context.config.limits);

    HyperPodClusters& sagemaker = require_hyperpod(context);
    const std::string eks_cluster = option(intent, "cluster").empty() ? context.config.aws.eks_cluster : option(intent, "cluster");
    Target hyperpod = co_await resolve_hyperpod_cluster(context, intent, eks_cluster);
    if (hyperpod.name.empty()) throw UserError("There is no HyperPod cluster in this region.");
    HyperPodCluster cluster = co_await sagemaker.describe_cluster(hyperpod.name);
    const HyperPodInstanceGroup* group = find_group(cluster, name);
    if (!group) {
        std::string names;
        for (const auto& g : cluster.instance_groups) names += (names.empty() ? "`" : ", `") + g.name + "`";
        throw UserError("HyperPod cluster `" + hyperpod.name + "` has no instance group `" + name + "`. It has: " +
                        names + ".");
    }
    const int before = group->target_count;
    const std::string change = name + ": instances " + std::to_string(before) + " → " + std::to_string(count);
    if (count == before) co_return message_reply(name + " already targets " + std::to_string(count) + " instances. Nothing to do.");
    if (cluster.status != "InService")
        throw UserError("HyperPod cluster `" + hyperpod.name + "` is " + cluster.status +
                        "; it accepts changes only when InService. Try again when it is.");
    const auto& prices = context.config.clusters.hourly_prices;
    const std::string cost = change_cost_text(group->instance_type, before, count, prices);
    const auto why = confirmation_reason(before, count, context.config.limits);
    const auto delta = capacity_change(hyperpod.name, group->instance_type, before, count, prices);
    if (is_dry_run(intent.options))
        co_return message_reply(dry_run_text(change, cost, why, approval_why(context.config, intent, delta)));
    ask_before_change(intent, context.config, why,
                      "`" + change + "`" + (why ? " — " + *why : std::string()) + "; " + cost + ".", delta);

    context.backend_request_id = co_await sagemaker.set_instance_count(hyperpod.name, name, count);
    auto starting = start_job(context, hyperpod_follow_job(),
                              hyperpod_follow_state("scale", hyperpod.name, hyperpod.note, name, count,
                                                    change, context.backend_request_id),
                              "instancegroup " + name, context.config.aws.poll_interval);
    co_return co_await std::move(starting);
}

}  // namespace hpops::handlers
