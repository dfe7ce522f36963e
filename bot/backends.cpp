#include "bot/backends.hpp"

#include "bot/aws_clients.hpp"
#include "hpops/environment.hpp"
#include "integrations/kubernetes/kube_setup.hpp"
#include "integrations/mlflow/mlflow_client.hpp"

namespace hpops::bot {

Backends::Backends(const Config& config, HttpClient& http) {
    if (!config.aws.region.empty()) {
        aws_ = std::make_unique<AwsClients>(http, config);
        const RegionalAws home = aws_->home().interfaces();
        clients_.node_groups = home.node_groups;
        clients_.hyperpod = home.hyperpod;
        clients_.cloudformation = home.cloudformation;
        clients_.kube_connector = home.kube_connector;
        clients_.aws_regions = aws_.get();
    }
    // SageMaker managed MLflow signs with the AWS credentials; an open-source
    // tracking server needs none.
    if (!config.mlflow.tracking_uri.empty()) {
        tracking_ = std::make_unique<integrations::mlflow::MlflowClient>(http, config.mlflow, config.aws.region,
                                                                 aws_ ? &aws_->credentials() : nullptr);
        clients_.tracking = tracking_.get();
    }
    // Native EKS tokens sign with the AWS credentials; other modes need none.
    if (config.kubernetes.enabled) {
        kube_ = integrations::kubernetes::make_kube(http, config, process_environment(),
                                                    aws_ ? &aws_->credentials() : nullptr);
        clients_.kube = kube_.get();
    }
}

Backends::~Backends() = default;

std::vector<std::pair<std::string, bool>> Backends::configured() const {
    return {{"AWS (EKS, SageMaker, CloudFormation)", aws_ != nullptr}, {"MLflow", tracking_ != nullptr},
            {"Kubernetes", kube_ != nullptr}};
}

}  // namespace hpops::bot
