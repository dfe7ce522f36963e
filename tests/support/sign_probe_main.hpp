#pragma once
// The shared shape of the test-only signing probes driven by the botocore
// comparisons in tests/e2e: a JSON array of requests on stdin, one signed
// result per request on stdout.
#include <nlohmann/json.hpp>

#include <functional>
#include <iostream>
#include <iterator>
#include <string>

#include "hpops/http_client.hpp"
#include "integrations/aws/sigv4.hpp"

namespace hpops::testing {

inline nlohmann::json signed_result(const nlohmann::json& in, const HttpRequest& request,
                                    const integrations::aws::SigningDetails& details) {
    nlohmann::json headers = nlohmann::json::array();
    for (const auto& [name, value] : request.headers) headers.push_back({name, value});
    return {{"name", in.value("name", "")},
            {"method", request.method},
            {"url", request.url},
            {"headers", headers},
            {"body", request.body},
            {"canonical_request", details.canonical_request},
            {"string_to_sign", details.string_to_sign},
            {"signature", details.signature}};
}

inline int run_sign_probe(const char* name, const std::function<nlohmann::json(const nlohmann::json&)>& sign_one) {
    try {
        const std::string input{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
        nlohmann::json out = nlohmann::json::array();
        for (const auto& request : nlohmann::json::parse(input)) out.push_back(sign_one(request));
        std::cout << out.dump(2) << "\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << name << ": " << e.what() << "\n";
        return 2;
    }
}

}  // namespace hpops::testing
