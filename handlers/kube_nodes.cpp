#include "handlers/kube_nodes.hpp"

#include "handlers/deploy_common.hpp"
#include "hpops/kube.hpp"

namespace hpops::handlers {
namespace {

using nlohmann::json;

std::string quantity(const json& values, const char* key) {
    if (!values.contains(key)) return "0";
    return values[key].is_string() ? values[key].get<std::string>() : values[key].dump();
}

}  // namespace

bool node_ready(const json& node) {
    for (const auto& c : node.value("status", json::object()).value("conditions", json::array()))
        if (c.value("type", "") == "Ready") return c.value("status", "") == "True";
    return false;
}

std::map<std::string, int> gpus_in_use(const std::vector<json>& pods) {
    std::map<std::string, int> out;
    for (const auto& pod : pods) {
        const std::string node = pod["spec"].value("nodeName", "");
        const std::string phase = pod.value("status", json::object()).value("phase", "");
        if (node.empty() || phase == "Succeeded" || phase == "Failed") continue;
        out[node] += gpus_of(pod["spec"]);
    }
    return out;
}

std::vector<std::string> node_row(const json& node, int in_use) {
    const json status = node.value("status", json::object());
    const json labels = node["metadata"].value("labels", json::object());
    std::string type = labels.value("node.kubernetes.io/instance-type", labels.value("beta.kubernetes.io/instance-type", "?"));
    const bool unschedulable = node.value("spec", json::object()).value("unschedulable", false);
    std::string state = node_ready(node) ? "Ready" : "NotReady";
    if (unschedulable) state += ", cordoned";
    return {node["metadata"].value("name", ""), type, state,
            quantity(status.value("capacity", json::object()), "nvidia.com/gpu"),
            quantity(status.value("allocatable", json::object()), "nvidia.com/gpu"), std::to_string(in_use)};
}

boost::asio::awaitable<Reply> KubeNodes::handle(const Intent& intent, CommandContext& context) {
    Kube& kube = require_kube(context);
    const std::string wanted = option_or_empty(intent.options, "status");
    if (!wanted.empty() && wanted != "ready" && wanted != "notready")
        throw UserError("`status=" + wanted + "` is not one of ready, notready.");
    auto listing = kube.list(kube::nodes, "", {});
    KubeList nodes = co_await std::move(listing);
    // Pods of every namespace that sit on a node: what holds the GPUs.
    KubeListOptions placed;
    placed.field_selector = "spec.nodeName!=";
    auto pod_listing = kube.list(kube::pods, "", placed);
    KubeList pods = co_await std::move(pod_listing);
    const auto in_use = gpus_in_use(pods.items);

    Table table{{"Node", "Instance type", "Status", "GPUs", "Allocatable", "In use"}, {}};
    int total = 0, free_gpus = 0;
    for (const auto& node : nodes.items) {
        if (!wanted.empty() && node_ready(node) != (wanted == "ready")) continue;
        const auto it = in_use.find(node["metadata"].value("name", ""));
        const int used = it == in_use.end() ? 0 : it->second;
        auto row = node_row(node, used);
        const int allocatable = std::atoi(row[4].c_str());
        total += allocatable;
        free_gpus += std::max(allocatable - used, 0);
        table.rows.push_back(std::move(row));
    }
    Reply reply;
    reply.summary = std::to_string(table.rows.size()) + " nodes, " + std::to_string(free_gpus) + " of " +
                    std::to_string(total) + " GPUs free";
    reply.heading("Kubernetes nodes");
    if (table.rows.empty()) reply.text(wanted.empty() ? "The cluster has no nodes." : "No node is " + wanted + ".");
    else reply.table(std::move(table));
    reply.context(reply.summary + " · " + kube.server());
    co_return reply;
}

}  // namespace hpops::handlers
