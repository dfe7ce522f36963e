#include "handlers/cluster_common.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "handlers/aws_region_names.hpp"
#include "handlers/aws_targets.hpp"
#include "handlers/cluster_stack_job.hpp"
#include "hpops/aws_regions.hpp"
#include "hpops/config.hpp"
#include "hpops/errors.hpp"

namespace hpops::handlers {

Clients clients_in(const Clients& base, const Config& config, const std::string& region) {
    if (region.empty() || region == config.aws.region) return base;
    if (!base.aws_regions) throw UserError("This hpops has no AWS clients for " + region + ", only " + config.aws.region);
    const RegionalAws there = base.aws_regions->in_region(region);
    Clients clients = base;
    clients.node_groups = there.node_groups;
    clients.hyperpod = there.hyperpod;
    clients.cloudformation = there.cloudformation;
    clients.kube_connector = there.kube_connector;
    return clients;
}

std::string cluster_job_region(const JobRecord& job, const Config& config) {
    const nlohmann::json state = nlohmann::json::parse(job.state, nullptr, false);
    const std::string region = state.is_object() ? state.value("region", "") : "";
    return region.empty() ? config.aws.region : region;
}

ClusterScope cluster_scope(const CommandContext& context, const Intent& intent, const std::string& stack_name) {
    if (!context.clients.cloudformation)
        throw UserError("Cluster commands need AWS: set `aws.region` in the config (or AWS_REGION).");
    std::string region = option(intent, "region");
    if (!region.empty()) {
        if (auto problem = region_problem(region); !problem.empty()) throw UserError(problem);
    } else if (!stack_name.empty()) {
        const std::vector<JobRecord> jobs = cluster_jobs(context, stack_name);
        if (!jobs.empty()) region = cluster_job_region(jobs.back(), context.config);
    }
    if (region.empty()) region = context.config.aws.region;
    return {region, clients_in(context.clients, context.config, region)};
}

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
