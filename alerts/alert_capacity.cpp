#include "alerts/alert_capacity.hpp"

#include <spdlog/spdlog.h>

#include "hpops/errors.hpp"
#include "hpops/hyperpod.hpp"
#include "hpops/intent.hpp"
#include "hpops/node_groups.hpp"

namespace hpops::alerts {
namespace {

constexpr const char* nodegroup_labels[] = {"nodegroup", "eks_nodegroup", "NodegroupName",
                                            "label_eks_amazonaws_com_nodegroup"};
constexpr const char* instancegroup_labels[] = {"instance_group", "instancegroup", "InstanceGroupName",
                                                "label_sagemaker_amazonaws_com_instance_group_name"};
constexpr const char* cluster_labels[] = {"cluster", "eks_cluster", "ClusterName"};
constexpr const char* hyperpod_labels[] = {"hyperpod_cluster", "hyperpod"};
constexpr std::size_t cluster_groups_shown = 5;

template <std::size_t N>
std::string first_label(const Alert& a, const char* const (&names)[N]) {
    for (const char* name : names)
        if (auto it = a.labels.find(name); it != a.labels.end() && !it->second.empty()) return it->second;
    return {};
}

// The cluster a group belongs to: the label, else the config, else the only one.
boost::asio::awaitable<std::string> eks_cluster_of(NodeGroups& eks, std::string named, std::string configured) {
    if (!named.empty()) co_return named;
    if (!configured.empty()) co_return configured;
    auto list = eks.list_clusters();
    std::vector<std::string> clusters = co_await std::move(list);
    co_return clusters.size() == 1 ? clusters.front() : std::string();
}

}  // namespace

std::optional<CapacityTarget> capacity_target(const Alert& a) {
    if (auto group = first_label(a, instancegroup_labels); !group.empty())
        return CapacityTarget{CapacityTarget::Kind::instancegroup, group, first_label(a, hyperpod_labels)};
    const std::string cluster = first_label(a, cluster_labels);
    if (auto group = first_label(a, nodegroup_labels); !group.empty())
        return CapacityTarget{CapacityTarget::Kind::nodegroup, group, cluster};
    if (!cluster.empty()) return CapacityTarget{CapacityTarget::Kind::cluster, {}, cluster};
    return std::nullopt;
}

AlertCapacity::AlertCapacity(Clients clients, const Config& config, ActionSigner signer)
    : clients_(clients), config_(config), signer_(std::move(signer)) {
    for (const AlertActionRule& rule : config.alerts.actions)
        actions_.emplace_back(LabelMatcher(rule.match, rule.match_re), rule);
}

std::vector<Button> AlertCapacity::buttons(const Alert& alert, const std::function<std::string(int)>& command,
                                           const std::string& channel) const {
    std::vector<Button> out;
    if (!signer_) return out;
    for (const auto& [matcher, rule] : actions_) {
        if (!matcher.matches(alert)) continue;
        const std::string text = command(rule.scale);
        if (text.empty()) continue;  // outside the group's bounds: no button that can only fail
        out.push_back(Button{rule.label, "hpops.alert_action", signer_(text, channel), ButtonStyle::primary});
    }
    return out;
}

boost::asio::awaitable<AlertEnrichment> AlertCapacity::nodegroup(const Alert& alert, CapacityTarget t,
                                                                 std::string channel) {
    AlertEnrichment out;
    NodeGroups& eks = *clients_.node_groups;
    auto which = eks_cluster_of(eks, t.cluster, config_.aws.eks_cluster);
    const std::string cluster = co_await std::move(which);
    if (cluster.empty()) {
        out.note = "Node group " + t.name + ": add a `cluster` label to see its capacity (several EKS clusters).";
        co_return out;
    }
    auto describe = eks.describe_nodegroup(cluster, t.name);
    const EksNodeGroup ng = co_await std::move(describe);
    const ScalingConfig& s = ng.scaling;
    std::string types;
    for (const auto& type : ng.instance_types) types += (types.empty() ? "" : ", ") + type;
    out.fields.push_back({"Node group", ng.name + " (" + cluster + ")"});
    out.fields.push_back({"Capacity", "desired " + std::to_string(s.desired_size) + " (min " +
                                          std::to_string(s.min_size) + ", max " + std::to_string(s.max_size) + ")"});
    out.fields.push_back({"State", ng.status + (types.empty() ? "" : " · " + types) +
                                       (ng.capacity_type.empty() ? "" : " · " + ng.capacity_type)});
    out.buttons = buttons(alert, [&](int scale) -> std::string {
        const int desired = s.desired_size + scale;
        if (desired < s.min_size || desired > s.max_size) return {};
        Intent intent{"scale nodegroup", {ng.name}, {{"desired", std::to_string(desired)}, {"cluster", cluster}}};
        return intent.to_text();
    }, channel);
    co_return out;
}

boost::asio::awaitable<AlertEnrichment> AlertCapacity::instancegroup(const Alert& alert, CapacityTarget t,
                                                                     std::string channel) {
    AlertEnrichment out;
    HyperPodClusters& hp = *clients_.hyperpod;
    std::string name = t.cluster.empty() ? config_.aws.hyperpod_cluster : t.cluster;
    if (name.empty()) {
        auto list = hp.list_clusters();
        auto clusters = co_await std::move(list);
        if (clusters.size() == 1) name = clusters.front().name;
    }
    if (name.empty()) {
        out.note = "Instance group " + t.name + ": add a `hyperpod_cluster` label to see its capacity.";
        co_return out;
    }
    auto describe = hp.describe_cluster(name);
    const HyperPodCluster cluster = co_await std::move(describe);
    const HyperPodInstanceGroup* group = nullptr;
    for (const auto& g : cluster.instance_groups)
        if (g.name == t.name) group = &g;
    if (!group) {
        out.note = "HyperPod cluster " + name + " has no instance group " + t.name + ".";
        co_return out;
    }
    out.fields.push_back({"Instance group", group->name + " (" + name + ")"});
    out.fields.push_back({"Capacity", std::to_string(group->current_count) + " of " +
                                          std::to_string(group->target_count) + " " + group->instance_type});
    out.fields.push_back({"State", group->status});
    const int target = group->target_count;
    const int lo = config_.limits.min_count, hi = config_.limits.max_count;
    out.buttons = buttons(alert, [&](int scale) -> std::string {
        const int count = target + scale;
        if (count < lo || count > hi) return {};
        Intent intent{"scale instancegroup", {group->name}, {{"count", std::to_string(count)}, {"hyperpod", name}}};
        return intent.to_text();
    }, channel);
    co_return out;
}

boost::asio::awaitable<AlertEnrichment> AlertCapacity::cluster(CapacityTarget t) {
    AlertEnrichment out;
    NodeGroups& eks = *clients_.node_groups;
    auto list = eks.list_nodegroups(t.cluster);
    const std::vector<std::string> names = co_await std::move(list);
    std::string lines;
    for (std::size_t i = 0; i < names.size() && i < cluster_groups_shown; ++i) {
        auto describe = eks.describe_nodegroup(t.cluster, names[i]);
        const EksNodeGroup ng = co_await std::move(describe);
        lines += (lines.empty() ? "" : "\n") + ng.name + ": desired " + std::to_string(ng.scaling.desired_size) +
                 " (min " + std::to_string(ng.scaling.min_size) + ", max " + std::to_string(ng.scaling.max_size) + ")";
    }
    if (names.size() > cluster_groups_shown)
        lines += "\n…and " + std::to_string(names.size() - cluster_groups_shown) + " more";
    out.fields.push_back({"Cluster " + t.cluster, lines.empty() ? "no node groups" : lines});
    co_return out;
}

boost::asio::awaitable<AlertEnrichment> AlertCapacity::enrich(Alert alert, std::string channel) {
    AlertEnrichment out;
    const auto target = capacity_target(alert);
    if (!target) co_return out;
    const bool eks = target->kind != CapacityTarget::Kind::instancegroup;
    if ((eks && !clients_.node_groups) || (!eks && !clients_.hyperpod)) co_return out;  // AWS not configured
    try {
        if (target->kind == CapacityTarget::Kind::nodegroup) {
            auto work = nodegroup(alert, *target, channel);
            out = co_await std::move(work);
        } else if (target->kind == CapacityTarget::Kind::instancegroup) {
            auto work = instancegroup(alert, *target, channel);
            out = co_await std::move(work);
        } else {
            auto work = cluster(*target);
            out = co_await std::move(work);
        }
    } catch (const std::exception& e) {
        // The alert matters more than its decoration: post it with a note.
        spdlog::warn("alerts: capacity of {} for alert {}: {}", target->name.empty() ? target->cluster : target->name,
                     alert.fingerprint, e.what());
        out = AlertEnrichment{};
        out.note = "Capacity unavailable: " + std::string(e.what()).substr(0, 300);
    }
    co_return out;
}

}  // namespace hpops::alerts
