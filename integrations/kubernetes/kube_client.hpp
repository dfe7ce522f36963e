#pragma once
#include <memory>

#include "hpops/http_client.hpp"
#include "hpops/kube.hpp"
#include "integrations/kubernetes/kube_credentials.hpp"
#include "integrations/kubernetes/kubeconfig.hpp"

namespace hpops::integrations::kubernetes {

// The Kubernetes REST API over the shared HttpClient (libcurl), no kubectl.
// Every request carries the credentials' token and TLS material; a 401 drops
// cached credentials and tries once more; 429 and 5xx are retried by the
// HttpClient. Non-2xx answers become KubeError with the Status message.
class KubeClient final : public Kube {
public:
    KubeClient(HttpClient& http, KubeConnection connection, std::unique_ptr<KubeCredentials> credentials,
               std::chrono::milliseconds timeout = std::chrono::seconds(15));

    std::string server() const override { return connection_.server; }
    std::string default_namespace() const override { return connection_.namespace_name; }

    boost::asio::awaitable<nlohmann::json> apply(KubeResource resource, std::string ns,
                                                 nlohmann::json object) override;
    boost::asio::awaitable<std::optional<nlohmann::json>> get(KubeResource resource, std::string ns,
                                                              std::string name) override;
    boost::asio::awaitable<KubeList> list(KubeResource resource, std::string ns, KubeListOptions options) override;
    boost::asio::awaitable<bool> remove(KubeResource resource, std::string ns, std::string name,
                                        std::string propagation) override;
    boost::asio::awaitable<std::string> logs(std::string ns, std::string pod, std::string container, int tail_lines,
                                             bool previous) override;
    boost::asio::awaitable<KubeWatch> watch(KubeResource resource, std::string ns, KubeListOptions options,
                                            std::string resource_version, std::chrono::seconds window) override;

private:
    boost::asio::awaitable<HttpResponse> call(std::string method, std::string path_and_query, std::string body,
                                              std::string content_type, std::chrono::milliseconds timeout);

    HttpClient& http_;
    const KubeConnection connection_;
    const std::unique_ptr<KubeCredentials> credentials_;
    const std::chrono::milliseconds timeout_;
};

// Pure helpers, exposed for tests.
// /api/v1/namespaces/NS/pods/NAME, /apis/apps/v1/deployments (ns empty: every namespace).
std::string resource_path(const KubeResource& resource, const std::string& ns, const std::string& name = {});
std::string query_escape(std::string_view text);
// A non-2xx answer as a KubeError: the Status object's reason and message when
// there is one; for 403 the message (which names verb, resource and namespace)
// is kept whole.
KubeError status_error(const HttpResponse& response, const std::string& what);
// The newline-separated events of a watch response body.
KubeWatch parse_watch_events(const std::string& body, std::string resource_version);

}  // namespace hpops::integrations::kubernetes
