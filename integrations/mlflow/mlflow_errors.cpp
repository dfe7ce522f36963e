#include "integrations/mlflow/mlflow_errors.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace hpops::integrations::mlflow {

namespace {

std::string request_id_of(const HttpResponse& response) {
    for (const char* name : {"x-amzn-requestid", "x-amz-request-id", "x-request-id"})
        if (auto id = response.header(name); !id.empty()) return id;
    return {};
}

std::string string_at(const nlohmann::json& body, std::initializer_list<const char*> keys) {
    for (const char* key : keys)
        if (auto it = body.find(key); it != body.end() && it->is_string()) return it->get<std::string>();
    return {};
}

// "ResourceNotFoundException:http://internal.amazon.com/..." or
// "com.amazonaws.sagemaker#AccessDeniedException" → the bare type.
std::string aws_error_type(std::string type) {
    type = type.substr(0, type.find(':'));
    if (auto hash = type.rfind('#'); hash != std::string::npos) type = type.substr(hash + 1);
    return type;
}

// A short one-line plain-text body is worth showing; an HTML page is not.
std::string plain_snippet(const std::string& body) {
    if (body.empty() || body.size() > 200 || body.find('<') != std::string::npos) return {};
    std::string line = body.substr(0, body.find_first_of("\r\n"));
    while (!line.empty() && line.back() == ' ') line.pop_back();
    return line;
}

std::string status_message(long status, const MlflowTarget& target, std::string_view path, const std::string& body) {
    const std::string at = "MLflow at " + target.host;
    const std::string http = "(HTTP " + std::to_string(status) + ")";
    if (status == 401 || status == 403) {
        if (target.mode == MlflowTarget::Mode::sagemaker)
            return at + " refused the request " + http +
                   ": check that hpops's AWS identity may use the tracking server " + target.arn;
        return at + " refused the request " + http + ": check mlflow.token, or mlflow.username and password";
    }
    if (status == 404)
        return at + " has no " + std::string(api_prefix) + std::string(path) + " " + http +
               ": is tracking_uri the server's base URL?";
    // Passing trouble needs no address: the channel sees it, and it names an
    // internal host that belongs in the log (the settings errors above keep
    // it, since the fix is to that URL).
    if (status == 429) return "MLflow is throttling requests " + http + "; try again shortly";
    std::string message = (status >= 500 ? "MLflow failed " : at + " answered ") + http;
    if (auto snippet = plain_snippet(body); !snippet.empty()) message += ": " + snippet;
    return message;
}

}  // namespace

std::string describe_duration(std::chrono::milliseconds duration) {
    const auto ms = duration.count();
    if (ms < 1000) return std::to_string(ms) + " ms";
    if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
    char text[32];
    std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(ms) / 1000.0);
    return text;
}

UpstreamError error_from_response(const HttpResponse& response, const MlflowTarget& target, std::string_view path) {
    path = path.substr(0, path.find('?'));
    const int status = static_cast<int>(response.status);
    const std::string request_id = request_id_of(response);
    std::string aws_type = aws_error_type(response.header("x-amzn-errortype"));

    const auto body = nlohmann::json::parse(response.body, nullptr, false);
    if (!body.is_discarded() && body.is_object()) {
        // MLflow's own errors: RESOURCE_DOES_NOT_EXIST, INVALID_PARAMETER_VALUE, ...
        std::string code = string_at(body, {"error_code"});
        if (code.empty()) code = aws_type;
        if (code.empty()) code = aws_error_type(string_at(body, {"__type", "code", "Code"}));
        std::string message = string_at(body, {"message", "Message"});
        if (message.empty()) message = status_message(status, target, path, {});
        if (code.empty()) code = "HTTP" + std::to_string(status);
        return UpstreamError("mlflow", std::move(code), std::move(message), request_id, status);
    }
    std::string code = aws_type.empty() ? "HTTP" + std::to_string(status) : std::move(aws_type);
    return UpstreamError("mlflow", std::move(code), status_message(status, target, path, response.body), request_id,
                         status);
}

UpstreamError error_from_transport(const UpstreamError& failure, const MlflowTarget& target) {
    // CurlClient names the failure with curl's own text: "Timeout was reached".
    const std::string& what = failure.code();
    if (what.find("Timeout") != std::string::npos || what.find("timed out") != std::string::npos)
        return UpstreamError("mlflow", "Timeout",
                             "MLflow at " + target.host + " did not answer within " +
                                 describe_duration(target.timeout));
    return UpstreamError("mlflow", "Unreachable",
                         "MLflow at " + target.host + " cannot be reached (" + (what.empty() ? failure.what() : what) +
                             ")");
}

}  // namespace hpops::integrations::mlflow
