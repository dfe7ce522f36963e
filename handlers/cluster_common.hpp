#pragma once
#include <optional>
#include <string>
#include <vector>

#include "hpops/cloudformation.hpp"
#include "hpops/handler.hpp"
#include "hpops/job.hpp"

namespace hpops::handlers {

// The tag every stack hpops launches carries (value: the launcher's user id);
// `/hp cluster delete` refuses a stack without it unless told `force=yes`.
inline constexpr std::string_view launched_by_tag = "hpops:launched-by";

// Where a cluster command acts, and the AWS clients there.
struct ClusterScope {
    std::string region;
    Clients clients;  // the AWS ones in `region`, the rest as the command's
    CloudFormation& cloudformation() const { return *clients.cloudformation; }
};

// The scope of a cluster command: region= when given (checked against AWS's
// regions), else where hpops last launched or deleted `stack_name`, else
// aws.region. A UserError when AWS is not configured.
ClusterScope cluster_scope(const CommandContext& context, const Intent& intent, const std::string& stack_name = {});

// `base` with its AWS clients in `region` (empty: aws.region), for a job
// that stored where it runs.
Clients clients_in(const Clients& base, const Config& config, const std::string& region);

// The region a cluster_stack job runs in, from its state (empty: aws.region).
std::string cluster_job_region(const JobRecord& job, const Config& config);

// hpops's cluster_stack jobs for a stack name, oldest first (of the newest 500 jobs).
std::vector<JobRecord> cluster_jobs(const CommandContext& context, const std::string& stack_name);

bool launched_by_hpops(const Stack& stack);

// A stack's output, parameter or tag by key; empty when it has none.
std::string stack_output(const Stack& stack, std::string_view key);
std::string stack_parameter(const Stack& stack, std::string_view key);
std::string stack_tag(const Stack& stack, std::string_view key);

// The HyperPod and EKS clusters a launch's stack made, as its outputs name
// them (hpops's template: HyperPodClusterName, EksClusterName) or its
// parameters (AWS's: HyperPodClusterName, EKSClusterName). The HyperPod one
// falls back to the stack's name; EKS to empty (then: the one HyperPod is
// orchestrated by).
struct StackClusters {
    std::string hyperpod;
    std::string eks;
};
StackClusters stack_clusters(const Stack& stack);

}  // namespace hpops::handlers
