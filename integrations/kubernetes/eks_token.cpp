#include "integrations/kubernetes/eks_token.hpp"

#include "common/crypto.hpp"
#include "integrations/aws/credential_chain.hpp"
#include "integrations/aws/sigv4.hpp"

namespace hpops::integrations::kubernetes {

std::string eks_token(const std::string& cluster, const std::string& region, const std::string& sts_endpoint,
                      const aws::AwsCredentials& creds, std::chrono::system_clock::time_point now) {
    std::string base = sts_endpoint.empty() ? aws::default_sts_endpoint(region) : sts_endpoint;
    while (!base.empty() && base.back() == '/') base.pop_back();
    aws::SigningParams params;
    params.region = region;
    params.service = "sts";
    params.now = now;
    const std::string url = aws::presign_url("GET", base + "/?Action=GetCallerIdentity&Version=2011-06-15",
                                             {{"x-k8s-aws-id", cluster}}, creds, params, std::chrono::seconds(60));
    return "k8s-aws-v1." + hpops::base64url_encode(url);
}

EksTokenCredentials::EksTokenCredentials(aws::CredentialsProvider& aws, std::string cluster, std::string region,
                                         std::string sts_endpoint, std::shared_ptr<const TlsOptions> tls, Clock clock)
    : aws_(aws), cluster_(std::move(cluster)), region_(std::move(region)), sts_endpoint_(std::move(sts_endpoint)),
      tls_(std::move(tls)),
      clock_(clock ? std::move(clock) : Clock([] { return std::chrono::system_clock::now(); })) {}

boost::asio::awaitable<KubeCredential> EksTokenCredentials::get() {
    {
        std::lock_guard lock(mutex_);
        if (!token_.empty() && clock_() - made_at_ < std::chrono::minutes(10)) co_return KubeCredential{token_, tls_};
    }
    const aws::AwsCredentials creds = co_await aws_.get();
    const auto now = clock_();
    std::string token = eks_token(cluster_, region_, sts_endpoint_, creds, now);
    std::lock_guard lock(mutex_);
    token_ = token;
    made_at_ = now;
    co_return KubeCredential{std::move(token), tls_};
}

void EksTokenCredentials::invalidate() {
    std::lock_guard lock(mutex_);
    token_.clear();
}

}  // namespace hpops::integrations::kubernetes
