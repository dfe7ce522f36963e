#include "handlers/hyperpod_nodes.hpp"

#include <map>

#include "handlers/kube_nodes.hpp"
#include "hpops/errors.hpp"

namespace hpops::handlers {

using nlohmann::json;

namespace {
constexpr std::string_view node_prefix = "hyperpod-";
}  // namespace

std::string kube_node_name(const std::string& instance_id) { return std::string(node_prefix) + instance_id; }

bool NodeHealth::schedulable(bool kube_read) const {
    if (instance.status != "Running") return false;
    if (!kube_read) return true;
    return in_kube && ready && !cordoned && (health.empty() || health == "Schedulable");
}

std::vector<NodeHealth> join_nodes(const std::vector<HyperPodNode>& instances, const std::vector<json>& kube_nodes) {
    std::map<std::string, const json*> by_name;
    for (const auto& node : kube_nodes) by_name[node["metadata"].value("name", "")] = &node;
    std::vector<NodeHealth> out;
    for (const auto& instance : instances) {
        NodeHealth h{instance};
        const auto it = by_name.find(kube_node_name(instance.instance_id));
        if (it != by_name.end()) {
            const json& node = *it->second;
            const json labels = node["metadata"].value("labels", json::object());
            h.in_kube = true;
            h.ready = node_ready(node);
            h.cordoned = node.value("spec", json::object()).value("unschedulable", false);
            h.health = labels.value(hyperpod_labels::health, "");
            h.deep_health = labels.value(hyperpod_labels::deep_health, "");
        }
        out.push_back(std::move(h));
    }
    return out;
}

const HyperPodNode& find_node(const std::vector<HyperPodNode>& nodes, const std::string& wanted,
                              const std::string& hyperpod) {
    const std::string id = wanted.starts_with(node_prefix) ? wanted.substr(node_prefix.size()) : wanted;
    for (const auto& node : nodes)
        if (node.instance_id == id) return node;
    std::string names;
    for (const auto& node : nodes)
        names += (names.empty() ? "`" : ", `") + kube_node_name(node.instance_id) + "` (" + node.instance_group + ")";
    throw UserError("HyperPod cluster `" + hyperpod + "` has no node `" + wanted + "`. " +
                    (names.empty() ? "It has no nodes." : "It has: " + names + "."));
}

}  // namespace hpops::handlers
