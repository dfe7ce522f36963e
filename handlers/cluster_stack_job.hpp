#pragma once
#include <string>
#include <vector>

#include "hpops/cloudformation.hpp"
#include "hpops/job.hpp"

namespace hpops::handlers {

// Follows a cluster's CloudFormation stack through its creation or deletion:
// each step reads the events that are new since the last one (DescribeStackEvents,
// newest first, until a page reaches one it has), keeps them in the job's
// state, and renders resources done out of total, what is under way, the
// elapsed time and, on failure, the first failing resource with its reason on
// top. Once CREATE_COMPLETE it checks what the stack made (cluster_readiness:
// HyperPod InService, EKS ACTIVE), each check a line of the message, and
// ends when all pass. ROLLBACK_IN_PROGRESS, ROLLBACK_COMPLETE and *_FAILED end a launch as
// failed, the stack left for a look. The kept events are what `/hp cluster
// logs` shows once the stack is gone. State:
// {op: "create"|"delete", stack, stack_id, region, resources, started_ms,
//  status, events: [{id, t, lid, pid, type, st, why}], plan, checks: [{what, passed, failed, detail}]}.
class ClusterStackJob final : public JobKind {
public:
    static constexpr std::string_view kind = "cluster_stack";
    std::string_view name() const override { return kind; }
    boost::asio::awaitable<JobStep> step(const JobRecord& job, JobContext& context) override;
    Reply render(const JobRecord& job) const override;
    std::chrono::milliseconds deadline(const Config& config) const override;
};

ClusterStackJob& cluster_stack_job();

// The first state of a follow. `resources` is the template's resource count
// (0 when unknown: the total then grows with the resources seen); `plan` a
// line for the message ("2 × ml.g5.8xlarge, ≈ $4.90 an hour").
std::string cluster_stack_state(std::string_view op, const Stack& stack, const std::string& region, int resources,
                                const std::string& plan);

// The events a cluster_stack job kept, oldest first; empty for a state that
// cannot be read.
std::vector<StackEvent> kept_stack_events(const std::string& state);

// The target a cluster's jobs are listed under: "cluster NAME".
std::string cluster_target(const std::string& stack_name);

}  // namespace hpops::handlers
