#pragma once
// A HyperPod node as SageMaker and Kubernetes both see it: the instance
// (ListClusterNodes) beside the Kubernetes Node HyperPod registers for it on
// an EKS-orchestrated cluster, named `hyperpod-<instance-id>`, and the
// resilience labels HyperPod keeps on that Node. The labels and their values
// are documented in "Resilience-related Kubernetes labels by SageMaker
// HyperPod":
// https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-hyperpod-eks-resiliency-node-labels.html
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "hpops/hyperpod.hpp"

namespace hpops::handlers {

namespace hyperpod_labels {
// Schedulable, Unschedulable (deep health checks running),
// UnschedulablePendingReplacement, UnschedulablePendingReboot.
inline constexpr const char* health = "sagemaker.amazonaws.com/node-health-status";
// InProgress, Passed, Failed.
inline constexpr const char* deep_health = "sagemaker.amazonaws.com/deep-health-check-status";
}  // namespace hyperpod_labels

std::string kube_node_name(const std::string& instance_id);

struct NodeHealth {
    HyperPodNode instance;
    bool in_kube = false;   // a Kubernetes Node of that name exists
    bool ready = false;     // its Ready condition
    bool cordoned = false;  // spec.unschedulable
    std::string health;       // the node-health-status label; empty when absent
    std::string deep_health;  // the deep-health-check-status label; empty when absent

    // Whether pods can land on it now: the instance Running and, where
    // Kubernetes was read, its Node Ready, not cordoned and not labelled
    // unschedulable by HyperPod.
    bool schedulable(bool kube_read) const;
};

// Every node of `instances`, with its Kubernetes Node's state from `kube_nodes`.
std::vector<NodeHealth> join_nodes(const std::vector<HyperPodNode>& instances,
                                   const std::vector<nlohmann::json>& kube_nodes);

// The node `wanted` names, by instance id or Kubernetes node name; a
// UserError listing the cluster's nodes when none matches.
const HyperPodNode& find_node(const std::vector<HyperPodNode>& nodes, const std::string& wanted,
                              const std::string& hyperpod);

}  // namespace hpops::handlers
