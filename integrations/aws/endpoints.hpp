#pragma once
#include <string>
#include <string_view>

#include "hpops/config.hpp"
#include "integrations/aws/credential_sources.hpp"

namespace hpops::integrations::aws {

// The base URL for a service ("eks", "sagemaker", "sts", "cloudformation"), as
// the AWS SDKs resolve it: AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL,
// then the config file's override, then the public regional endpoint.
std::string resolve_endpoint(std::string_view service, const AwsConfig& config, const EnvLookup& env);

}  // namespace hpops::integrations::aws
