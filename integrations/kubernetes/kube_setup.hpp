#pragma once
#include <memory>

#include "hpops/config.hpp"
#include "hpops/environment.hpp"
#include "hpops/http_client.hpp"
#include "hpops/kube.hpp"

namespace hpops::integrations::aws {
class CredentialsProvider;
}

namespace hpops::integrations::kubernetes {

// The Kube client the `kubernetes:` section asks for: in-cluster or a
// kubeconfig (context, namespace), and credentials from it (token, tokenFile,
// client certificate, exec plugin) or native EKS tokens when eks_cluster is
// set (which needs `aws`). Throws KubeconfigError at start-up when unusable.
std::unique_ptr<Kube> make_kube(HttpClient& http, const Config& config, const EnvLookup& env,
                                aws::CredentialsProvider* aws);

}  // namespace hpops::integrations::kubernetes
