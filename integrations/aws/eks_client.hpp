#pragma once
#include "hpops/node_groups.hpp"
#include "integrations/aws/aws_transport.hpp"

namespace hpops::integrations::aws {

// NodeGroups over the EKS REST-JSON API (eks.{region}.amazonaws.com).
class EksClient final : public NodeGroups {
public:
    explicit EksClient(AwsTransport& transport) : transport_(transport) {}

    std::string region() const override { return transport_.region(); }
    boost::asio::awaitable<std::vector<std::string>> list_clusters() override;
    boost::asio::awaitable<EksCluster> describe_cluster(std::string cluster) override;
    boost::asio::awaitable<std::vector<std::string>> list_nodegroups(std::string cluster) override;
    boost::asio::awaitable<EksNodeGroup> describe_nodegroup(std::string cluster, std::string name) override;
    boost::asio::awaitable<EksUpdate> update_scaling(std::string cluster, std::string name, ScalingConfig target) override;
    boost::asio::awaitable<EksUpdate> describe_update(std::string cluster, std::string name, std::string update_id) override;
    boost::asio::awaitable<NodeGroupChange> create_nodegroup(std::string cluster, NodeGroupSpec spec) override;
    boost::asio::awaitable<NodeGroupChange> delete_nodegroup(std::string cluster, std::string name) override;

private:
    AwsTransport& transport_;
};

}  // namespace hpops::integrations::aws
