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

namespace {

template <typename Entry>
std::string value_of(const std::vector<Entry>& entries, std::string_view key) {
    for (const auto& e : entries)
        if (e.key == key) return e.value;
    return {};
}

}  // namespace

std::string stack_output(const Stack& stack, std::string_view key) { return value_of(stack.outputs, key); }
std::string stack_parameter(const Stack& stack, std::string_view key) { return value_of(stack.parameters, key); }
std::string stack_tag(const Stack& stack, std::string_view key) { return value_of(stack.tags, key); }

bool launched_by_hpops(const Stack& stack) { return !stack_tag(stack, launched_by_tag).empty(); }

StackClusters stack_clusters(const Stack& stack) {
    StackClusters names{stack_output(stack, "HyperPodClusterName"), stack_output(stack, "EksClusterName")};
    if (names.hyperpod.empty()) names.hyperpod = stack_parameter(stack, "HyperPodClusterName");
    if (names.hyperpod.empty()) names.hyperpod = stack.name;
    if (names.eks.empty()) names.eks = stack_parameter(stack, "EKSClusterName");
    return names;
}

}  // namespace hpops::handlers
