#pragma once
// Where MLflow requests go and how they are authenticated, resolved once from
// the config; and the pure functions that shape one request, so the signed
// SageMaker request can be checked against botocore without a network.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hpops/config.hpp"
#include "hpops/http_client.hpp"
#include "integrations/aws/credentials.hpp"
#include "integrations/aws/sigv4.hpp"

namespace hpops::integrations::mlflow {

// SigV4 service name of SageMaker managed MLflow, and the header that routes a
// request to one tracking server; both as the sagemaker-mlflow plugin sends them.
inline constexpr std::string_view signing_service = "sagemaker-mlflow";
inline constexpr std::string_view tracking_server_arn_header = "x-mlflow-sm-tracking-server-arn";
inline constexpr std::string_view api_prefix = "/api/2.0/mlflow/";

// arn:PARTITION:sagemaker:REGION:ACCOUNT:mlflow-tracking-server/NAME
struct TrackingServerArn {
    std::string text;  // the whole ARN, as sent in the routing header
    std::string partition;
    std::string region;
    std::string account;
    std::string name;
};
std::optional<TrackingServerArn> parse_tracking_server_arn(std::string_view text);

struct MlflowTarget {
    enum class Mode { none, open_source, sagemaker };
    Mode mode = Mode::none;
    std::string base_url;      // what api_prefix is appended to; no trailing '/'
    std::string host;          // for messages: scheme://host[:port], never credentials
    std::string arn;           // sagemaker: the routing header's value
    std::string region;        // sagemaker: the signing region
    std::string authorization; // open source: "Bearer ..." or "Basic ..."; a secret, never logged
    std::chrono::milliseconds timeout{10'000};
    // Why no request can be made (no URI, an unusable one); empty when fine.
    std::string problem;
};

// aws_region is used only when a SageMaker ARN names none.
MlflowTarget resolve_target(const MlflowConfig& config, std::string_view aws_region);

// Where people look at runs: config.ui_url, else an http(s) tracking URI,
// without credentials or a trailing '/'; empty for a SageMaker ARN, whose UI
// needs a presigned URL.
std::string resolve_ui_url(const MlflowConfig& config);

// One REST call: `path` is under api/2.0/mlflow/ with its query already
// encoded (see query_string); `body` is JSON for POST.
struct MlflowCall {
    std::string method = "GET";
    std::string path;
    std::string body;
};

// "a=1&b=x%2Fy": every value encoded as SigV4 wants it, so the URL sent is the
// URL signed. Empty values are left out.
std::string query_string(const std::vector<std::pair<std::string_view, std::string_view>>& params);

// The request before signing: Content-Type for a body; Authorization for an
// open-source server; the routing header for SageMaker.
HttpRequest build_request(const MlflowTarget& target, const MlflowCall& call);

// SageMaker mode: signs as the sagemaker-mlflow plugin does, with botocore's
// SigV4Auth(credentials, "sagemaker-mlflow", region) and x-amz-content-sha256.
aws::SigningDetails sign_sagemaker_request(HttpRequest& request, const MlflowTarget& target,
                                           const aws::AwsCredentials& credentials,
                                           std::chrono::system_clock::time_point now);

}  // namespace hpops::integrations::mlflow
