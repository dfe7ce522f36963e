#pragma once
#include <string>
#include <vector>

#include "hpops/job.hpp"
#include "hpops/kube.hpp"

namespace hpops::handlers {

// Follows an undeploy until every object it deleted is gone: a HyperPod
// inference resource's finalizers hold it while the operator tears its
// SageMaker endpoint down. One read per remaining object per step. Its state:
// {name, ns, server, left, removed: [{group, version, plural, kind}],
//  remaining: [kind...]}.
class UndeployJob final : public JobKind {
public:
    static constexpr std::string_view kind = "undeploy";
    std::string_view name() const override { return kind; }
    boost::asio::awaitable<JobStep> step(const JobRecord& job, JobContext& context) override;
    Reply render(const JobRecord& job) const override;
    std::chrono::milliseconds deadline(const Config& config) const override;
};

UndeployJob& undeploy_job();

// The first state, once the deletes are sent; `left` names an object of that
// name hpops does not manage (left alone), or is empty.
std::string undeploy_state(const std::string& name, const std::string& ns, const std::vector<KubeResource>& removed,
                           const std::string& left, const std::string& server);

}  // namespace hpops::handlers
