#include "handlers/aws_targets.hpp"

#include "hpops/errors.hpp"
#include "hpops/hyperpod.hpp"
#include "hpops/node_groups.hpp"

namespace hpops::handlers {

std::string option(const Intent& intent, const std::string& key) { return option_or_empty(intent.options, key); }

NodeGroups& require_node_groups(CommandContext& context) {
    if (!context.clients.node_groups)
        throw UserError("AWS is not configured: set `aws.region` in the hpops config (or AWS_REGION).");
    return *context.clients.node_groups;
}

HyperPodClusters& require_hyperpod(CommandContext& context) {
    if (!context.clients.hyperpod)
        throw UserError("AWS is not configured: set `aws.region` in the hpops config (or AWS_REGION).");
    return *context.clients.hyperpod;
}

boost::asio::awaitable<Target> resolve_eks_cluster(CommandContext& context, const Intent& intent) {
    if (auto named = option(intent, "cluster"); !named.empty()) co_return Target{named, {}};
    if (!context.config.aws.eks_cluster.empty()) co_return Target{context.config.aws.eks_cluster, {}};
    NodeGroups& eks = require_node_groups(context);
    auto clusters = co_await eks.list_clusters();
    if (clusters.size() == 1) co_return Target{clusters.front(), "the only EKS cluster in " + eks.region()};
    if (clusters.empty()) throw UserError("There is no EKS cluster in " + eks.region() + ".");
    std::string names;
    for (const auto& c : clusters) names += (names.empty() ? "`" : ", `") + c + "`";
    throw UserError("There are " + std::to_string(clusters.size()) + " EKS clusters in " + eks.region() +
                    ": " + names + ". Say which with `cluster=NAME`, or set `aws.eks_cluster`.");
}

boost::asio::awaitable<Target> resolve_hyperpod_cluster(CommandContext& context, const Intent& intent,
                                                        const std::string& eks_cluster) {
    if (auto named = option(intent, "hyperpod"); !named.empty()) co_return Target{named, {}};
    if (!context.config.aws.hyperpod_cluster.empty()) co_return Target{context.config.aws.hyperpod_cluster, {}};
    HyperPodClusters& sagemaker = require_hyperpod(context);
    auto clusters = co_await sagemaker.list_clusters();
    if (clusters.empty()) co_return Target{};
    if (clusters.size() == 1) co_return Target{clusters.front().name, "the only HyperPod cluster"};
    // ListClusters does not say who orchestrates; DescribeCluster does.
    for (const auto& summary : clusters) {
        HyperPodCluster cluster = co_await sagemaker.describe_cluster(summary.name);
        if (!eks_cluster.empty() && cluster.eks_cluster_arn.ends_with(":cluster/" + eks_cluster))
            co_return Target{cluster.name, "orchestrated by " + eks_cluster};
    }
    throw UserError("Several HyperPod clusters and none orchestrated by `" + eks_cluster +
                    "`: say which with `hyperpod=NAME`.");
}

}  // namespace hpops::handlers

namespace hpops::handlers {

boost::asio::awaitable<EksNodeGroup> find_nodegroup(NodeGroups& eks, const std::string& cluster, const std::string& name) {
    bool not_found = false;
    try {
        co_return co_await eks.describe_nodegroup(cluster, name);
    } catch (const UpstreamError& error) {
        if (error.code() != "ResourceNotFoundException") throw;
        not_found = true;
    }
    // co_await is not allowed in a handler block, so the listing happens here.
    std::string names;
    if (not_found)
        for (const auto& existing : co_await eks.list_nodegroups(cluster)) names += (names.empty() ? "`" : ", `") + existing + "`";
    throw UserError("EKS cluster `" + cluster + "` has no node group `" + name + "`." +
                    (names.empty() ? " It has none." : " It has: " + names + "."));
}

}  // namespace hpops::handlers
