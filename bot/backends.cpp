#include "bot/backends.hpp"

#include "integrations/aws/aws_transport.hpp"
#include "integrations/aws/cloudformation_client.hpp"
#include "integrations/aws/credential_chain.hpp"
#include "integrations/aws/eks_client.hpp"
#include "integrations/aws/endpoints.hpp"
#include "integrations/aws/sagemaker_client.hpp"
#include "integrations/kubernetes/kube_connector.hpp"
#include "integrations/kubernetes/kube_setup.hpp"
#include "integrations/mlflow/mlflow_client.hpp"

namespace hpops::bot {
namespace aws = integrations::aws;

struct Backends::Aws {
    Aws(const AwsConfig& config, HttpClient& http)
        : env(aws::process_environment()),
          credentials(http, aws::CredentialChainOptions{config.region, aws::resolve_endpoint("sts", config, env), env, {},
                                                        std::chrono::minutes(5)}),
          transport(http, credentials, config, env),
          eks(transport),
          sagemaker(transport),
          cloudformation(transport) {}
    aws::EnvLookup env;
    aws::CredentialChain credentials;
    aws::AwsTransport transport;
    aws::EksClient eks;
    aws::SageMakerClient sagemaker;
    aws::CloudFormationClient cloudformation;
};

namespace {

// hpops-clusters.kubeconfig beside the store, unless the config names a file.
std::string clusters_kubeconfig(const Config& config) {
    if (!config.clusters.kubeconfig.empty()) return config.clusters.kubeconfig;
    const auto slash = config.store.path.rfind('/');
    return (slash == std::string::npos ? std::string() : config.store.path.substr(0, slash + 1)) +
           "hpops-clusters.kubeconfig";
}

}  // namespace

Backends::Backends(const Config& config, HttpClient& http) {
    if (!config.aws.region.empty()) {
        aws_ = std::make_unique<Aws>(config.aws, http);
        clients_.node_groups = &aws_->eks;
        clients_.hyperpod = &aws_->sagemaker;
        clients_.cloudformation = &aws_->cloudformation;
        connector_ = std::make_unique<integrations::kubernetes::EksKubeConnector>(
            http, aws_->credentials, aws::resolve_endpoint("sts", config.aws, aws_->env), clusters_kubeconfig(config),
            config.kubernetes.timeout);
        clients_.kube_connector = connector_.get();
    }
    // SageMaker managed MLflow signs with the AWS credentials; an open-source
    // tracking server needs none.
    if (!config.mlflow.tracking_uri.empty()) {
        tracking_ = std::make_unique<integrations::mlflow::MlflowClient>(http, config.mlflow, config.aws.region,
                                                                 aws_ ? &aws_->credentials : nullptr);
        clients_.tracking = tracking_.get();
    }
    // Native EKS tokens sign with the AWS credentials; other modes need none.
    if (config.kubernetes.enabled) {
        kube_ = integrations::kubernetes::make_kube(http, config, aws::process_environment(),
                                                    aws_ ? &aws_->credentials : nullptr);
        clients_.kube = kube_.get();
    }
}

Backends::~Backends() = default;

std::vector<std::pair<std::string, bool>> Backends::configured() const {
    return {{"AWS (EKS, SageMaker, CloudFormation)", aws_ != nullptr}, {"MLflow", tracking_ != nullptr},
            {"Kubernetes", kube_ != nullptr}};
}

}  // namespace hpops::bot
