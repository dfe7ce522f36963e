// Test-only: makes EKS bearer tokens exactly as EksTokenCredentials does, so
// that tests/e2e/test_models_eks_token.py can compare them with what
// `aws eks get-token` (botocore) makes at the same instant.
//
// stdin:  JSON array of {name, cluster, region, sts_endpoint (optional),
//         credentials: {access_key_id, secret_access_key, session_token}, timestamp (Unix s)}
// stdout: JSON array of {name, token}, in the same order.
#include <nlohmann/json.hpp>

#include "integrations/kubernetes/eks_token.hpp"
#include "tests/support/sign_probe_main.hpp"

using namespace hpops::integrations;
using nlohmann::json;

namespace {

json make_one(const json& in) {
    const auto& c = in.at("credentials");
    const aws::AwsCredentials creds{c.at("access_key_id"), c.at("secret_access_key"), c.value("session_token", ""), {}};
    const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(in.at("timestamp").get<long long>()));
    return {{"name", in.value("name", "")},
            {"token", kubernetes::eks_token(in.at("cluster"), in.at("region"), in.value("sts_endpoint", ""), creds, now)}};
}

}  // namespace

int main() { return hpops::testing::run_sign_probe("eks_token_probe", make_one); }
