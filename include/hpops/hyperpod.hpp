#pragma once
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

namespace hpops {

// SageMaker HyperPod clusters, as handlers see them. Implemented over the
// SageMaker JSON 1.1 API in integrations/aws/sagemaker_client.

struct HyperPodInstanceGroup {
    std::string name;
    std::string status;  // InService, Creating, Updating, Failed, Degraded, ...
    std::string instance_type;
    int current_count = 0;
    int target_count = 0;
    std::string execution_role;
};

struct HyperPodCluster {
    std::string name;
    std::string arn;
    std::string status;  // Creating, InService, Updating, Failed, Deleting, ...
    std::string eks_cluster_arn;  // Orchestrator.Eks.ClusterArn; empty for Slurm clusters
    std::vector<HyperPodInstanceGroup> instance_groups;
};

struct HyperPodNode {
    std::string instance_id;
    std::string instance_group;
    std::string instance_type;
    std::string status;  // Running, Pending, ShuttingDown, Failure, SystemUpdating, DeepHealthCheckInProgress, ...
    std::string status_message;  // InstanceStatus.Message: why it is in that state; may be empty
};

// A BatchRebootClusterNodes / BatchReplaceClusterNodes answer. SageMaker
// accepts or refuses each node on its own: a refusal (InstanceIdNotFound,
// InvalidInstanceStatus, InstanceIdInUse, InternalServerError) comes back in
// `failed`, not as an error of the request.
struct NodeBatchFailure {
    std::string node_id;
    std::string code;
    std::string message;
};

struct NodeBatchResult {
    std::vector<std::string> accepted;
    std::vector<NodeBatchFailure> failed;
    std::string request_id;  // for the audit
};

struct InstanceGroupSpec {
    std::string name;
    std::string instance_type;
    int count = 0;
    // Defaults for these come from an existing group of the cluster.
    std::string execution_role;
    std::string lifecycle_source_s3_uri;
    std::string lifecycle_on_create;
};

class HyperPodClusters {
public:
    virtual ~HyperPodClusters() = default;
    virtual boost::asio::awaitable<std::vector<HyperPodCluster>> list_clusters() = 0;  // names, arns, status
    virtual boost::asio::awaitable<HyperPodCluster> describe_cluster(std::string name) = 0;
    // UpdateCluster with the group's full current specification and the new
    // count (UpdateCluster replaces what it is given). Returns the request id.
    virtual boost::asio::awaitable<std::string> set_instance_count(std::string cluster, std::string group, int count) = 0;
    virtual boost::asio::awaitable<std::string> add_instance_group(std::string cluster, InstanceGroupSpec spec) = 0;
    virtual boost::asio::awaitable<std::vector<HyperPodNode>> list_cluster_nodes(std::string cluster) = 0;
    // nullopt when the cluster has no such node (ResourceNotFound): a replaced
    // instance leaves the cluster.
    virtual boost::asio::awaitable<std::optional<HyperPodNode>> describe_cluster_node(std::string cluster,
                                                                                      std::string node_id) = 0;
    virtual boost::asio::awaitable<NodeBatchResult> batch_reboot_cluster_nodes(std::string cluster,
                                                                               std::vector<std::string> node_ids) = 0;
    virtual boost::asio::awaitable<NodeBatchResult> batch_replace_cluster_nodes(std::string cluster,
                                                                                std::vector<std::string> node_ids) = 0;
};

}  // namespace hpops
