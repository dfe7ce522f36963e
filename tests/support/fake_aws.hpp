#pragma once
// In-memory EKS node groups and HyperPod clusters, for fast tests of handlers
// and job kinds: the state a test sets is what every call answers, and each
// call is counted. The end-to-end tests keep moto.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "hpops/errors.hpp"
#include "hpops/hyperpod.hpp"
#include "hpops/node_groups.hpp"

namespace hpops::testing {

class FakeNodeGroups final : public NodeGroups {
public:
    std::map<std::string, std::map<std::string, EksNodeGroup>> clusters;  // cluster -> name -> group
    std::map<std::string, EksUpdate> updates;                              // update id -> its progress
    bool describe_update_works = true;  // moto's older EKS cannot describe updates
    bool updates_finish = false;        // the next DescribeUpdate finds EKS done (Successful, ACTIVE)
    int calls = 0;

    std::string region() const override { return "us-west-2"; }
    boost::asio::awaitable<std::vector<std::string>> list_clusters() override {
        ++calls;
        std::vector<std::string> names;
        for (const auto& [name, groups] : clusters) names.push_back(name);
        co_return names;
    }
    boost::asio::awaitable<EksCluster> describe_cluster(std::string cluster) override {
        ++calls;
        co_return EksCluster{cluster, "arn:aws:eks:us-west-2:123456789012:cluster/" + cluster, "ACTIVE", "1.31"};
    }
    boost::asio::awaitable<std::vector<std::string>> list_nodegroups(std::string cluster) override {
        ++calls;
        std::vector<std::string> names;
        for (const auto& [name, group] : clusters[cluster]) names.push_back(name);
        co_return names;
    }
    boost::asio::awaitable<EksNodeGroup> describe_nodegroup(std::string cluster, std::string name) override {
        ++calls;
        co_return group(cluster, name);
    }
    boost::asio::awaitable<EksUpdate> update_scaling(std::string cluster, std::string name,
                                                     ScalingConfig scaling) override {
        ++calls;
        EksNodeGroup& g = group(cluster, name);
        g.scaling = scaling;
        g.status = "UPDATING";
        EksUpdate update{"u-" + std::to_string(updates.size() + 1), "InProgress", "ConfigUpdate", {}, "req-update"};
        updates[update.id] = update;
        co_return update;
    }
    boost::asio::awaitable<EksUpdate> describe_update(std::string, std::string, std::string id) override {
        ++calls;
        if (!describe_update_works || !updates.contains(id))
            throw UpstreamError("eks", "ResourceNotFoundException", "No update found for ID: " + id, {}, 404);
        if (updates_finish) {
            updates.at(id).status = "Successful";
            for (auto& [cluster, groups] : clusters)
                for (auto& [name, g] : groups)
                    if (g.status == "UPDATING") g.status = "ACTIVE";
        }
        co_return updates.at(id);
    }
    boost::asio::awaitable<NodeGroupChange> create_nodegroup(std::string cluster, NodeGroupSpec spec) override {
        ++calls;
        EksNodeGroup g{spec.name, "CREATING", spec.instance_types, spec.capacity_type, spec.ami_type, spec.scaling,
                       spec.subnets, spec.node_role, spec.labels};
        clusters[cluster][spec.name] = g;
        co_return NodeGroupChange{g, "req-create"};
    }
    boost::asio::awaitable<NodeGroupChange> delete_nodegroup(std::string cluster, std::string name) override {
        ++calls;
        EksNodeGroup& g = group(cluster, name);
        g.status = "DELETING";
        co_return NodeGroupChange{g, "req-delete"};
    }

    EksNodeGroup& group(const std::string& cluster, const std::string& name) {
        auto c = clusters.find(cluster);
        if (c == clusters.end() || !c->second.contains(name))
            throw UpstreamError("eks", "ResourceNotFoundException", "No node group found for name: " + name, {}, 404);
        return c->second.at(name);
    }
};

class FakeHyperPod final : public HyperPodClusters {
public:
    std::map<std::string, HyperPodCluster> clusters;
    bool changes_finish = false;  // the next DescribeCluster finds the change done (InService, at target)
    int calls = 0;

