#include "integrations/aws/endpoints.hpp"

#include <cctype>

namespace hpops::integrations::aws {
namespace {

std::string trim_slash(std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

}  // namespace

std::string resolve_endpoint(std::string_view service, const AwsConfig& config, const EnvLookup& env) {
    std::string variable = "AWS_ENDPOINT_URL_";
    for (char c : service) variable.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    if (auto v = env(variable); v && !v->empty()) return trim_slash(*v);
    if (auto v = env("AWS_ENDPOINT_URL"); v && !v->empty()) return trim_slash(*v);
    if (auto it = config.endpoints.find(std::string(service)); it != config.endpoints.end()) return trim_slash(it->second);
    const std::string suffix = config.region.starts_with("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com";
    // SageMaker's control plane lives under "api.sagemaker", the rest under their own name.
    const std::string host = service == "sagemaker" ? "api.sagemaker" : std::string(service);
    return "https://" + host + "." + config.region + suffix;
}

}  // namespace hpops::integrations::aws
