#include "handlers/fleet_reading.hpp"

#include "handlers/listing.hpp"
#include "hpops/config.hpp"
#include "hpops/handler.hpp"
#include "hpops/hyperpod.hpp"
#include "hpops/node_groups.hpp"

namespace hpops::handlers {
namespace {

boost::asio::awaitable<void> add_eks(FleetReading& fleet, NodeGroups& eks, const Config& config, std::size_t max_clusters) {
    std::vector<std::string> clusters;
    if (!config.aws.eks_cluster.empty()) clusters.push_back(config.aws.eks_cluster);
    else clusters = co_await eks.list_clusters();
    fleet.eks_clusters = clusters.size();
    if (clusters.size() > max_clusters) clusters.resize(max_clusters);
    for (const auto& cluster : clusters) {
        // Awaited apart from the loop: GCC 12 mishandles a temporary in a co_await's full-expression.
        const std::vector<std::string> groups = co_await eks.list_nodegroups(cluster);
        for (const auto& name : groups) {
            const EksNodeGroup g = co_await eks.describe_nodegroup(cluster, name);
            const ScalingConfig& s = g.scaling;
            fleet.groups.push_back({"eks", cluster, g.name, g.instance_types.empty() ? "" : g.instance_types.front(),
                                    comma_joined(g.instance_types), s.desired_size,
                                    std::to_string(s.min_size) + "/" + std::to_string(s.desired_size) + "/" +
                                        std::to_string(s.max_size) + " min/desired/max",
                                    g.status});
        }
    }
}

boost::asio::awaitable<void> add_hyperpod(FleetReading& fleet, HyperPodClusters& hyperpod, std::size_t max_clusters) {
    std::vector<HyperPodCluster> clusters = co_await hyperpod.list_clusters();
    fleet.hyperpod_clusters = clusters.size();
    if (clusters.size() > max_clusters) clusters.resize(max_clusters);
    for (const auto& listed : clusters) {
        const HyperPodCluster c = co_await hyperpod.describe_cluster(listed.name);
        for (const auto& g : c.instance_groups)
            fleet.groups.push_back({"hyperpod", c.name, g.name, g.instance_type, g.instance_type, g.current_count,
                                    std::to_string(g.current_count) + "/" + std::to_string(g.target_count) +
                                        " current/target",
                                    g.status});
    }
}

}  // namespace

boost::asio::awaitable<FleetReading> read_fleet(const Clients& clients, const Config& config, std::size_t max_clusters) {
    FleetReading fleet;
    if (clients.node_groups) co_await add_eks(fleet, *clients.node_groups, config, max_clusters);
    if (clients.hyperpod) co_await add_hyperpod(fleet, *clients.hyperpod, max_clusters);
    co_return fleet;
}

std::vector<CapacitySample> as_samples(const FleetReading& fleet, const std::string& region, std::int64_t slot_unix_ms,
                                       std::int64_t interval_ms) {
    std::vector<CapacitySample> out;
    for (const auto& g : fleet.groups)
        out.push_back({slot_unix_ms, interval_ms, region, g.kind, g.cluster, g.group, g.instance_type, g.count});
    return out;
}

}  // namespace hpops::handlers
