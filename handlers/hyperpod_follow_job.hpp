#pragma once
#include "hpops/job.hpp"

namespace hpops::handlers {

// Follows a HyperPod cluster change (an instance group scaled or added) until
// the cluster is InService again, one DescribeCluster per step, editing the
// message with the cluster's and the group's status. Its state:
// {op: "scale"|"add", hyperpod, note, group, count, what, request_id,
//  cluster_status, group_status, current, target}.
class HyperPodFollowJob final : public JobKind {
public:
    static constexpr std::string_view kind = "hyperpod_follow";
    std::string_view name() const override { return kind; }
    boost::asio::awaitable<JobStep> step(const JobRecord& job, JobContext& context) override;
    Reply render(const JobRecord& job) const override;
    std::chrono::milliseconds deadline(const Config& config) const override;
};

HyperPodFollowJob& hyperpod_follow_job();

// The first state: `what` names the change for the messages, without a verb
// ("accelerated-worker-group-1: instances 2 → 3", "gpu-2 (ml.g5.xlarge × 2)").
std::string hyperpod_follow_state(std::string_view op, const std::string& hyperpod, const std::string& note,
                                  const std::string& group, int count, const std::string& what,
                                  const std::string& request_id);

}  // namespace hpops::handlers
