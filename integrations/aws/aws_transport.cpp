#include "integrations/aws/aws_transport.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>

#include "hpops/errors.hpp"
#include "integrations/aws/endpoints.hpp"
#include "integrations/aws/sigv4.hpp"
#include "integrations/aws/web_identity_source.hpp"

namespace hpops::integrations::aws {
namespace asio = boost::asio;

namespace {

// botocore's standard retry mode: these codes are throttling or transient.
const std::set<std::string, std::less<>> retryable_codes{
    "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
    "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
    "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown",
    "PriorRequestNotComplete", "EC2ThrottledException", "RequestTimeout", "RequestTimeoutException",
    "InternalError", "InternalFailure", "ServiceUnavailable"};

std::string first_of(const nlohmann::json& body, std::initializer_list<const char*> keys) {
    for (const char* key : keys)
        if (body.contains(key) && body[key].is_string()) return body[key].get<std::string>();
    return {};
}

}  // namespace

bool is_retryable_aws_error(long status, const std::string& code) {
    if (status == 500 || status == 502 || status == 503 || status == 504 || status == 429) return true;
    return retryable_codes.count(code) > 0;
}

AwsError parse_aws_error(const HttpResponse& response) {
    AwsError error;
    error.request_id = response.header("x-amzn-requestid");
    if (error.request_id.empty()) error.request_id = response.header("x-amz-request-id");
    // REST-JSON (EKS): "ResourceNotFoundException:http://internal.amazon.com/..."
    std::string type = response.header("x-amzn-errortype");
    auto json = nlohmann::json::parse(response.body, nullptr, false);
    if (!json.is_discarded() && json.is_object()) {
        if (type.empty()) type = first_of(json, {"__type", "code", "Code"});  // JSON 1.1 (SageMaker)
        error.message = first_of(json, {"message", "Message", "errorMessage"});
    } else if (auto code = xml_element_text(response.body, "Code")) {  // Query (STS, CloudFormation)
        type = *code;
        error.message = xml_element_text(response.body, "Message").value_or("");
        if (error.request_id.empty()) error.request_id = xml_element_text(response.body, "RequestId").value_or("");
    }
    type = type.substr(0, type.find(':'));
    if (auto hash = type.rfind('#'); hash != std::string::npos) type = type.substr(hash + 1);
    error.code = type.empty() ? "HTTP" + std::to_string(response.status) : type;
    if (error.message.empty()) error.message = response.body.substr(0, 200);
    return error;
}

AwsTransport::AwsTransport(HttpClient& http, CredentialsProvider& credentials, AwsConfig config, EnvLookup env)
    : http_(http), credentials_(credentials), config_(std::move(config)), env_(std::move(env)) {}

std::string AwsTransport::endpoint(std::string_view service) const { return resolve_endpoint(service, config_, env_); }

asio::awaitable<AwsResponse> AwsTransport::call(AwsCall call) {
    if (config_.region.empty())
        throw UpstreamError("aws", "NoRegion", "no AWS region: set aws.region in the config or AWS_REGION");
    const std::string url = endpoint(call.service) + call.path_and_query;
    thread_local std::mt19937_64 rng{std::random_device{}()};
    int spent = 0;  // what this call's retries took from the quota
    for (int attempt = 1;; ++attempt) {
        HttpRequest request;
        request.method = call.method;
        request.url = url;
        request.headers = call.headers;
        request.body = call.body;
        request.timeout = config_.timeout;
        AwsCredentials credentials = co_await credentials_.get();
        sign_request(request, credentials,
                     SigningParams{config_.region, call.service, std::chrono::system_clock::now()});
        // One attempt at the HTTP layer: retries here re-sign and follow AWS's rules.
        // A connection that fails or times out is retried too, as botocore does;
        // mutating calls carry client tokens, so a repeat is not a second change.
        std::optional<HttpResponse> response;
        try {
            response = co_await http_.send(std::move(request), RetryPolicy{1});
        } catch (const UpstreamError& failure) {
            // Named as the AWS service that did not answer; curl's text (with the
            // endpoint's host and port) stays in the message, for the log.
            const bool timed_out = failure.code().find("Timeout") != std::string::npos;
            if (attempt >= config_.max_attempts || !quota_.try_acquire(timed_out))
                throw UpstreamError(call.service, timed_out ? "Timeout" : "Unreachable", failure.upstream_message());
            spent += timed_out ? RetryQuota::timeout_retry_cost : RetryQuota::retry_cost;
        }
        if (response && response->status >= 200 && response->status < 300) {
            quota_.on_success(spent);
            std::string id = response->header("x-amzn-requestid");
            if (id.empty()) id = response->header("x-amz-request-id");
            co_return AwsResponse{response->status, std::move(response->body), std::move(id)};
        }
        if (response) {
            AwsError error = parse_aws_error(*response);
            if (attempt >= config_.max_attempts || !is_retryable_aws_error(response->status, error.code) ||
                !quota_.try_acquire(false))
                throw UpstreamError(call.service, error.code, error.message, error.request_id,
                                    static_cast<int>(response->status));
            spent += RetryQuota::retry_cost;
        }
        // Full jitter over an exponential ceiling (base 1 s, at most 20 s), as botocore does.
        const double ceiling = std::min(20.0, std::ldexp(1.0, attempt - 1));
        asio::steady_timer timer(co_await asio::this_coro::executor,
                                 std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::duration<double>(std::uniform_real_distribution<double>(0, ceiling)(rng))));
        co_await timer.async_wait(asio::use_awaitable);
    }
}

}  // namespace hpops::integrations::aws
