#include "integrations/aws/eks_client.hpp"

#include <nlohmann/json.hpp>

#include "common/crypto.hpp"
#include "hpops/errors.hpp"
#include "integrations/aws/sigv4_canonical.hpp"
#include "integrations/json_fields.hpp"

namespace hpops::integrations::aws {
namespace asio = boost::asio;
using nlohmann::json;

namespace {

std::string segment(std::string_view name) { return uri_encode(name, true); }

json parse_eks_body(const AwsResponse& response) {
    auto body = json::parse(response.body, nullptr, false);
    if (body.is_discarded() || !body.is_object())
        throw UpstreamError("eks", "MalformedResponse", "EKS answered with something that is not a JSON object",
                            response.request_id);
    return body;
}

std::vector<std::string> strings(const json& j, const char* key) {
    std::vector<std::string> out;
    if (j.contains(key) && j[key].is_array())
        for (const auto& v : j[key])
            if (v.is_string()) out.push_back(v.get<std::string>());
    return out;
}

EksNodeGroup nodegroup_from(const json& n) {
    EksNodeGroup g;
    g.name = string_field(n, "nodegroupName");
    g.status = string_field(n, "status");
    g.instance_types = strings(n, "instanceTypes");
    g.capacity_type = string_field(n, "capacityType");
    g.ami_type = string_field(n, "amiType");
    g.subnets = strings(n, "subnets");
    g.node_role = string_field(n, "nodeRole");
    if (n.contains("scalingConfig") && n["scalingConfig"].is_object()) {
        const auto& s = n["scalingConfig"];
        g.scaling = {s.value("minSize", 0), s.value("maxSize", 0), s.value("desiredSize", 0)};
    }
    if (n.contains("labels") && n["labels"].is_object())
        for (const auto& [k, v] : n["labels"].items())
            if (v.is_string()) g.labels[k] = v.get<std::string>();
    return g;
}

EksUpdate update_from(const json& u, std::string request_id) {
    EksUpdate update;
    update.id = string_field(u, "id");
    update.status = string_field(u, "status");
    update.type = string_field(u, "type");
    if (u.contains("errors") && u["errors"].is_array())
        for (const auto& e : u["errors"]) update.errors.push_back(string_field(e, "errorCode") + ": " + string_field(e, "errorMessage"));
    update.request_id = std::move(request_id);
    return update;
}

// EKS deduplicates retried mutations by this token.
std::string client_request_token() { return hpops::to_hex(hpops::random_bytes(16)); }

// Built outside the co_await expression: GCC 12 miscompiles braced
// temporaries there.
AwsCall eks_call(std::string method, std::string path, std::string body = {}) {
    AwsCall call{"eks", std::move(method), std::move(path), {}, std::move(body)};
    if (!call.body.empty()) call.headers.emplace_back("Content-Type", "application/json");
    return call;
}

json scaling_json(const ScalingConfig& s) {
    return {{"minSize", s.min_size}, {"maxSize", s.max_size}, {"desiredSize", s.desired_size}};
}

}  // namespace

asio::awaitable<std::vector<std::string>> EksClient::list_clusters() {
    std::vector<std::string> clusters;
    std::string token;
    do {
        std::string path = "/clusters?maxResults=100";
        if (!token.empty()) path += "&nextToken=" + uri_encode(token, true);
        json body = parse_eks_body(co_await transport_.call(eks_call("GET", path)));
        for (auto& name : strings(body, "clusters")) clusters.push_back(std::move(name));
        token = string_field(body, "nextToken");
    } while (!token.empty());
    co_return clusters;
}

asio::awaitable<EksCluster> EksClient::describe_cluster(std::string cluster) {
    json body = parse_eks_body(co_await transport_.call(eks_call("GET", "/clusters/" + segment(cluster))));
    const json& c = body.value("cluster", json::object());
    const json& ca = c.value("certificateAuthority", json::object());
    co_return EksCluster{string_field(c, "name"),    string_field(c, "arn"),      string_field(c, "status"),
                         string_field(c, "version"), string_field(c, "endpoint"), ca.is_object() ? string_field(ca, "data") : std::string()};
}

asio::awaitable<std::vector<std::string>> EksClient::list_nodegroups(std::string cluster) {
    std::vector<std::string> names;
    std::string token;
    do {
        std::string path = "/clusters/" + segment(cluster) + "/node-groups?maxResults=100";
        if (!token.empty()) path += "&nextToken=" + uri_encode(token, true);
        json body = parse_eks_body(co_await transport_.call(eks_call("GET", path)));
        for (auto& name : strings(body, "nodegroups")) names.push_back(std::move(name));
        token = string_field(body, "nextToken");
    } while (!token.empty());
    co_return names;
}

asio::awaitable<EksNodeGroup> EksClient::describe_nodegroup(std::string cluster, std::string name) {
    json body = parse_eks_body(co_await transport_.call(
        eks_call("GET", "/clusters/" + segment(cluster) + "/node-groups/" + segment(name))));
    co_return nodegroup_from(body.value("nodegroup", json::object()));
}

asio::awaitable<EksUpdate> EksClient::update_scaling(std::string cluster, std::string name, ScalingConfig target) {
    json request{{"scalingConfig", scaling_json(target)}, {"clientRequestToken", client_request_token()}};
    AwsCall call = eks_call("POST", "/clusters/" + segment(cluster) + "/node-groups/" + segment(name) + "/update-config",
                            request.dump());
    AwsResponse response = co_await transport_.call(std::move(call));
    json body = parse_eks_body(response);
    co_return update_from(body.value("update", json::object()), response.request_id);
}

asio::awaitable<EksUpdate> EksClient::describe_update(std::string cluster, std::string name, std::string update_id) {
    AwsCall call = eks_call("GET", "/clusters/" + segment(cluster) + "/updates/" + segment(update_id) +
                                       "?nodegroupName=" + uri_encode(name, true));
    AwsResponse response = co_await transport_.call(std::move(call));
    json body = parse_eks_body(response);
    co_return update_from(body.value("update", json::object()), response.request_id);
}

asio::awaitable<NodeGroupChange> EksClient::create_nodegroup(std::string cluster, NodeGroupSpec spec) {
    json request{{"nodegroupName", spec.name},
                 {"scalingConfig", scaling_json(spec.scaling)},
                 {"subnets", spec.subnets},
                 {"instanceTypes", spec.instance_types},
                 {"nodeRole", spec.node_role},
                 {"capacityType", spec.capacity_type},
                 {"clientRequestToken", client_request_token()}};
    if (!spec.ami_type.empty()) request["amiType"] = spec.ami_type;
    if (!spec.labels.empty()) request["labels"] = spec.labels;
    AwsCall call = eks_call("POST", "/clusters/" + segment(cluster) + "/node-groups", request.dump());
    AwsResponse response = co_await transport_.call(std::move(call));
    json body = parse_eks_body(response);
    co_return NodeGroupChange{nodegroup_from(body.value("nodegroup", json::object())), response.request_id};
}

asio::awaitable<NodeGroupChange> EksClient::delete_nodegroup(std::string cluster, std::string name) {
    AwsCall call = eks_call("DELETE", "/clusters/" + segment(cluster) + "/node-groups/" + segment(name));
    AwsResponse response = co_await transport_.call(std::move(call));
    json body = parse_eks_body(response);
    co_return NodeGroupChange{nodegroup_from(body.value("nodegroup", json::object())), response.request_id};
}

}  // namespace hpops::integrations::aws
