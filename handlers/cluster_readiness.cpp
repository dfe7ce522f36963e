#include "handlers/cluster_readiness.hpp"

#include "handlers/cluster_common.hpp"
#include "handlers/cluster_setup.hpp"
#include "handlers/kube_nodes.hpp"
#include "hpops/errors.hpp"
#include "hpops/hyperpod.hpp"
#include "hpops/kube.hpp"
#include "hpops/node_groups.hpp"

namespace hpops::handlers {
namespace {

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

// What the cluster's own API server says: nodes, and the base resources applied.
boost::asio::awaitable<void> check_through_the_api(Kube& kube, const Stack& stack, const std::string& region,
                                                   int expected_nodes, std::vector<ReadinessCheck>& checks) {
    ReadinessCheck nodes{"Nodes joined"};
    try {
        // GCC 12 mishandles temporaries (the "" and {}) in a co_await's full-expression: start it first.
        auto listing = kube.list(kube::nodes, "", {});
        const KubeList list = co_await std::move(listing);
        int ready = 0;
        for (const auto& node : list.items) ready += node_ready(node) ? 1 : 0;
        nodes.detail = std::to_string(ready) + " Ready of " + std::to_string(expected_nodes);
        nodes.passed = ready >= expected_nodes;
    } catch (const UpstreamError& e) {
        nodes.detail = "the API server did not answer: " + std::string(e.what());
    }
    checks.push_back(std::move(nodes));

    ReadinessCheck base{"Base resources applied (deploy/cluster-setup)"};
    try {
        std::string names;
        const std::vector<SetupResource> resources = cluster_setup_resources(region, stack_output(stack, "ArtifactsBucketName"));
        for (const auto& r : resources) {
            co_await kube.apply(r.resource, r.ns, r.object);
            names += (names.empty() ? "" : ", ") + r.resource.kind + " " +
                     r.object["metadata"].value("name", std::string());
        }
        base.detail = names;
        base.passed = true;
    } catch (const UpstreamError& e) {
        base.detail = e.what();
    }
    checks.push_back(std::move(base));
}

}  // namespace

boost::asio::awaitable<std::vector<ReadinessCheck>> check_cluster_readiness(const Clients& clients, Stack stack,
                                                                            std::string region, bool through_kubernetes) {
    std::vector<ReadinessCheck> checks;
    int expected_nodes = 0;
    const StackClusters names = stack_clusters(stack);
    std::string eks_name = names.eks;
    if (clients.hyperpod) {
        const std::string& name = names.hyperpod;
        try {
            const HyperPodCluster cluster = co_await clients.hyperpod->describe_cluster(name);
            checks.push_back(hyperpod_check(cluster));
            for (const auto& g : cluster.instance_groups) expected_nodes += g.target_count;
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
        if (through_kubernetes && eks.status == "ACTIVE" && clients.kube_connector && !eks.endpoint.empty()) {
            const KubeEndpoint endpoint{stack.name, eks.endpoint, eks.ca_data, eks.name, region};
            ReadinessCheck context{"Kubernetes context `" + stack.name + "`"};
            std::unique_ptr<Kube> kube;
            try {
                context.detail = "written to " + clients.kube_connector->remember(endpoint);
                kube = clients.kube_connector->connect(endpoint);
                context.passed = true;
            } catch (const std::exception& e) {  // an unreadable CA, a file that cannot be written
                context.detail = e.what();
            }
            checks.push_back(std::move(context));
            if (kube) {
                auto through_the_api = check_through_the_api(*kube, stack, region, expected_nodes, checks);
                co_await std::move(through_the_api);
            }
        }
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
