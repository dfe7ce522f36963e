// Test-only: builds and signs SageMaker managed MLflow requests exactly as
// MlflowClient does (build_request + sign_sagemaker_request), so that
// tests/e2e/test_mlflow_sagemaker_sigv4.py can compare them with botocore.
//
// stdin:  JSON array of {name, tracking_uri (a tracking-server ARN),
//         sagemaker_endpoint (optional override), method, path (under
//         api/2.0/mlflow/, query already encoded), body, credentials:
//         {access_key_id, secret_access_key, session_token}, timestamp (Unix s)}
// stdout: JSON array of {name, method, url, headers: [[name, value]...], body,
//         canonical_request, string_to_sign, signature}, in the same order.
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "tests/support/sign_probe_main.hpp"

#include "integrations/mlflow/mlflow_target.hpp"

using namespace hpops::integrations;
using nlohmann::json;

namespace {

json sign_one(const json& in) {
    hpops::MlflowConfig config;
    config.tracking_uri = in.at("tracking_uri");
    config.sagemaker_endpoint = in.value("sagemaker_endpoint", "");
    const mlflow::MlflowTarget target = mlflow::resolve_target(config, "");
    if (!target.problem.empty()) throw std::runtime_error(target.problem);
    if (target.mode != mlflow::MlflowTarget::Mode::sagemaker) throw std::runtime_error("not a tracking-server ARN");

    hpops::HttpRequest request = mlflow::build_request(
        target, mlflow::MlflowCall{in.value("method", "GET"), in.at("path"), in.value("body", "")});
    const auto& c = in.at("credentials");
    const aws::AwsCredentials creds{c.at("access_key_id"), c.at("secret_access_key"), c.value("session_token", ""), {}};
    const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(in.at("timestamp").get<long long>()));
    const aws::SigningDetails details = mlflow::sign_sagemaker_request(request, target, creds, now);

    return hpops::testing::signed_result(in, request, details);
}

}  // namespace

int main() { return hpops::testing::run_sign_probe("mlflow_sign_probe", sign_one); }
