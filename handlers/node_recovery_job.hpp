#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "hpops/job.hpp"

namespace hpops::handlers {

// Follows a HyperPod node reboot or replacement, one DescribeClusterNode per
// step, editing the message with the instance's status, until it is Running
// again (done) or Failure / gone (failed). A replaced instance leaves the
// cluster: the job then follows the group's new node, one the group did not
// have when the replacement was asked for. Its state:
// {action: "reboot"|"replace", hyperpod, note, node, original, group,
//  instance_type, request_id, api, status, message, transition_seen,
//  running_polls, group_nodes: [instance ids when asked]}.
class NodeRecoveryJob final : public JobKind {
public:
    static constexpr std::string_view kind = "node_recovery";
    std::string_view name() const override { return kind; }
    boost::asio::awaitable<JobStep> step(const JobRecord& job, JobContext& context) override;
    Reply render(const JobRecord& job) const override;
    std::chrono::milliseconds deadline(const Config& config) const override;
};

NodeRecoveryJob& node_recovery_job();

struct NodeRecoveryStart {
    std::string action;  // reboot, replace
    std::string hyperpod, note;
    std::string node, group, instance_type, status;
    std::string request_id, api;  // the SageMaker request and the operation that made it
    std::vector<std::string> group_nodes;
};
std::string node_recovery_state(const NodeRecoveryStart& start);

}  // namespace hpops::handlers
