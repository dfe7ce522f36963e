#include "integrations/aws/sagemaker_client.hpp"

#include <nlohmann/json.hpp>

#include "hpops/errors.hpp"
#include "integrations/json_fields.hpp"

namespace hpops::integrations::aws {
namespace asio = boost::asio;
using nlohmann::json;

struct SageMakerClient::Result {
    json body;
    std::string request_id;
};

namespace {

// The fields of ClusterInstanceGroupSpecification (the UpdateCluster input
// shape) that DescribeCluster's ClusterInstanceGroupDetails also carries.
// UpdateCluster replaces each listed group with what it is given, so every one
// of them is copied back, not only the count.
constexpr const char* spec_fields[] = {"InstanceGroupName",      "InstanceType",          "LifeCycleConfig",
                                       "ExecutionRole",          "ThreadsPerCore",        "InstanceStorageConfigs",
                                       "OnStartDeepHealthChecks", "TrainingPlanArn",      "OverrideVpcConfig",
                                       "ScheduledUpdateConfig"};

json spec_from_details(const json& details, int count) {
    json spec = json::object();
    for (const char* field : spec_fields)
        if (details.contains(field)) spec[field] = details[field];
    spec["InstanceCount"] = count;
    return spec;
}

HyperPodCluster cluster_from(const json& c) {
    HyperPodCluster cluster;
    cluster.name = string_field(c, "ClusterName");
    cluster.arn = string_field(c, "ClusterArn");
    cluster.status = string_field(c, "ClusterStatus");
    if (c.contains("Orchestrator") && c["Orchestrator"].contains("Eks"))
        cluster.eks_cluster_arn = string_field(c["Orchestrator"]["Eks"], "ClusterArn");
    if (c.contains("InstanceGroups") && c["InstanceGroups"].is_array())
        for (const auto& g : c["InstanceGroups"])
            cluster.instance_groups.push_back({string_field(g, "InstanceGroupName"), string_field(g, "Status"), string_field(g, "InstanceType"),
                                               g.value("CurrentCount", 0), g.value("TargetCount", 0),
                                               string_field(g, "ExecutionRole")});
    return cluster;
}

// ListClusterNodes' ClusterNodeSummary and DescribeClusterNode's
// ClusterNodeDetails share these fields.
HyperPodNode node_from(const json& n) {
    const json status = n.value("InstanceStatus", json::object());
    return {string_field(n, "InstanceId"), string_field(n, "InstanceGroupName"), string_field(n, "InstanceType"), string_field(status, "Status"),
            string_field(status, "Message")};
}

NodeBatchResult batch_result(const json& body, std::string request_id) {
    NodeBatchResult out;
    out.request_id = std::move(request_id);
    for (const auto& id : body.value("Successful", json::array()))
        if (id.is_string()) out.accepted.push_back(id.get<std::string>());
    for (const auto& f : body.value("Failed", json::array()))
        out.failed.push_back({string_field(f, "NodeId"), string_field(f, "ErrorCode"), string_field(f, "Message")});
    return out;
}

}  // namespace

asio::awaitable<SageMakerClient::Result> SageMakerClient::invoke(std::string operation, std::string body) {
    AwsCall call{"sagemaker", "POST", "/",
                 {{"Content-Type", "application/x-amz-json-1.1"}, {"X-Amz-Target", "SageMaker." + operation}},
                 std::move(body)};
    AwsResponse response = co_await transport_.call(std::move(call));
    auto parsed = json::parse(response.body, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object())
        throw UpstreamError("sagemaker", "MalformedResponse", operation + " answered with something that is not JSON",
                            response.request_id);
    co_return Result{std::move(parsed), std::move(response.request_id)};
}

asio::awaitable<std::vector<HyperPodCluster>> SageMakerClient::list_clusters() {
    std::vector<HyperPodCluster> clusters;
    std::string token;
    do {
        json request{{"MaxResults", 100}};
        if (!token.empty()) request["NextToken"] = token;
        Result result = co_await invoke("ListClusters", request.dump());
        for (const auto& summary : result.body.value("ClusterSummaries", json::array()))
            clusters.push_back(cluster_from(summary));
        token = string_field(result.body, "NextToken");
    } while (!token.empty());
    co_return clusters;
}

asio::awaitable<HyperPodCluster> SageMakerClient::describe_cluster(std::string name) {
    json request{{"ClusterName", name}};
    Result result = co_await invoke("DescribeCluster", request.dump());
    co_return cluster_from(result.body);
}

asio::awaitable<std::string> SageMakerClient::set_instance_count(std::string cluster, std::string group, int count) {
    json describe{{"ClusterName", cluster}};
    Result current = co_await invoke("DescribeCluster", describe.dump());
    json groups = json::array();
    for (const auto& details : current.body.value("InstanceGroups", json::array()))
        if (string_field(details, "InstanceGroupName") == group) groups.push_back(spec_from_details(details, count));
    if (groups.empty())
        throw UserError("HyperPod cluster `" + cluster + "` has no instance group `" + group + "`");
    json request{{"ClusterName", cluster}, {"InstanceGroups", groups}};
    Result result = co_await invoke("UpdateCluster", request.dump());
    co_return result.request_id;
}

asio::awaitable<std::string> SageMakerClient::add_instance_group(std::string cluster, InstanceGroupSpec spec) {
    json describe{{"ClusterName", cluster}};
    Result current = co_await invoke("DescribeCluster", describe.dump());
    const json existing = current.body.value("InstanceGroups", json::array());
    if (existing.empty()) throw UserError("HyperPod cluster `" + cluster + "` has no instance group to copy settings from");
    json group = spec_from_details(existing.front(), spec.count);
    group["InstanceGroupName"] = spec.name;
    group["InstanceType"] = spec.instance_type;
    if (!spec.execution_role.empty()) group["ExecutionRole"] = spec.execution_role;
    if (!spec.lifecycle_source_s3_uri.empty()) group["LifeCycleConfig"]["SourceS3Uri"] = spec.lifecycle_source_s3_uri;
    if (!spec.lifecycle_on_create.empty()) group["LifeCycleConfig"]["OnCreate"] = spec.lifecycle_on_create;
    json request{{"ClusterName", cluster}, {"InstanceGroups", json::array({group})}};
    Result result = co_await invoke("UpdateCluster", request.dump());
    co_return result.request_id;
}

asio::awaitable<std::vector<HyperPodNode>> SageMakerClient::list_cluster_nodes(std::string cluster) {
    std::vector<HyperPodNode> nodes;
    std::string token;
    do {
        json request{{"ClusterName", cluster}, {"MaxResults", 100}};
        if (!token.empty()) request["NextToken"] = token;
        Result result = co_await invoke("ListClusterNodes", request.dump());
        for (const auto& n : result.body.value("ClusterNodeSummaries", json::array())) nodes.push_back(node_from(n));
        token = string_field(result.body, "NextToken");
    } while (!token.empty());
    co_return nodes;
}

asio::awaitable<std::optional<HyperPodNode>> SageMakerClient::describe_cluster_node(std::string cluster,
                                                                                  std::string node_id) {
    json request{{"ClusterName", cluster}, {"NodeId", node_id}};
    std::optional<Result> result;
    try {
        result = co_await invoke("DescribeClusterNode", request.dump());
    } catch (const UpstreamError& error) {
        if (error.code() != "ResourceNotFound") throw;
    }
    if (!result) co_return std::nullopt;
    co_return node_from(result->body.value("NodeDetails", json::object()));
}

// Both answer per node (Successful / Failed lists) for up to 25 NodeIds.
asio::awaitable<NodeBatchResult> SageMakerClient::batch_reboot_cluster_nodes(std::string cluster,
                                                                             std::vector<std::string> node_ids) {
    json request{{"ClusterName", cluster}, {"NodeIds", node_ids}};
    Result result = co_await invoke("BatchRebootClusterNodes", request.dump());
    co_return batch_result(result.body, std::move(result.request_id));
}

asio::awaitable<NodeBatchResult> SageMakerClient::batch_replace_cluster_nodes(std::string cluster,
                                                                              std::vector<std::string> node_ids) {
    json request{{"ClusterName", cluster}, {"NodeIds", node_ids}};
    Result result = co_await invoke("BatchReplaceClusterNodes", request.dump());
    co_return batch_result(result.body, std::move(result.request_id));
}

}  // namespace hpops::integrations::aws
