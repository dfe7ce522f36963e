#pragma once
#include "hpops/job.hpp"
#include "hpops/node_groups.hpp"

namespace hpops::handlers {

// Follows an EKS scaling update to its end, one DescribeUpdate (or, where EKS
// cannot describe the update, one DescribeNodegroup) per step. Its state:
// {cluster, cluster_note, nodegroup, update_id, update_status, errors,
//  describe_update_works, change, target: {min, max, desired}, request_id}.
class ScaleNodegroupJob final : public JobKind {
public:
    static constexpr std::string_view kind = "scale_nodegroup";
    std::string_view name() const override { return kind; }
    boost::asio::awaitable<JobStep> step(const JobRecord& job, JobContext& context) override;
    Reply render(const JobRecord& job) const override;
    std::chrono::milliseconds deadline(const Config& config) const override;
};

// The one instance the server registers.
ScaleNodegroupJob& scale_nodegroup_job();

// The first state of a follow, as the handler knows it after UpdateNodegroupConfig.
std::string scale_nodegroup_state(const std::string& cluster, const std::string& cluster_note,
                                  const std::string& nodegroup, const EksUpdate& update, const std::string& change,
                                  const ScalingConfig& target);

}  // namespace hpops::handlers
