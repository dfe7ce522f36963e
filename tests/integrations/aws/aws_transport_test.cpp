#include "integrations/aws/aws_transport.hpp"

#include <gtest/gtest.h>

#include "tests/support/upstream_error_of.hpp"

#include <algorithm>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <ctime>
#include <functional>
#include <mutex>
#include <thread>

#include "bot/server/http_server.hpp"
#include "hpops/errors.hpp"
#include "integrations/aws/sigv4.hpp"
#include "integrations/http/curl_client.hpp"
#include "tests/support/run_sync.hpp"
#include "tests/support/scripted_server.hpp"

namespace hpops::integrations::aws {
namespace {
namespace asio = boost::asio;
using hpops::testing::run_sync;
using namespace std::chrono_literals;

HttpResponse response_of(long status, std::vector<std::pair<std::string, std::string>> headers, std::string body) {
    return HttpResponse{status, std::move(headers), std::move(body)};
}

// --- parse_aws_error ---------------------------------------------------------

TEST(AwsTransportParseError, EksRestJsonTakesTheCodeFromTheHeader) {
    const AwsError e = parse_aws_error(response_of(
        404,
        {{"x-amzn-ErrorType", "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.eks/"},
         {"x-amzn-RequestId", "0a1b2c3d-eks"}},
        R"({"message":"No node group found for name: spot-ng.","nodegroupName":"spot-ng"})"));
    EXPECT_EQ(e.code, "ResourceNotFoundException");
    EXPECT_EQ(e.message, "No node group found for name: spot-ng.");
    EXPECT_EQ(e.request_id, "0a1b2c3d-eks");
}

TEST(AwsTransportParseError, SageMakerJson11TakesTheCodeFromType) {
    const AwsError e = parse_aws_error(response_of(
        400, {{"x-amzn-requestid", "sm-req-1"}},
        R"({"__type":"com.amazonaws.sagemaker#ValidationException","Message":"1 validation error detected"})"));
    EXPECT_EQ(e.code, "ValidationException");
    EXPECT_EQ(e.message, "1 validation error detected");
    EXPECT_EQ(e.request_id, "sm-req-1");

    // Some services send a bare __type.
    EXPECT_EQ(parse_aws_error(response_of(400, {}, R"({"__type":"ResourceNotFound","message":"gone"})")).code,
              "ResourceNotFound");
}

TEST(AwsTransportParseError, StsQueryXmlTakesCodeMessageAndRequestIdFromTheBody) {
    const AwsError e = parse_aws_error(response_of(
        403, {{"content-type", "text/xml"}},
        "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
        "  <Error>\n    <Type>Sender</Type>\n    <Code>AccessDenied</Code>\n"
        "    <Message>User: arn:aws:iam::123456789012:user/ann is not authorized &amp; never was</Message>\n"
        "  </Error>\n  <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>\n</ErrorResponse>\n"));
    EXPECT_EQ(e.code, "AccessDenied");
    EXPECT_EQ(e.message, "User: arn:aws:iam::123456789012:user/ann is not authorized & never was");
    EXPECT_EQ(e.request_id, "c6104cbe-af31-11e0-8154-cbc7ccf896c7");
}

TEST(AwsTransportParseError, AHeaderRequestIdWinsOverTheXmlOne) {
    const AwsError e = parse_aws_error(response_of(
        400, {{"x-amzn-RequestId", "from-header"}},
        "<ErrorResponse><Error><Code>ValidationError</Code><Message>bad</Message></Error>"
        "<RequestId>from-body</RequestId></ErrorResponse>"));
    EXPECT_EQ(e.code, "ValidationError");
    EXPECT_EQ(e.request_id, "from-header");
}

TEST(AwsTransportParseError, ANonJsonGatewayPageBecomesAnHttpStatusCode) {
    const std::string page = "<html><head><title>502 Bad Gateway</title></head><body>" + std::string(500, '.') +
                             "</body></html>";
    const AwsError e = parse_aws_error(response_of(502, {}, page));
    EXPECT_EQ(e.code, "HTTP502");
    EXPECT_EQ(e.message, page.substr(0, 200));
    EXPECT_EQ(e.request_id, "");

    // JSON without a code (an API gateway's own error).
    const AwsError g = parse_aws_error(response_of(503, {}, R"({"message":"Service Unavailable"})"));
    EXPECT_EQ(g.code, "HTTP503");
    EXPECT_EQ(g.message, "Service Unavailable");

    EXPECT_EQ(parse_aws_error(response_of(500, {}, "")).code, "HTTP500");
}

// --- is_retryable_aws_error --------------------------------------------------

TEST(AwsTransportRetryable, ThrottlingCodesAreRetriedWhateverTheStatus) {
    for (const char* code : {"Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded",
                             "ProvisionedThroughputExceededException", "RequestThrottledException", "SlowDown",
                             "RequestTimeout", "PriorRequestNotComplete"})
        EXPECT_TRUE(is_retryable_aws_error(400, code)) << code;
}

TEST(AwsTransportRetryable, ServerErrorsAndTooManyRequestsAreRetried) {
    for (long status : {500L, 502L, 503L, 504L})
        EXPECT_TRUE(is_retryable_aws_error(status, "HTTP" + std::to_string(status))) << status;
    EXPECT_TRUE(is_retryable_aws_error(500, "InternalFailure"));
    EXPECT_TRUE(is_retryable_aws_error(429, "HTTP429"));
}

TEST(AwsTransportRetryable, ClientErrorsAreNot) {
    EXPECT_FALSE(is_retryable_aws_error(403, "AccessDeniedException"));
    EXPECT_FALSE(is_retryable_aws_error(403, "AccessDenied"));
    EXPECT_FALSE(is_retryable_aws_error(400, "ValidationException"));
    EXPECT_FALSE(is_retryable_aws_error(404, "ResourceNotFoundException"));
    EXPECT_FALSE(is_retryable_aws_error(409, "ResourceInUseException"));
    EXPECT_FALSE(is_retryable_aws_error(403, "ExpiredTokenException"));
    EXPECT_FALSE(is_retryable_aws_error(501, "HTTP501"));
}

// --- AwsTransport::call against a loopback stand-in ----------------------------

class FixedCredentials final : public CredentialsProvider {
public:
    asio::awaitable<AwsCredentials> get() override { co_return AwsCredentials{"AKID", "stand-in-secret", "", {}}; }
};

// A loopback stand-in for an AWS endpoint: `script` answers the n-th request (1-based).
class StandIn : public hpops::testing::ScriptedServer {
public:
    explicit StandIn(std::function<bot::HttpOut(int attempt)> script, std::chrono::milliseconds delay = 0ms)
        : ScriptedServer([script = std::move(script)](const bot::HttpIn&, int n) { return script(n); }, delay) {}
};

bot::HttpOut aws_error(int status, std::string error_type, std::string message, std::string request_id) {
    bot::HttpOut out = bot::json_response(status, R"({"message":")" + message + R"("})");
    out.headers = {{"x-amzn-ErrorType", error_type + ":http://internal.amazon.com/coral/com.amazonaws.eks/"},
                   {"x-amzn-RequestId", std::move(request_id)}};
    return out;
}

AwsConfig config_for(std::uint16_t port) {
    AwsConfig config;
    config.region = "us-west-2";
    config.endpoints = {{"eks", "http://127.0.0.1:" + std::to_string(port)}};
    config.max_attempts = 3;
    config.timeout = 5s;
    return config;
}

EnvLookup no_env() {
    return [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
}

AwsCall update_config_call() {
    return AwsCall{.service = "eks",
                   .method = "POST",
                   .path_and_query = "/clusters/prod/node-groups/spot-ng/update-config",
                   .headers = {{"Content-Type", "application/json"}},
                   .body = R"({"scalingConfig":{"desiredSize":1}})"};
}

using hpops::testing::upstream_error_of;

std::chrono::system_clock::time_point parse_amz_date(const std::string& text) {
    std::tm tm{};
    EXPECT_EQ(::strptime(text.c_str(), "%Y%m%dT%H%M%SZ", &tm), text.c_str() + text.size()) << text;
    return std::chrono::system_clock::from_time_t(::timegm(&tm));
}

// What the Authorization header must be for this request as received: the
// same signed headers, method, path and body, signed at its own X-Amz-Date.
std::string expected_authorization(const bot::HttpIn& in, std::uint16_t port) {
    const std::string authorization(in.header("authorization"));
    const auto from = authorization.find("SignedHeaders=") + 14;
    const std::string signed_headers = authorization.substr(from, authorization.find(',', from) - from);
    HttpRequest request;
    request.method = in.method;
    request.url = "http://127.0.0.1:" + std::to_string(port) + in.target;
    request.body = in.body;
    for (std::size_t begin = 0; begin < signed_headers.size();) {
        const auto end = std::min(signed_headers.find(';', begin), signed_headers.size());
        const std::string name = signed_headers.substr(begin, end - begin);
        if (name != "host" && name != "x-amz-date") request.headers.emplace_back(name, std::string(in.header(name)));
        begin = end + 1;
    }
    const std::string date(in.header("x-amz-date"));
    sign_request(request, AwsCredentials{"AKID", "stand-in-secret", "", {}},
                 SigningParams{"us-west-2", "eks", parse_amz_date(date)});
    return request.headers.back().first == "Authorization" ? request.headers.back().second : std::string();
}

std::size_t count_headers(const bot::HttpIn& in, std::string_view name) {
    return in.headers.count(name);
}

TEST(AwsTransportCall, RetriesThrottlingAndSignsEveryAttemptAfresh) {
    StandIn aws([](int attempt) {
        if (attempt < 3) return aws_error(400, "ThrottlingException", "Rate exceeded", "throttled-" + std::to_string(attempt));
        bot::HttpOut ok = bot::json_response(200, R"({"update":{"id":"u-1","status":"InProgress"}})");
        ok.headers = {{"x-amzn-RequestId", "req-ok"}};
        return ok;
    });
    CurlClient curl(2);
    FixedCredentials credentials;
    AwsTransport transport(curl, credentials, config_for(aws.port()), no_env());

    const AwsResponse response = run_sync(transport.call(update_config_call()));
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, R"({"update":{"id":"u-1","status":"InProgress"}})");
    EXPECT_EQ(response.request_id, "req-ok");
    // The two retries took 10 tokens from the quota; the success gave them back.
    EXPECT_EQ(transport.retry_quota().available(), RetryQuota::capacity);

    const auto received = aws.received();
    ASSERT_EQ(received.size(), 3u);
    for (const auto& in : received) {
        EXPECT_EQ(in.method, "POST");
        EXPECT_EQ(in.target, "/clusters/prod/node-groups/spot-ng/update-config");
        EXPECT_EQ(in.body, R"({"scalingConfig":{"desiredSize":1}})");
        EXPECT_EQ(count_headers(in, "authorization"), 1u);
        EXPECT_EQ(count_headers(in, "x-amz-date"), 1u);
        const std::string date(in.header("x-amz-date"));
        ASSERT_EQ(date.size(), 16u) << date;
        const std::string authorization(in.header("authorization"));
        EXPECT_EQ(authorization.rfind("AWS4-HMAC-SHA256 Credential=AKID/" + date.substr(0, 8) +
                                          "/us-west-2/eks/aws4_request, SignedHeaders=",
                                      0),
                  0u)
            << authorization;
        EXPECT_NE(authorization.find("content-type"), std::string::npos) << authorization;
        // Signed for this attempt's date and content, not replayed from the first.
        EXPECT_EQ(authorization, expected_authorization(in, aws.port()));
    }
}

TEST(AwsTransportCall, AccessDeniedIsNotRetried) {
    StandIn aws([](int) {
        return aws_error(403, "AccessDeniedException", "User: arn:aws:iam::123456789012:user/ann is not authorized",
                         "denied-1");
    });
    CurlClient curl(2);
    FixedCredentials credentials;
    AwsTransport transport(curl, credentials, config_for(aws.port()), no_env());

    const UpstreamError e = upstream_error_of([&] { run_sync(transport.call(update_config_call())); });
    EXPECT_EQ(e.service(), "eks");
    EXPECT_EQ(e.code(), "AccessDeniedException");
    EXPECT_EQ(e.upstream_message(), "User: arn:aws:iam::123456789012:user/ann is not authorized");
    EXPECT_EQ(e.request_id(), "denied-1");
    EXPECT_EQ(e.http_status(), 403);
    EXPECT_EQ(aws.received().size(), 1u);
}

TEST(AwsTransportCall, GivesUpAfterMaxAttemptsOfServiceUnavailable) {
    StandIn aws([](int) { return bot::text_response(503, "Service Unavailable"); });
    CurlClient curl(2);
    FixedCredentials credentials;
    AwsConfig config = config_for(aws.port());
    AwsTransport transport(curl, credentials, config, no_env());

    const UpstreamError e = upstream_error_of([&] {
        run_sync(transport.call(AwsCall{.service = "eks", .path_and_query = "/clusters/prod/node-groups"}));
    });
    EXPECT_EQ(e.service(), "eks");
    EXPECT_EQ(e.code(), "HTTP503");
    EXPECT_EQ(e.upstream_message(), "Service Unavailable\n");
    EXPECT_EQ(e.http_status(), 503);
    // Exactly max_attempts: the HTTP layer must not retry underneath.
    EXPECT_EQ(aws.received().size(), static_cast<std::size_t>(config.max_attempts));
    // A call that failed keeps what its retries took: the next failures retry less.
    EXPECT_EQ(transport.retry_quota().available(), RetryQuota::capacity - 2 * RetryQuota::retry_cost);
}

TEST(AwsTransportCall, NoRegionFailsBeforeSendingAnything) {
    StandIn aws([](int) { return bot::json_response(200, "{}"); });
    CurlClient curl(1);
    FixedCredentials credentials;
    AwsConfig config = config_for(aws.port());
    config.region.clear();
    AwsTransport transport(curl, credentials, config, no_env());

    const UpstreamError e = upstream_error_of([&] { run_sync(transport.call(update_config_call())); });
    EXPECT_EQ(e.code(), "NoRegion");
    EXPECT_EQ(e.service(), "aws");
    EXPECT_TRUE(aws.received().empty());
}

// A port that was free a moment ago: connecting to it is refused.
std::uint16_t unused_port() {
    asio::io_context io;
    asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
    return acceptor.local_endpoint().port();
}

TEST(AwsTransportCall, NothingListeningIsATransportFailureNotAHang) {
    CurlClient curl(1);
    FixedCredentials credentials;
    AwsConfig config = config_for(unused_port());
    config.timeout = 2s;
    AwsTransport transport(curl, credentials, config, no_env());

    const auto started = std::chrono::steady_clock::now();
    const UpstreamError e = upstream_error_of([&] { run_sync(transport.call(update_config_call())); });
    const auto elapsed = std::chrono::steady_clock::now() - started;
    // Named as the service that did not answer; the address stays in the message, for the log.
    EXPECT_EQ(e.service(), "eks");
    EXPECT_EQ(e.code(), "Unreachable");
    EXPECT_NE(e.upstream_message().find("127.0.0.1"), std::string::npos) << e.what();
    // Even with every attempt retried and backed off, well short of a hang.
    EXPECT_LT(elapsed, config.max_attempts * config.timeout + 3s);
}

TEST(AwsTransportCall, ASilentEndpointIsCutOffByTheTimeout) {
    StandIn aws([](int) { return bot::json_response(200, "{}"); }, 10s);
    CurlClient curl(1);
    FixedCredentials credentials;
    AwsConfig config = config_for(aws.port());
    config.timeout = 300ms;
    AwsTransport transport(curl, credentials, config, no_env());

    const auto started = std::chrono::steady_clock::now();
    const UpstreamError e = upstream_error_of([&] { run_sync(transport.call(update_config_call())); });
    const auto elapsed = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(e.service(), "eks") << e.what();
    EXPECT_EQ(e.code(), "Timeout") << e.what();
    // curl's own clock may fire a hair early.
    EXPECT_GE(elapsed, 250ms);
    EXPECT_LT(elapsed, config.max_attempts * config.timeout + 3s);
    EXPECT_GE(aws.received().size(), 1u);
}

}  // namespace
}  // namespace hpops::integrations::aws
