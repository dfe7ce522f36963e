#pragma once
#include <boost/asio/awaitable.hpp>
#include <string>
#include <utility>
#include <vector>

#include "hpops/config.hpp"
#include "hpops/http_client.hpp"
#include "integrations/aws/credential_chain.hpp"
#include "integrations/aws/retry_quota.hpp"

namespace hpops::integrations::aws {

struct AwsCall {
    std::string service;  // signing name and endpoint key: "eks", "sagemaker", "sts", "cloudformation"
    std::string method = "GET";
    std::string path_and_query = "/";  // already encoded
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

struct AwsResponse {
    long status = 0;
    std::string body;
    std::string request_id;
};

// Signs and sends AWS API calls. Retries as the SDKs' "standard" mode does:
// throttling and transient errors, up to max_attempts, with exponential
// backoff and full jitter, signing each attempt afresh, while the retry quota
// (shared by every call through this transport) can pay. Other errors become
// UpstreamError{service, code, message, request_id}.
class AwsTransport {
public:
    AwsTransport(HttpClient& http, CredentialsProvider& credentials, AwsConfig config, EnvLookup env);

    boost::asio::awaitable<AwsResponse> call(AwsCall call);
    const std::string& region() const { return config_.region; }
    std::string endpoint(std::string_view service) const;
    const RetryQuota& retry_quota() const { return quota_; }

private:
    HttpClient& http_;
    CredentialsProvider& credentials_;
    const AwsConfig config_;
    const EnvLookup env_;
    RetryQuota quota_;
};

// The error an AWS response carries, from whichever protocol it speaks
// (REST-JSON headers, JSON 1.1 "__type", Query XML). Exposed for tests.
struct AwsError {
    std::string code;
    std::string message;
    std::string request_id;
};
AwsError parse_aws_error(const HttpResponse& response);
bool is_retryable_aws_error(long status, const std::string& code);

}  // namespace hpops::integrations::aws
