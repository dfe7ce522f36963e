#include "handlers/cluster_common.hpp"

#include <algorithm>

#include "handlers/aws_targets.hpp"
#include "handlers/cluster_stack_job.hpp"
#include "hpops/config.hpp"
#include "hpops/errors.hpp"

namespace hpops::handlers {

CloudFormation& require_cloudformation(CommandContext& context, const Intent& intent) {
    if (!context.clients.cloudformation)
        throw UserError("Cluster launches need AWS: set `aws.region` in the config (or AWS_REGION).");
    const std::string region = option(intent, "region");
    if (!region.empty() && region != context.config.aws.region)
        throw UserError("This hpops works in " + context.config.aws.region + " (`aws.region`); `region=" + region +
                        "` needs an hpops configured for that region.");
    return *context.clients.cloudformation;
}

std::string cluster_region(const CommandContext& context) { return context.config.aws.region; }

std::vector<JobRecord> cluster_jobs(const CommandContext& context, const std::string& stack_name) {
    std::vector<JobRecord> found;
    if (!context.jobs) return found;
    const std::string target = cluster_target(stack_name);
    for (auto& job : context.jobs->store().recent_jobs(std::nullopt, 0, 500))
        if (job.kind == ClusterStackJob::kind && job.target == target) found.push_back(std::move(job));
    std::reverse(found.begin(), found.end());
    return found;
}

bool launched_by_hpops(const Stack& stack) {
    return std::any_of(stack.tags.begin(), stack.tags.end(),
                       [](const StackTag& t) { return t.key == launched_by_tag; });
}

}  // namespace hpops::handlers
