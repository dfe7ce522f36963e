#pragma once
#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>

#include "hpops/cloudformation.hpp"
#include "hpops/handler.hpp"
#include "hpops/reply.hpp"

namespace hpops::handlers {

// One check of a launched cluster's readiness, as the launch job's message lists it.
struct ReadinessCheck {
    std::string what;  // "HyperPod cluster `c1` InService"
    bool passed = false;
    bool failed = false;  // will not pass by waiting (a Failed HyperPod cluster)
    std::string detail;   // "gpu-workers 1/2 InService"
};

// The second step of a launch, once the stack is CREATE_COMPLETE, as seed
// 001's configure step: its HyperPod cluster InService with every instance
// group at its target count; its EKS cluster ACTIVE; then, through the API
// server and CA that DescribeCluster gives and a native EKS token, the
// cluster written as a kubeconfig context, its nodes Ready (as many as the
// instance groups' targets), and deploy/cluster-setup/ applied server-side.
// The names come from the stack's outputs (HyperPodClusterName,
// EksClusterName), else the HyperPod cluster is named like the stack and EKS
// is the one it is orchestrated by. Each call checks again from the start:
// applying and writing the context twice changes nothing.
// `through_kubernetes` false (clusters.configure_kubernetes) stops at EKS ACTIVE.
boost::asio::awaitable<std::vector<ReadinessCheck>> check_cluster_readiness(const Clients& clients, Stack stack,
                                                                            std::string region, bool through_kubernetes);

// The checks as marked lines: done, under way, failed.
Lines readiness_lines(const std::vector<ReadinessCheck>& checks);

}  // namespace hpops::handlers
