#pragma once
#include "hpops/hyperpod.hpp"
#include "integrations/aws/aws_transport.hpp"

namespace hpops::integrations::aws {

// HyperPodClusters over the SageMaker JSON 1.1 API (api.sagemaker.{region}.amazonaws.com).
class SageMakerClient final : public HyperPodClusters {
public:
    explicit SageMakerClient(AwsTransport& transport) : transport_(transport) {}

    boost::asio::awaitable<std::vector<HyperPodCluster>> list_clusters() override;
    boost::asio::awaitable<HyperPodCluster> describe_cluster(std::string name) override;
    boost::asio::awaitable<std::string> set_instance_count(std::string cluster, std::string group, int count) override;
    boost::asio::awaitable<std::string> add_instance_group(std::string cluster, InstanceGroupSpec spec) override;
    boost::asio::awaitable<std::vector<HyperPodNode>> list_cluster_nodes(std::string cluster) override;
    boost::asio::awaitable<std::optional<HyperPodNode>> describe_cluster_node(std::string cluster,
                                                                              std::string node_id) override;
    boost::asio::awaitable<NodeBatchResult> batch_reboot_cluster_nodes(std::string cluster,
                                                                       std::vector<std::string> node_ids) override;
    boost::asio::awaitable<NodeBatchResult> batch_replace_cluster_nodes(std::string cluster,
                                                                        std::vector<std::string> node_ids) override;

private:
    struct Result;
    boost::asio::awaitable<Result> invoke(std::string operation, std::string body);
    AwsTransport& transport_;
};

}  // namespace hpops::integrations::aws
