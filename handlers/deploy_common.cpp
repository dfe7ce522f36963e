#include "handlers/deploy_common.hpp"

#include "common/timestamps.hpp"
#include "hpops/errors.hpp"

namespace hpops::handlers {

Kube& require_kube(const Clients& clients) {
    if (!clients.kube)
        throw UserError("Kubernetes is not configured: add a `kubernetes:` section (kubeconfig, context or "
                        "in_cluster) to the hpops config.");
    return *clients.kube;
}

nlohmann::json resource_json(const KubeResource& r) {
    return {{"group", r.group}, {"version", r.version}, {"plural", r.plural}, {"kind", r.kind}};
}

KubeResource resource_of(const nlohmann::json& saved) {
    return {saved.value("group", ""), saved.value("version", ""), saved.value("plural", ""), saved.value("kind", "")};
}

std::string target_namespace(const CommandContext& context, const Intent& intent) {
    if (auto it = intent.options.find("namespace"); it != intent.options.end() && !it->second.empty()) return it->second;
    if (!context.config.kubernetes.namespace_name.empty()) return context.config.kubernetes.namespace_name;
    return context.clients.kube ? context.clients.kube->default_namespace() : "default";
}

std::string label_of(const nlohmann::json& object, const std::string& key) {
    const auto& meta = object.value("metadata", nlohmann::json::object());
    const auto labels = meta.value("labels", nlohmann::json::object());
    return labels.value(key, "");
}

bool managed_by_hpops(const nlohmann::json& object) { return label_of(object, managed_by_label) == "hpops"; }

std::string age_of(const nlohmann::json& object, std::chrono::system_clock::time_point now) {
    const std::string created = object["metadata"].value("creationTimestamp", "");
    const auto at = parse_aws_timestamp(created);
    if (!at) return "?";
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now - *at).count();
    if (seconds < 120) return std::to_string(std::max<long long>(seconds, 0)) + "s";
    if (seconds < 2 * 3600) return std::to_string(seconds / 60) + "m";
    if (seconds < 2 * 86400) return std::to_string(seconds / 3600) + "h";
    return std::to_string(seconds / 86400) + "d";
}

int gpus_of(const nlohmann::json& pod_spec) {
    int total = 0;
    for (const auto& c : pod_spec.value("containers", nlohmann::json::array())) {
        const auto resources = c.value("resources", nlohmann::json::object());
        for (const char* kind : {"limits", "requests"}) {
            const auto values = resources.value(kind, nlohmann::json::object());
            if (!values.contains("nvidia.com/gpu")) continue;
            const auto& v = values["nvidia.com/gpu"];
            total += v.is_number() ? v.get<int>() : std::atoi(v.get<std::string>().c_str());
            break;  // limits and requests are equal for GPUs; count once
        }
    }
    return total;
}

}  // namespace hpops::handlers
