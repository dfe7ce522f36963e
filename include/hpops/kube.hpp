#pragma once
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "hpops/errors.hpp"

namespace hpops {

// The Kubernetes API, as handlers see it: objects are JSON documents (the
// manifests are the domain here), addressed by a resource kind. Implemented
// over the REST API in integrations/kubernetes/ (no kubectl).

// Where a kind lives in the API: group "" is the core group (/api/v1).
struct KubeResource {
    std::string group;
    std::string version;
    std::string plural;  // deployments
    std::string kind;    // Deployment
    bool namespaced = true;

    std::string api_version() const { return group.empty() ? version : group + "/" + version; }
};

namespace kube {
inline const KubeResource deployments{"apps", "v1", "deployments", "Deployment"};
inline const KubeResource services{"", "v1", "services", "Service"};
inline const KubeResource pods{"", "v1", "pods", "Pod"};
inline const KubeResource events{"", "v1", "events", "Event"};
inline const KubeResource nodes{"", "v1", "nodes", "Node", false};
inline const KubeResource namespaces{"", "v1", "namespaces", "Namespace", false};
inline const KubeResource jumpstart_models{"inference.sagemaker.aws.amazon.com", "v1", "jumpstartmodels",
                                           "JumpStartModel"};
inline const KubeResource inference_endpoint_configs{"inference.sagemaker.aws.amazon.com", "v1",
                                                     "inferenceendpointconfigs", "InferenceEndpointConfig"};
}  // namespace kube

struct KubeListOptions {
    std::string label_selector;  // app.kubernetes.io/managed-by=hpops
    std::string field_selector;  // spec.nodeName=x
    int page_size = 500;         // `limit`; the client follows `continue` to the end
};

struct KubeList {
    std::vector<nlohmann::json> items;
    std::string resource_version;  // of the list, to watch from
};

struct KubeWatchEvent {
    std::string type;  // ADDED, MODIFIED, DELETED, BOOKMARK
    nlohmann::json object;
};

struct KubeWatch {
    std::vector<KubeWatchEvent> events;
    std::string resource_version;  // continue from here
};

// A Status answer of the API server. code() is its `reason` (NotFound,
// AlreadyExists, Conflict, Forbidden, Unauthorized, Invalid, Expired, ...),
// upstream_message() the server's own message, which for Forbidden names the
// verb, resource and namespace that were denied.
class KubeError : public UpstreamError {
public:
    KubeError(std::string reason, std::string message, int http_status)
        : UpstreamError("kubernetes", std::move(reason), std::move(message), {}, http_status) {}
    bool not_found() const { return http_status() == 404; }
    bool forbidden() const { return http_status() == 403; }
    bool gone() const { return http_status() == 410; }  // resourceVersion too old: list again
};

class Kube {
public:
    virtual ~Kube() = default;
    // The API server's URL and the namespace of the current context, for messages and defaults.
    virtual std::string server() const = 0;
    virtual std::string default_namespace() const = 0;

    // Server-side apply (fieldManager=hpops, force: hpops owns what it applies).
    virtual boost::asio::awaitable<nlohmann::json> apply(KubeResource resource, std::string ns,
                                                         nlohmann::json object) = 0;
    // nullopt when it does not exist.
    virtual boost::asio::awaitable<std::optional<nlohmann::json>> get(KubeResource resource, std::string ns,
                                                                      std::string name) = 0;
    // Every page; ns empty: all namespaces (or a cluster-scoped kind).
    virtual boost::asio::awaitable<KubeList> list(KubeResource resource, std::string ns,
                                                  KubeListOptions options) = 0;
    // False when it was already gone. propagation: Background, Foreground or Orphan.
    virtual boost::asio::awaitable<bool> remove(KubeResource resource, std::string ns, std::string name,
                                                std::string propagation = "Background") = 0;
    // The last lines a container wrote (previous: of its last run). Needs a
    // kubelet; a KubeError when none answers.
    virtual boost::asio::awaitable<std::string> logs(std::string ns, std::string pod, std::string container,
                                                     int tail_lines, bool previous) = 0;
    // Changes after resource_version, collected for up to `window` (the server
    // ends the watch then). A KubeError with gone() means: list again.
    virtual boost::asio::awaitable<KubeWatch> watch(KubeResource resource, std::string ns, KubeListOptions options,
                                                    std::string resource_version,
                                                    std::chrono::seconds window) = 0;
};

// A cluster's API server as EKS describes it: what a client for a cluster
// hpops has just launched needs.
struct KubeEndpoint {
    std::string name;         // the context's name: the cluster's stack
    std::string server;       // https://XXXX.gr7.us-west-2.eks.amazonaws.com
    std::string ca_data;      // base64 PEM bundle, EKS's certificateAuthority.data
    std::string eks_cluster;  // bearer tokens are made natively for this EKS cluster
    std::string region;
};

// Makes Kube clients for clusters other than the configured one, and
// remembers them as kubeconfig contexts.
class KubeConnector {
public:
    virtual ~KubeConnector() = default;
    // A client for `endpoint`, with native EKS tokens from hpops's AWS credentials.
    virtual std::unique_ptr<Kube> connect(const KubeEndpoint& endpoint) = 0;
    // Writes `endpoint` as a context (cluster, user, context, all named
    // endpoint.name) into hpops's clusters kubeconfig, replacing one of that
    // name; the user runs `aws eks get-token`, as `aws eks update-kubeconfig`
    // writes it, so kubectl can use the file too. Returns the file's path.
    virtual std::string remember(const KubeEndpoint& endpoint) = 0;
};

}  // namespace hpops
