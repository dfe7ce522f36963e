#pragma once
#include <boost/asio/awaitable.hpp>
#include <string>

#include "hpops/handler.hpp"
#include "hpops/node_groups.hpp"

namespace hpops::handlers {

// Which clusters a command acts on: `cluster=` / `hyperpod=`, else the config,
// else discovered (the only EKS cluster; the HyperPod cluster it orchestrates,
// or the only one). `note` says how a discovered one was chosen.
struct Target {
    std::string name;
    std::string note;  // empty when named explicitly or configured
};

NodeGroups& require_node_groups(CommandContext& context);
HyperPodClusters& require_hyperpod(CommandContext& context);

boost::asio::awaitable<Target> resolve_eks_cluster(CommandContext& context, const Intent& intent);
// Empty name when the account has no HyperPod cluster (not an error: EKS-only fleets exist).
boost::asio::awaitable<Target> resolve_hyperpod_cluster(CommandContext& context, const Intent& intent,
                                                        const std::string& eks_cluster);

// The value of an option, or empty.
std::string option(const Intent& intent, const std::string& key);

}  // namespace hpops::handlers

namespace hpops::handlers {

// DescribeNodegroup, with an unknown name answered by the names that exist.
boost::asio::awaitable<EksNodeGroup> find_nodegroup(NodeGroups& eks, const std::string& cluster, const std::string& name);

}  // namespace hpops::handlers
