#pragma once
#include <chrono>
#include <mutex>
#include <string>

#include "integrations/aws/credentials.hpp"
#include "integrations/kubernetes/kube_credentials.hpp"

namespace hpops::integrations::aws {
class CredentialsProvider;
}

namespace hpops::integrations::kubernetes {

// EKS: "k8s-aws-v1." + base64url (no padding) of a presigned STS
// GetCallerIdentity URL, signed with an x-k8s-aws-id header naming the
// cluster and X-Amz-Expires=60, as `aws eks get-token` makes it. Pure, for tests.
// sts_endpoint: https://sts.REGION.amazonaws.com or an override.
std::string eks_token(const std::string& cluster, const std::string& region, const std::string& sts_endpoint,
                      const aws::AwsCredentials& creds, std::chrono::system_clock::time_point now);

// Native EKS tokens from the AWS credential chain, so the bot needs no aws
// CLI. EKS accepts a token for 15 minutes; it is made anew after 10.
class EksTokenCredentials final : public KubeCredentials {
public:
    EksTokenCredentials(aws::CredentialsProvider& aws, std::string cluster, std::string region,
                        std::string sts_endpoint, std::shared_ptr<const TlsOptions> tls, Clock clock = {});
    boost::asio::awaitable<KubeCredential> get() override;
    void invalidate() override;

private:
    aws::CredentialsProvider& aws_;
    const std::string cluster_, region_, sts_endpoint_;
    const std::shared_ptr<const TlsOptions> tls_;
    const Clock clock_;
    std::mutex mutex_;
    std::string token_;
    std::chrono::system_clock::time_point made_at_{};
};

}  // namespace hpops::integrations::kubernetes
