#pragma once
#include "hpops/handler.hpp"

namespace hpops::handlers {

// `/hp node reboot NODE` and `/hp node replace NODE` [hyperpod=] [cluster=]:
// NODE by instance id or Kubernetes node name (`hyperpod-<instance-id>`).
// Asked of SageMaker's BatchRebootClusterNodes / BatchReplaceClusterNodes,
// which AWS documents as the preferred way to recover a node by hand ("Manually
// quarantine, replace, or reboot a node"); the alternative, labelling the
// Kubernetes Node UnschedulablePendingReboot/-Replacement, starts the same
// recovery but only on EKS and says nothing back, and both APIs exist in every
// SageMaker model hpops targets, so the label path is not used. Always
// confirmed (and passed through the two-person approval rules, as losing the
// node's GPUs for a while); followed as a job until the instance is Running.
class NodeRecovery final : public Handler {
public:
    enum class Action { reboot, replace };
    explicit NodeRecovery(Action action) : action_(action) {}
    std::string_view command() const override { return action_ == Action::reboot ? "node reboot" : "node replace"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;

private:
    Action action_;
};

}  // namespace hpops::handlers
