#pragma once
#include <string>

#include "handlers/deploy_manifests.hpp"
#include "hpops/job.hpp"
#include "hpops/kube.hpp"

namespace hpops::handlers {

// Follows a deploy to ready, one read of the applied object (and, for vLLM,
// its pods) per step, editing the message as the pods move; a crash loop's
// last output is fetched once, at the end. Its state:
// {spec: {model, name, name_note, engine, replicas, gpus, instance_type, ns,
//  actor}, resource: {group, version, plural, kind}, rollout: {phase, desired,
//  ready, pod_phases, reason, detail, pod, container, last_message}, logs,
//  logs_note}.
class DeployRolloutJob final : public JobKind {
public:
    static constexpr std::string_view kind = "deploy_rollout";
    std::string_view name() const override { return kind; }
    boost::asio::awaitable<JobStep> step(const JobRecord& job, JobContext& context) override;
    Reply render(const JobRecord& job) const override;
    std::chrono::milliseconds deadline(const Config& config) const override;
};

DeployRolloutJob& deploy_rollout_job();

// The first state, once the manifests are applied; `primary` is the object
// whose status tells readiness (the Deployment, or the HyperPod resource).
std::string deploy_rollout_state(const DeploySpec& spec, const KubeResource& primary);

}  // namespace hpops::handlers
