#pragma once
#include "hpops/job.hpp"
#include "hpops/node_groups.hpp"

namespace hpops::handlers {

// Follows a node group's creation to ACTIVE, or its deletion until it is
// gone, one DescribeNodegroup (or ListNodegroups) per step, editing the
// message with the status EKS reports as it goes. Its state:
// {op: "create"|"delete", cluster, nodegroup, status, detail, request_id}
// (who started it is the job row's own actor_id).
class NodegroupLifecycleJob final : public JobKind {
public:
    static constexpr std::string_view kind = "nodegroup_lifecycle";
    std::string_view name() const override { return kind; }
    boost::asio::awaitable<JobStep> step(const JobRecord& job, JobContext& context) override;
    Reply render(const JobRecord& job) const override;
    std::chrono::milliseconds deadline(const Config& config) const override;
};

NodegroupLifecycleJob& nodegroup_lifecycle_job();

// The first state of a follow; `detail` describes the node group for the
// messages ("g5.xlarge, min 0 max 2 desired 2"; empty for a deletion).
std::string nodegroup_lifecycle_state(std::string_view op, const std::string& cluster, const NodeGroupChange& change,
                                      const std::string& nodegroup, const std::string& detail);

}  // namespace hpops::handlers
