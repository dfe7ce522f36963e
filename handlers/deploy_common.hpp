#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "hpops/handler.hpp"
#include "hpops/kube.hpp"

namespace hpops::handlers {

// Labels every object hpops deploys carries: how `models` finds them and how
// deploy and undeploy tell them from objects someone else manages.
inline constexpr const char* managed_by_label = "app.kubernetes.io/managed-by";
inline constexpr const char* instance_label = "app.kubernetes.io/instance";  // the deployment name
inline constexpr const char* model_label = "hpops.dev/model";                // model id made label-safe
inline constexpr const char* engine_label = "hpops.dev/engine";
inline constexpr const char* model_annotation = "hpops.dev/model";           // the exact model id
inline constexpr const char* managed_selector = "app.kubernetes.io/managed-by=hpops";

// The Kubernetes client, or a UserError saying how to configure one.
Kube& require_kube(const Clients& clients);
inline Kube& require_kube(CommandContext& context) { return require_kube(context.clients); }
// A kind as a job's state keeps it: {group, version, plural, kind}.
nlohmann::json resource_json(const KubeResource& resource);
KubeResource resource_of(const nlohmann::json& saved);
// namespace= option, else the config's, else the kubeconfig context's.
std::string target_namespace(const CommandContext& context, const Intent& intent);
bool managed_by_hpops(const nlohmann::json& object);
std::string label_of(const nlohmann::json& object, const std::string& key);
// "3h", "2d": the age of an object from metadata.creationTimestamp.
std::string age_of(const nlohmann::json& object, std::chrono::system_clock::time_point now);
// nvidia.com/gpu requested by a pod template or pod spec, summed over containers.
int gpus_of(const nlohmann::json& pod_spec);

}  // namespace hpops::handlers
