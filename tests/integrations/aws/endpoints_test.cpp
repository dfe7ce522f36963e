#include "integrations/aws/endpoints.hpp"

#include <gtest/gtest.h>

#include <map>

#include "tests/integrations/aws/credential_test_support.hpp"

using hpops::AwsConfig;
using hpops::integrations::aws::EnvLookup;
using hpops::integrations::aws::resolve_endpoint;
using hpops::integrations::aws::testing::env_of;

namespace {

AwsConfig config_in(std::string region) {
    AwsConfig config;
    config.region = std::move(region);
    return config;
}

}  // namespace

TEST(AwsEndpoints, PublicRegionalEndpointsByDefault) {
    const auto none = env_of({});
    EXPECT_EQ(resolve_endpoint("eks", config_in("us-west-2"), none), "https://eks.us-west-2.amazonaws.com");
    EXPECT_EQ(resolve_endpoint("sagemaker", config_in("us-west-2"), none), "https://api.sagemaker.us-west-2.amazonaws.com");
    EXPECT_EQ(resolve_endpoint("sts", config_in("cn-north-1"), none), "https://sts.cn-north-1.amazonaws.com.cn");
}

TEST(AwsEndpoints, PrecedenceIsServiceVariableThenGlobalVariableThenConfig) {
    AwsConfig config = config_in("us-west-2");
    config.endpoints["eks"] = "http://config.example:1/";
    EXPECT_EQ(resolve_endpoint("eks", config, env_of({})), "http://config.example:1");
    EXPECT_EQ(resolve_endpoint("eks", config, env_of({{"AWS_ENDPOINT_URL", "http://global:2"}})), "http://global:2");
    EXPECT_EQ(resolve_endpoint("eks", config,
                               env_of({{"AWS_ENDPOINT_URL", "http://global:2"}, {"AWS_ENDPOINT_URL_EKS", "http://eks:3"}})),
              "http://eks:3");
    // A service-specific variable for another service changes nothing here.
    EXPECT_EQ(resolve_endpoint("eks", config, env_of({{"AWS_ENDPOINT_URL_SAGEMAKER", "http://sm:4"}})),
              "http://config.example:1");
    EXPECT_EQ(resolve_endpoint("cloudformation", config_in("eu-west-1"),
                               env_of({{"AWS_ENDPOINT_URL_CLOUDFORMATION", "http://cfn:5"}})),
              "http://cfn:5");
    // An empty variable is unset, as in the SDKs.
    EXPECT_EQ(resolve_endpoint("eks", config, env_of({{"AWS_ENDPOINT_URL_EKS", ""}})), "http://config.example:1");
}
