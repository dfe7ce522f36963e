#include "handlers/cluster_setup.hpp"

#include <stdexcept>

#include "common/text.hpp"
#include "common/yaml_json.hpp"

namespace hpops::handlers {
namespace {

// The kinds deploy/cluster-setup/ uses, and where the API keeps each.
KubeResource resource_for_kind(std::string_view kind) {
    if (kind == "Namespace") return kube::namespaces;
    if (kind == "ServiceAccount") return {"", "v1", "serviceaccounts", "ServiceAccount"};
    if (kind == "PersistentVolume") return {"", "v1", "persistentvolumes", "PersistentVolume", false};
    if (kind == "PersistentVolumeClaim") return {"", "v1", "persistentvolumeclaims", "PersistentVolumeClaim"};
    throw std::logic_error("deploy/cluster-setup: hpops does not know where to apply a " + std::string(kind));
}

}  // namespace

std::vector<SetupResource> cluster_setup_resources(std::string_view region, std::string_view artifacts_bucket) {
    std::string text(cluster_setup_manifests());
    text = replace_all(std::move(text), "${REGION}", region);
    text = replace_all(std::move(text), "${ARTIFACTS_BUCKET}", artifacts_bucket);
    std::vector<SetupResource> out;
    for (auto& object : yaml_documents_as_json(text)) {
        KubeResource resource = resource_for_kind(object.value("kind", ""));
        std::string ns = resource.namespaced ? object["metadata"].value("namespace", "default") : "";
        out.push_back({std::move(resource), std::move(ns), std::move(object)});
    }
    return out;
}

}  // namespace hpops::handlers
