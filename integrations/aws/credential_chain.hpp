#pragma once
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "hpops/http_client.hpp"
#include "integrations/aws/credential_sources.hpp"
#include "integrations/aws/credentials.hpp"

namespace hpops::integrations::aws {

class CredentialsProvider {
public:
    virtual ~CredentialsProvider() = default;
    virtual boost::asio::awaitable<AwsCredentials> get() = 0;
};

using WallClock = std::function<std::chrono::system_clock::time_point()>;

struct CredentialChainOptions {
    std::string region;
    // Empty: https://sts.{region}.amazonaws.com. The caller resolves
    // AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL / the config file's override.
    std::string sts_endpoint;
    EnvLookup env;                                // empty: the process environment
    WallClock clock;                              // empty: system_clock::now; tests move time on
    std::chrono::seconds refresh_before{5 * 60};  // how long before `expiration` to fetch anew
};

// The SDKs' default chain: environment, shared files, web identity (IRSA),
// container (ECS, EKS Pod Identity), IMDSv2. The source that answered is
// asked first next time; credentials are cached and fetched anew
// `refresh_before` their expiry, one fetch at a time: concurrent callers
// wait for it, or keep using credentials that have not expired yet.
// Long-term keys never expire and are never fetched again.
class CredentialChain final : public CredentialsProvider {
public:
    CredentialChain(HttpClient& http, CredentialChainOptions options);
    // Any sources, in order: for tests, or a deployment that pins one source.
    explicit CredentialChain(std::vector<std::unique_ptr<CredentialSource>> sources, WallClock clock = {},
                             std::chrono::seconds refresh_before = std::chrono::minutes(5));
    ~CredentialChain() override;

    // Throws UpstreamError("aws", "NoCredentials") naming every source tried
    // when none has credentials, or the error of a source that is set up but failing.
    boost::asio::awaitable<AwsCredentials> get() override;

    // describe() of the source that answered last ("web identity"), for
    // status output and logs; empty before the first answer.
    std::string source() const;

    struct Refresh;  // one fetch in flight and the callers waiting for it

private:
    boost::asio::awaitable<AwsCredentials> refresh(Refresh& mine);
    boost::asio::awaitable<AwsCredentials> resolve();
    boost::asio::awaitable<void> wait_for(Refresh& refresh);

    const std::vector<std::unique_ptr<CredentialSource>> sources_;
    const WallClock clock_;
    const std::chrono::seconds refresh_before_;

    mutable std::mutex mutex_;  // guards everything below; never held across co_await
    std::optional<AwsCredentials> cached_;
    std::chrono::system_clock::time_point refresh_at_{};
    std::size_t answered_ = 0;  // index of the source that answered; sources_.size() before
    std::shared_ptr<Refresh> in_flight_;
};

// https://sts.{region}.amazonaws.com (.com.cn in China); the global endpoint
// when no region is known.
std::string default_sts_endpoint(std::string_view region);

}  // namespace hpops::integrations::aws
