#include "integrations/mlflow/mlflow_target.hpp"

#include <stdexcept>

#include "common/crypto.hpp"
#include "integrations/aws/sigv4_canonical.hpp"

namespace hpops::integrations::mlflow {

namespace {

bool is_http_url(std::string_view text) { return text.starts_with("https://") || text.starts_with("http://"); }

std::string without_trailing_slashes(std::string text) {
    while (text.size() > 1 && text.back() == '/') text.pop_back();
    return text;
}

// scheme://host[:port] of a URL, leaving out user:password@ so it can go
// into chat and logs.
std::string public_origin(std::string_view url) {
    try {
        const auto parts = aws::split_url(url);
        std::string_view authority = parts.authority;
        if (auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
        return std::string(parts.scheme) + "://" + std::string(authority);
    } catch (const std::invalid_argument&) {
        return std::string(url);
    }
}

// The URL without user:password@, for links shown to people.
std::string without_userinfo(const std::string& url) {
    const auto start = url.find("://");
    if (start == std::string::npos) return url;
    const auto authority_end = url.find_first_of("/?#", start + 3);
    const auto at = url.rfind('@', authority_end == std::string::npos ? url.size() : authority_end);
    if (at == std::string::npos || at < start) return url;
    return url.substr(0, start + 3) + url.substr(at + 1);
}

// Only the partitions whose MLflow endpoint the sagemaker-mlflow plugin knows.
std::optional<std::string> default_sagemaker_endpoint(const TrackingServerArn& arn, const std::string& region) {
    if (arn.partition != "aws" && arn.partition != "aws-us-gov") return std::nullopt;
    return "https://" + region + ".experiments.sagemaker.aws";
}

}  // namespace

std::optional<TrackingServerArn> parse_tracking_server_arn(std::string_view text) {
    std::vector<std::string_view> parts;
    for (std::size_t begin = 0;;) {
        const auto colon = text.find(':', begin);
        // The sixth part is the resource and runs to the end.
        if (colon == std::string_view::npos || parts.size() == 5) {
            parts.push_back(text.substr(begin));
            break;
        }
        parts.push_back(text.substr(begin, colon - begin));
        begin = colon + 1;
    }
    constexpr std::string_view type = "mlflow-tracking-server/";
    if (parts.size() != 6 || parts[0] != "arn" || parts[2] != "sagemaker" || parts[1].empty() || parts[4].empty() ||
        !parts[5].starts_with(type))
        return std::nullopt;
    const std::string_view name = parts[5].substr(type.size());
    if (name.empty() || name.find('/') != std::string_view::npos) return std::nullopt;
    return TrackingServerArn{std::string(text), std::string(parts[1]), std::string(parts[3]), std::string(parts[4]),
                             std::string(name)};
}

MlflowTarget resolve_target(const MlflowConfig& config, std::string_view aws_region) {
    MlflowTarget target;
    target.timeout = config.timeout;
    const std::string& uri = config.tracking_uri;
    if (uri.empty()) {
        target.problem = "no MLflow tracking server: set mlflow.tracking_uri in the config, or MLFLOW_TRACKING_URI";
        return target;
    }
    if (is_http_url(uri)) {
        target.mode = MlflowTarget::Mode::open_source;
        target.base_url = without_trailing_slashes(uri);
        target.host = public_origin(uri);
        // Bearer wins over basic, as in MLflow's own clients.
        if (!config.token.empty())
            target.authorization = "Bearer " + config.token;
        else if (!config.username.empty() || !config.password.empty())
            target.authorization = "Basic " + hpops::base64_encode(config.username + ":" + config.password);
        return target;
    }
    const auto arn = parse_tracking_server_arn(uri);
    if (!arn) {
        target.problem = "mlflow.tracking_uri `" + uri +
                         "` is neither an http(s) URL nor a SageMaker MLflow tracking-server ARN";
        return target;
    }
    target.mode = MlflowTarget::Mode::sagemaker;
    target.arn = arn->text;
    target.region = arn->region.empty() ? std::string(aws_region) : arn->region;
    if (target.region.empty()) {
        target.problem = "the SageMaker MLflow ARN names no region, and no AWS region is configured";
        return target;
    }
    if (!config.sagemaker_endpoint.empty()) {
        target.base_url = without_trailing_slashes(config.sagemaker_endpoint);
    } else if (auto endpoint = default_sagemaker_endpoint(*arn, target.region)) {
        target.base_url = std::move(*endpoint);
    } else {
        target.problem = "SageMaker MLflow in partition `" + arn->partition +
                         "` has no known endpoint: set mlflow.sagemaker_endpoint";
        return target;
    }
    target.host = public_origin(target.base_url);
    return target;
}

std::string resolve_ui_url(const MlflowConfig& config) {
    if (!config.ui_url.empty()) return without_trailing_slashes(without_userinfo(config.ui_url));
    if (is_http_url(config.tracking_uri)) return without_trailing_slashes(without_userinfo(config.tracking_uri));
    return {};
}

std::string query_string(const std::vector<std::pair<std::string_view, std::string_view>>& params) {
    std::string out;
    for (const auto& [name, value] : params) {
        if (value.empty()) continue;
        if (!out.empty()) out += '&';
        out.append(aws::uri_encode(name, true)).append("=").append(aws::uri_encode(value, true));
    }
    return out;
}

HttpRequest build_request(const MlflowTarget& target, const MlflowCall& call) {
    HttpRequest request;
    request.method = call.method;
    request.url = target.base_url + std::string(api_prefix) + call.path;
    request.body = call.body;
    request.timeout = target.timeout;
    // Without it libcurl labels a POST body as a form, which MLflow rejects.
    if (call.method != "GET" && call.method != "HEAD") request.headers.emplace_back("Content-Type", "application/json");
    if (target.mode == MlflowTarget::Mode::sagemaker)
        request.headers.emplace_back(std::string(tracking_server_arn_header), target.arn);
    else if (!target.authorization.empty())
        request.headers.emplace_back("Authorization", target.authorization);
    return request;
}

aws::SigningDetails sign_sagemaker_request(HttpRequest& request, const MlflowTarget& target,
                                           const aws::AwsCredentials& credentials,
                                           std::chrono::system_clock::time_point now) {
    aws::SigningParams params;
    params.region = target.region;
    params.service = std::string(signing_service);
    params.now = now;
    // The plugin sends the body hash as a header and signs it with the rest.
    params.sign_body = true;
    return aws::sign_request(request, credentials, params);
}

}  // namespace hpops::integrations::mlflow
