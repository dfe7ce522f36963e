#include "handlers/cluster_readiness.hpp"

#include "hpops/errors.hpp"
#include "hpops/hyperpod.hpp"
#include "hpops/node_groups.hpp"

namespace hpops::handlers {
namespace {

std::string output_of(const Stack& stack, std::string_view key) {
    for (const auto& o : stack.outputs)
        if (o.key == key) return o.value;
    return {};
}

std::string parameter_of(const Stack& stack, std::string_view key) {
    for (const auto& p : stack.parameters)
        if (p.key == key) return p.value;
    return {};
}

ReadinessCheck hyperpod_check(const HyperPodCluster& cluster) {
    ReadinessCheck check{"HyperPod cluster `" + cluster.name + "` InService"};
    bool groups_ready = !cluster.instance_groups.empty();
    for (const auto& g : cluster.instance_groups) {
        check.detail += (check.detail.empty() ? "" : ", ") + g.name + " " + std::to_string(g.current_count) + "/" +
                        std::to_string(g.target_count) + " " + g.status;
        if (g.status != "InService" || g.current_count < g.target_count) groups_ready = false;
    }
    check.passed = cluster.status == "InService" && groups_ready;
    check.failed = cluster.status == "Failed";
    if (check.detail.empty()) check.detail = cluster.status;
    return check;
}

}  // namespace

boost::asio::awaitable<std::vector<ReadinessCheck>> check_cluster_readiness(const Clients& clients, Stack stack) {
    std::vector<ReadinessCheck> checks;
    std::string eks_name = output_of(stack, "EksClusterName");
    if (clients.hyperpod) {
        // hpops's template names it in an output; AWS's main stack takes it as a parameter.
        std::string name = output_of(stack, "HyperPodClusterName");
        if (name.empty()) name = parameter_of(stack, "HyperPodClusterName");
        if (name.empty()) name = stack.name;
        try {
            const HyperPodCluster cluster = co_await clients.hyperpod->describe_cluster(name);
            checks.push_back(hyperpod_check(cluster));
            // arn:aws:eks:REGION:ACCOUNT:cluster/NAME
            if (eks_name.empty() && cluster.eks_cluster_arn.find(":cluster/") != std::string::npos)
                eks_name = cluster.eks_cluster_arn.substr(cluster.eks_cluster_arn.find(":cluster/") + 9);
        } catch (const UpstreamError& e) {
            if (e.code() != "ResourceNotFound" && e.code() != "ValidationException") throw;
            // The stack is complete, so a HyperPod cluster it made exists: this template made none.
            checks.push_back({"HyperPod cluster", true, false, "none named `" + name + "`: not part of this stack"});
        }
    }
    if (clients.node_groups && !eks_name.empty()) {
        const EksCluster eks = co_await clients.node_groups->describe_cluster(eks_name);
        checks.push_back({"EKS cluster `" + eks.name + "` ACTIVE", eks.status == "ACTIVE", eks.status == "FAILED",
                          eks.status == "ACTIVE" && !eks.version.empty() ? "Kubernetes " + eks.version : eks.status});
    }
    co_return checks;
}

Lines readiness_lines(const std::vector<ReadinessCheck>& checks) {
    Lines lines;
    for (const auto& c : checks)
        lines.items.push_back({c.what + (c.detail.empty() ? "" : ": " + c.detail),
                               c.passed ? Mark::done : c.failed ? Mark::failed : Mark::working});
    return lines;
}

}  // namespace hpops::handlers
