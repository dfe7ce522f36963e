#pragma once
#include <chrono>
#include <string>

#include "hpops/http_client.hpp"
#include "hpops/kube.hpp"

namespace hpops::integrations::aws {
class CredentialsProvider;
}

namespace hpops::integrations::kubernetes {

// Clients for the clusters hpops launches: the API server and CA that EKS's
// DescribeCluster gave, native EKS bearer tokens from hpops's own AWS
// credentials (no aws CLI), and a kubeconfig file where each is remembered.
class EksKubeConnector final : public KubeConnector {
public:
    EksKubeConnector(HttpClient& http, aws::CredentialsProvider& aws, std::string sts_endpoint,
                     std::string kubeconfig_path, std::chrono::milliseconds timeout);
    std::unique_ptr<Kube> connect(const KubeEndpoint& endpoint) override;
    std::string remember(const KubeEndpoint& endpoint) override;

private:
    HttpClient& http_;
    aws::CredentialsProvider& aws_;
    const std::string sts_endpoint_, kubeconfig_path_;
    const std::chrono::milliseconds timeout_;
};

// The kubeconfig text with `endpoint` as cluster, user and context (all of
// its name), replacing entries of that name in `existing` (a kubeconfig's
// text, or empty) and keeping the rest.
std::string kubeconfig_with(const std::string& existing, const KubeEndpoint& endpoint);

}  // namespace hpops::integrations::kubernetes
