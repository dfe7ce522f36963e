#include "integrations/kubernetes/kube_setup.hpp"

#include <spdlog/spdlog.h>

#include "integrations/aws/endpoints.hpp"
#include "integrations/kubernetes/eks_token.hpp"
#include "integrations/kubernetes/kube_client.hpp"

namespace hpops::integrations::kubernetes {

std::unique_ptr<Kube> make_kube(HttpClient& http, const Config& config, const EnvLookup& env,
                                aws::CredentialsProvider* aws) {
    const KubernetesConfig& k = config.kubernetes;
    KubeConnection connection = k.in_cluster ? in_cluster_connection(env)
                                             : load_kubeconfig(kubeconfig_paths(env, k.kubeconfig), k.context);
    if (!k.namespace_name.empty()) connection.namespace_name = k.namespace_name;
    if (connection.tls && connection.tls->insecure_skip_verify)
        spdlog::warn("kubernetes: the kubeconfig sets insecure-skip-tls-verify for {}: its certificate is not "
                     "checked, so anyone on the path can read hpops's credentials and answer as the API server",
                     connection.server);

    std::unique_ptr<KubeCredentials> credentials;
    if (!k.eks_cluster.empty()) {
        const std::string region = k.eks_region.empty() ? config.aws.region : k.eks_region;
        if (!aws || region.empty())
            throw KubeconfigError("kubernetes.eks_cluster needs AWS credentials and a region (aws.region or eks_region)");
        credentials = std::make_unique<EksTokenCredentials>(*aws, k.eks_cluster, region,
                                                            aws::resolve_endpoint("sts", config.aws, env),
                                                            connection.tls);
    } else if (connection.exec) {
        credentials = std::make_unique<ExecCredentials>(*connection.exec, connection.tls);
    } else if (!connection.token_file.empty()) {
        credentials = std::make_unique<TokenFileCredentials>(connection.token_file, connection.tls);
    } else {
        credentials = std::make_unique<StaticCredentials>(KubeCredential{connection.token, connection.tls});
    }
    return std::make_unique<KubeClient>(http, std::move(connection), std::move(credentials), k.timeout);
}

}  // namespace hpops::integrations::kubernetes
