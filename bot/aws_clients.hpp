#pragma once
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "hpops/aws_regions.hpp"
#include "hpops/config.hpp"
#include "hpops/http_client.hpp"
#include "integrations/aws/aws_transport.hpp"
#include "integrations/aws/cloudformation_client.hpp"
#include "integrations/aws/credential_chain.hpp"
#include "integrations/aws/eks_client.hpp"
#include "integrations/aws/sagemaker_client.hpp"
#include "integrations/kubernetes/kube_connector.hpp"

namespace hpops::bot {

// One region's AWS clients over credentials they share with every region.
struct RegionClients {
    // `config` is aws: with its region set to the one these serve.
    RegionClients(HttpClient& http, integrations::aws::CredentialsProvider& credentials, const AwsConfig& config,
                  const integrations::aws::EnvLookup& env, const std::string& kubeconfig,
                  std::chrono::milliseconds kube_timeout);
    RegionalAws interfaces();

    integrations::aws::AwsTransport transport;
    integrations::aws::EksClient eks;
    integrations::aws::SageMakerClient sagemaker;
    integrations::aws::CloudFormationClient cloudformation;
    integrations::kubernetes::EksKubeConnector connector;
};

// The configured region's clients, and any other region's made when first
// asked for (region= on a cluster command, or a job launched with it).
class AwsClients final : public AwsRegions {
public:
    AwsClients(HttpClient& http, const Config& config);
    ~AwsClients() override;

    RegionClients& home() { return *home_; }
    integrations::aws::CredentialChain& credentials() { return credentials_; }
    RegionalAws in_region(const std::string& region) override;

    // A bound on regions served, well above AWS's count: each costs a few
    // clients, made from what users type.
    static constexpr std::size_t max_regions = 64;

private:
    HttpClient& http_;
    const AwsConfig config_;
    const integrations::aws::EnvLookup env_;
    const std::string kubeconfig_;
    const std::chrono::milliseconds kube_timeout_;
    integrations::aws::CredentialChain credentials_;
    std::unique_ptr<RegionClients> home_;
    std::mutex mutex_;  // jobs and commands may ask from several threads
    std::map<std::string, std::unique_ptr<RegionClients>> others_;
};

}  // namespace hpops::bot
