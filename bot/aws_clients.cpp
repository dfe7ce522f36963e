#include "bot/aws_clients.hpp"

#include "hpops/errors.hpp"
#include "integrations/aws/endpoints.hpp"

namespace hpops::bot {
namespace aws = integrations::aws;

namespace {

// hpops-clusters.kubeconfig beside the store, unless the config names a file.
std::string clusters_kubeconfig(const Config& config) {
    if (!config.clusters.kubeconfig.empty()) return config.clusters.kubeconfig;
    const auto slash = config.store.path.rfind('/');
    return (slash == std::string::npos ? std::string() : config.store.path.substr(0, slash + 1)) +
           "hpops-clusters.kubeconfig";
}

AwsConfig in(AwsConfig config, const std::string& region) {
    config.region = region;
    return config;
}

}  // namespace

RegionClients::RegionClients(HttpClient& http, aws::CredentialsProvider& credentials, const AwsConfig& config,
                             const aws::EnvLookup& env, const std::string& kubeconfig,
                             std::chrono::milliseconds kube_timeout)
    : transport(http, credentials, config, env),
      eks(transport),
      sagemaker(transport),
      cloudformation(transport),
      // EKS tokens are presigned for STS in the cluster's own region.
      connector(http, credentials, aws::resolve_endpoint("sts", config, env), kubeconfig, kube_timeout) {}

RegionalAws RegionClients::interfaces() { return {&eks, &sagemaker, &cloudformation, &connector}; }

AwsClients::AwsClients(HttpClient& http, const Config& config)
    : http_(http),
      config_(config.aws),
      env_(aws::process_environment()),
      kubeconfig_(clusters_kubeconfig(config)),
      kube_timeout_(config.kubernetes.timeout),
      credentials_(http, aws::CredentialChainOptions{config.aws.region, aws::resolve_endpoint("sts", config.aws, env_),
                                                     env_, {}, std::chrono::minutes(5)}),
      home_(std::make_unique<RegionClients>(http, credentials_, config_, env_, kubeconfig_, kube_timeout_)) {}

AwsClients::~AwsClients() = default;

RegionalAws AwsClients::in_region(const std::string& region) {
    if (region == config_.region) return home_->interfaces();
    std::lock_guard lock(mutex_);
    auto& clients = others_[region];
    if (!clients) {
        if (others_.size() > max_regions) {
            others_.erase(region);
            throw UserError("hpops already serves " + std::to_string(max_regions) + " regions; ask in one of them");
        }
        clients = std::make_unique<RegionClients>(http_, credentials_, in(config_, region), env_, kubeconfig_,
                                                  kube_timeout_);
    }
    return clients->interfaces();
}

}  // namespace hpops::bot
