#pragma once
#include <boost/asio/awaitable.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hpops {

// EKS managed node groups, as handlers see them. Implemented over the EKS
// REST API in integrations/aws/eks_client; errors are UpstreamError.

struct ScalingConfig {
    int min_size = 0;
    int max_size = 0;
    int desired_size = 0;
    friend bool operator==(const ScalingConfig&, const ScalingConfig&) = default;
};

struct EksCluster {
    std::string name;
    std::string arn;
    std::string status;  // CREATING, ACTIVE, DELETING, FAILED, UPDATING
    std::string version;
    std::string endpoint;  // the API server's URL
    std::string ca_data;   // certificateAuthority.data: base64 PEM
};

struct EksNodeGroup {
    std::string name;
    std::string status;  // CREATING, ACTIVE, UPDATING, DELETING, CREATE_FAILED, DELETE_FAILED, DEGRADED
    std::vector<std::string> instance_types;
    std::string capacity_type;  // ON_DEMAND, SPOT
    std::string ami_type;
    ScalingConfig scaling;
    std::vector<std::string> subnets;
    std::string node_role;
    std::map<std::string, std::string> labels;
};

// An asynchronous EKS change (UpdateNodegroupConfig) and its progress.
struct EksUpdate {
    std::string id;
    std::string status;  // InProgress, Successful, Failed, Cancelled
    std::string type;    // ConfigUpdate, ...
    std::vector<std::string> errors;
    std::string request_id;  // of the call that returned it
};

struct NodeGroupSpec {
    std::string name;
    std::vector<std::string> instance_types;
    std::string capacity_type = "ON_DEMAND";
    std::string ami_type;  // empty: EKS's default for the instance type
    ScalingConfig scaling;
    std::vector<std::string> subnets;
    std::string node_role;
    std::map<std::string, std::string> labels;
};

struct NodeGroupChange {
    EksNodeGroup nodegroup;
    std::string request_id;
};

class NodeGroups {
public:
    virtual ~NodeGroups() = default;
    virtual std::string region() const = 0;
    virtual boost::asio::awaitable<std::vector<std::string>> list_clusters() = 0;
    virtual boost::asio::awaitable<EksCluster> describe_cluster(std::string cluster) = 0;
    // All pages.
    virtual boost::asio::awaitable<std::vector<std::string>> list_nodegroups(std::string cluster) = 0;
    virtual boost::asio::awaitable<EksNodeGroup> describe_nodegroup(std::string cluster, std::string name) = 0;
    virtual boost::asio::awaitable<EksUpdate> update_scaling(std::string cluster, std::string name,
                                                             ScalingConfig target) = 0;
    virtual boost::asio::awaitable<EksUpdate> describe_update(std::string cluster, std::string name,
                                                              std::string update_id) = 0;
    virtual boost::asio::awaitable<NodeGroupChange> create_nodegroup(std::string cluster, NodeGroupSpec spec) = 0;
    virtual boost::asio::awaitable<NodeGroupChange> delete_nodegroup(std::string cluster, std::string name) = 0;
};

}  // namespace hpops