    boost::asio::awaitable<std::vector<HyperPodCluster>> list_clusters() override {
        ++calls;
        std::vector<HyperPodCluster> out;
        for (const auto& [name, c] : clusters) out.push_back(c);
        co_return out;
    }
    boost::asio::awaitable<HyperPodCluster> describe_cluster(std::string name) override {
        ++calls;
        HyperPodCluster& c = cluster(name);
        if (changes_finish && c.status == "Updating") {
            c.status = "InService";
            for (auto& g : c.instance_groups) {
                g.status = "InService";
                g.current_count = g.target_count;
            }
        }
        co_return c;
    }
    boost::asio::awaitable<std::string> set_instance_count(std::string name, std::string group, int count) override {
        ++calls;
        HyperPodCluster& c = cluster(name);
        for (auto& g : c.instance_groups)
            if (g.name == group) g.target_count = count;
        c.status = "Updating";
        co_return "req-scale";
    }
    boost::asio::awaitable<std::string> add_instance_group(std::string name, InstanceGroupSpec spec) override {
        ++calls;
        HyperPodCluster& c = cluster(name);
        c.instance_groups.push_back({spec.name, "Creating", spec.instance_type, 0, spec.count, spec.execution_role});
        c.status = "Updating";
        co_return "req-add";
    }
    // Nodes per cluster. A reboot leaves a node Pending and a replace
    // ShuttingDown; the next DescribeClusterNode shows that state once, the
    // one after it the node Running again (a replaced one under a new id,
    // `<id>-new`, its old id gone).
    std::map<std::string, std::vector<HyperPodNode>> nodes;
    std::map<std::string, NodeBatchFailure> refusals;  // node id -> what SageMaker says instead
    std::vector<std::string> rebooted, replaced;
    std::map<std::string, std::string> replacements;  // old id -> new id, once replaced
    std::set<std::string> shown_transition;

    boost::asio::awaitable<std::vector<HyperPodNode>> list_cluster_nodes(std::string name) override {
        ++calls;
        cluster(name);
        co_return nodes[name];
    }
    boost::asio::awaitable<std::optional<HyperPodNode>> describe_cluster_node(std::string name,
                                                                              std::string node_id) override {
        ++calls;
        cluster(name);
        for (auto it = nodes[name].begin(); it != nodes[name].end(); ++it) {
            if (it->instance_id != node_id) continue;
            const bool moving = it->status == "Pending" || it->status == "ShuttingDown";
            if (!moving || shown_transition.insert(node_id).second) co_return *it;
            if (it->status == "ShuttingDown") {  // replaced: the old instance leaves, a new one runs
                HyperPodNode fresh = *it;
                fresh.instance_id = node_id + "-new";
                fresh.status = "Running";
                replacements[node_id] = fresh.instance_id;
                *it = fresh;
                co_return std::nullopt;
            }
            it->status = "Running";
            co_return *it;
        }
        co_return std::nullopt;
    }
    boost::asio::awaitable<NodeBatchResult> batch_reboot_cluster_nodes(std::string name,
                                                                       std::vector<std::string> ids) override {
        co_return batch(name, ids, "Pending", rebooted, "req-reboot");
    }
    boost::asio::awaitable<NodeBatchResult> batch_replace_cluster_nodes(std::string name,
                                                                        std::vector<std::string> ids) override {
        co_return batch(name, ids, "ShuttingDown", replaced, "req-replace");
    }

    NodeBatchResult batch(const std::string& name, const std::vector<std::string>& ids, const std::string& status,
                          std::vector<std::string>& log, const std::string& request_id) {
        ++calls;
        cluster(name);
        NodeBatchResult result;
        result.request_id = request_id;
        for (const auto& id : ids) {
            if (refusals.contains(id)) {
                result.failed.push_back(refusals.at(id));
                continue;
            }
            bool found = false;
            for (auto& n : nodes[name])
                if (n.instance_id == id) {
                    found = true;
                    n.status = status;
                }
            if (!found) {
                result.failed.push_back({id, "InstanceIdNotFound", "Node " + id + " not found"});
                continue;
            }
            result.accepted.push_back(id);
            log.push_back(id);
        }
        return result;
    }

    HyperPodCluster& cluster(const std::string& name) {
        if (!clusters.contains(name))
            throw UpstreamError("sagemaker", "ResourceNotFound", "Cluster " + name + " not found", {}, 400);
        return clusters.at(name);
    }
};

}  // namespace hpops::testing
