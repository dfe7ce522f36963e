#pragma once
// Kinds an operator adds to Kubernetes (Kueue, Karpenter, HyperPod's
// inference operator): the API server serves them only where the operator's
// CRDs are installed, and answers 404 for the whole kind elsewhere.
#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "handlers/kube_fields.hpp"
#include "hpops/config.hpp"
#include "hpops/kube.hpp"

namespace hpops::handlers {

// The objects of `resource` in `ns` (empty: all, or a cluster-scoped kind), or
// nullopt when the API server does not serve the kind.
boost::asio::awaitable<std::optional<std::vector<nlohmann::json>>> list_if_served(Kube& kube, KubeResource resource,
                                                                                 std::string ns);

// The same, but a kind that is not served is a UserError naming the operator
// that is missing: "Kueue is not installed on cluster `prod` (no
// kueue.x-k8s.io/v1beta1 API).", never the API server's bare 404.
boost::asio::awaitable<std::vector<nlohmann::json>> list_operator_kind(Kube& kube, KubeResource resource,
                                                                       std::string operator_name, std::string cluster);

// How messages name the configured cluster: kubernetes.eks_cluster, else the
// kubeconfig context (the cluster's name from an EKS ARN), else the API
// server's URL.
std::string kube_cluster_name(const KubernetesConfig& config, const Kube& kube);

}  // namespace hpops::handlers
