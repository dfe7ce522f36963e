#pragma once
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "hpops/environment.hpp"
#include "hpops/http_client.hpp"
#include "integrations/aws/credentials.hpp"

namespace hpops::integrations::aws {

// Environment lookup, injected so tests never touch the process environment.
using hpops::EnvLookup;
using hpops::process_environment;
// An empty variable counts as unset, as in the AWS SDKs.
std::optional<std::string> env_value(const EnvLookup& env, const std::string& name);

// One place credentials may come from.
class CredentialSource {
public:
    virtual ~CredentialSource() = default;
    // How the NoCredentials message names it, e.g. "shared files (profile dev)"; never a value.
    virtual std::string describe() const = 0;
    // nullopt: not set up here, so the chain asks the next source. Throws when
    // set up but failing: a broken IRSA setup must not be masked by whatever
    // the next source happens to hold.
    virtual boost::asio::awaitable<std::optional<AwsCredentials>> fetch() = 0;
};

// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and optionally AWS_SESSION_TOKEN.
class EnvironmentSource final : public CredentialSource {
public:
    explicit EnvironmentSource(EnvLookup env) : env_(std::move(env)) {}
    std::string describe() const override { return "environment"; }
    boost::asio::awaitable<std::optional<AwsCredentials>> fetch() override;

private:
    EnvLookup env_;
};

// ~/.aws/credentials then ~/.aws/config (AWS_SHARED_CREDENTIALS_FILE,
// AWS_CONFIG_FILE, AWS_PROFILE, else "default"): static keys, or a profile
// with role_arn + web_identity_token_file, which goes to STS.
class SharedFilesSource final : public CredentialSource {
public:
    SharedFilesSource(HttpClient& http, EnvLookup env, std::string sts_endpoint)
        : http_(http), env_(std::move(env)), sts_endpoint_(std::move(sts_endpoint)) {}
    std::string describe() const override;
    boost::asio::awaitable<std::optional<AwsCredentials>> fetch() override;

private:
    HttpClient& http_;
    EnvLookup env_;
    std::string sts_endpoint_;
};

// ECS task roles and EKS Pod Identity: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
// (on the ECS agent's address) or AWS_CONTAINER_CREDENTIALS_FULL_URI, with
// an Authorization header from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (read
// on every fetch: Pod Identity rotates it) or AWS_CONTAINER_AUTHORIZATION_TOKEN.
class ContainerSource final : public CredentialSource {
public:
    static constexpr std::string_view ecs_agent = "http://169.254.170.2";
    // `relative_base` is where relative URIs point; tests aim it at a loopback stand-in.
    ContainerSource(HttpClient& http, EnvLookup env, std::string relative_base = std::string(ecs_agent))
        : http_(http), env_(std::move(env)), relative_base_(std::move(relative_base)) {}
    std::string describe() const override { return "container"; }
    boost::asio::awaitable<std::optional<AwsCredentials>> fetch() override;

private:
    HttpClient& http_;
    EnvLookup env_;
    std::string relative_base_;
};

// EC2 instance profile through IMDSv2 (AWS_EC2_METADATA_SERVICE_ENDPOINT,
// AWS_EC2_METADATA_DISABLED). Nothing answering the token request within a
// second means "not on EC2", so the chain ends quickly elsewhere.
class ImdsSource final : public CredentialSource {
public:
    static constexpr std::string_view default_endpoint = "http://169.254.169.254";
    ImdsSource(HttpClient& http, EnvLookup env) : http_(http), env_(std::move(env)) {}
    std::string describe() const override { return "IMDS"; }
    boost::asio::awaitable<std::optional<AwsCredentials>> fetch() override;

private:
    HttpClient& http_;
    EnvLookup env_;
};

// Shared by the sources; exposed for tests.


// {"AccessKeyId", "SecretAccessKey", "Token", "Expiration"} as the container
// endpoint and IMDS serve it. Errors name `source` and the missing field, never the body.
AwsCredentials parse_credentials_json(std::string_view body, const std::string& source);

// A leading "~/" becomes $HOME/, as the SDKs do for AWS paths.
std::string expand_home(const std::string& path, const EnvLookup& env);

}  // namespace hpops::integrations::aws
