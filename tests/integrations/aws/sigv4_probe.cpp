// Test-only: signs request descriptions with hpops's SigV4 so that
// tests/e2e/test_sigv4_botocore.py can compare the result with botocore.
//
// stdin:  JSON array of {name, mode: "header"|"presign", method, url,
//         headers: [[name, value]...], body, credentials: {access_key_id,
//         secret_access_key, session_token}, region, service, timestamp (Unix
//         seconds), expires, normalize_path, double_encode_path, sign_body,
//         unsigned_payload}
// stdout: JSON array of {name, url, headers, canonical_request,
//         string_to_sign, signature}, in the same order.
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "tests/support/sign_probe_main.hpp"

#include "integrations/aws/sigv4.hpp"

using namespace hpops::integrations::aws;
using nlohmann::json;

namespace {

json sign_one(const json& in) {
    hpops::HttpRequest request;
    request.method = in.value("method", "GET");
    request.url = in.at("url");
    for (const auto& header : in.value("headers", json::array())) request.headers.emplace_back(header.at(0), header.at(1));
    request.body = in.value("body", "");

    const auto& c = in.at("credentials");
    const AwsCredentials creds{c.at("access_key_id"), c.at("secret_access_key"), c.value("session_token", ""), {}};
    SigningParams params;
    params.region = in.at("region");
    params.service = in.at("service");
    params.now = std::chrono::system_clock::time_point(std::chrono::seconds(in.at("timestamp").get<long long>()));
    params.normalize_path = in.value("normalize_path", true);
    params.double_encode_path = in.value("double_encode_path", true);
    params.sign_body = in.value("sign_body", false);
    params.unsigned_payload = in.value("unsigned_payload", false);

    SigningDetails details;
    if (in.value("mode", "header") == "presign") {
        auto presigned = presign(request, creds, params, std::chrono::seconds(in.value("expires", 3600)));
        request.url = std::move(presigned.url);
        details = std::move(presigned.details);
    } else {
        details = sign_request(request, creds, params);
    }
    return hpops::testing::signed_result(in, request, details);
}

}  // namespace

int main() { return hpops::testing::run_sign_probe("sigv4_probe", sign_one); }
