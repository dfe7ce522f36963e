#include "integrations/aws/credential_sources.hpp"

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "common/text.hpp"
#include "common/timestamps.hpp"
#include "hpops/errors.hpp"
#include "integrations/aws/shared_config_file.hpp"
#include "integrations/aws/web_identity_source.hpp"

namespace hpops::integrations::aws {
namespace asio = boost::asio;

namespace {

std::string trim_end(std::string text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
    return text;
}

std::optional<std::string> property(const ProfileProperties& properties, std::string_view key) {
    auto it = properties.find(key);
    if (it == properties.end() || it->second.empty()) return std::nullopt;
    return it->second;
}

std::string profile_name(const EnvLookup& env) {
    if (auto profile = env_value(env, "AWS_PROFILE")) return *profile;
    // The older CLI spelling, still honoured by the SDKs.
    if (auto profile = env_value(env, "AWS_DEFAULT_PROFILE")) return *profile;
    return "default";
}

// Over plain http the authorization token may only travel to this host or
// to the agents that serve it; anything else would hand it to a stranger.
void check_full_uri(const std::string& uri) {
    const auto scheme_end = uri.find("://");
    const std::string scheme = lower_ascii(uri.substr(0, scheme_end));
    if (scheme_end != std::string::npos && scheme == "https") return;
    if (scheme_end == std::string::npos || scheme != "http")
        throw UpstreamError("aws", "InvalidContainerCredentialsUri",
                            "AWS_CONTAINER_CREDENTIALS_FULL_URI must be an http or https URL");
    std::string authority = uri.substr(scheme_end + 3, uri.find_first_of("/?#", scheme_end + 3) - (scheme_end + 3));
    if (const auto at = authority.rfind('@'); at != std::string::npos) authority.erase(0, at + 1);
    std::string host = authority.starts_with('[') ? authority.substr(1, authority.find(']') - 1)
                                                  : authority.substr(0, authority.find(':'));
    host = lower_ascii(host);
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(host, ec);
    const bool allowed = host == "localhost" || host == "169.254.170.2" || host == "169.254.170.23" ||
                         host == "fd00:ec2::23" || (!ec && address.is_loopback());
    if (!allowed)
        throw UpstreamError("aws", "InvalidContainerCredentialsUri",
                            "AWS_CONTAINER_CREDENTIALS_FULL_URI over plain http must point at a loopback address or the "
                            "ECS/EKS Pod Identity agent, not " + host);
}

std::optional<std::string> container_token(const EnvLookup& env) {
    std::string token;
    // The file wins over the variable: Pod Identity rotates the file's content.
    if (auto path = env_value(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) {
        std::ifstream in(*path, std::ios::binary);
        if (!in.is_open())
            throw UpstreamError("aws", "ContainerTokenUnreadable", "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE " + *path);
        token = trim_end(std::string{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()});
    } else if (auto value = env_value(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN")) {
        token = *value;
    } else {
        return std::nullopt;
    }
    // A line break would let the token write extra request headers.
    if (token.find_first_of("\r\n") != std::string::npos)
        throw UpstreamError("aws", "InvalidContainerToken", "the container authorization token contains a line break");
    return token;
}

// An error document's message helps (e.g. "Service account token cannot be
// empty"); it describes the failure, it does not carry credentials.
std::string error_detail(const std::string& body) {
    const auto json = nlohmann::json::parse(body, nullptr, false);
    if (!json.is_object()) return {};
    for (const char* key : {"message", "Message"})
        if (auto it = json.find(key); it != json.end() && it->is_string())
            return ": " + it->get<std::string>().substr(0, 200);
    return {};
}

}  // namespace

std::optional<std::string> env_value(const EnvLookup& env, const std::string& name) {
    auto value = env ? env(name) : std::nullopt;
    if (!value || value->empty()) return std::nullopt;
    return value;
}

std::string expand_home(const std::string& path, const EnvLookup& env) {
    if (path == "~" || path.starts_with("~/"))
        if (auto home = env_value(env, "HOME")) return *home + path.substr(1);
    return path;
}


AwsCredentials parse_credentials_json(std::string_view body, const std::string& source) {
    const auto json = nlohmann::json::parse(body, nullptr, false);
    if (!json.is_object())
        throw UpstreamError("aws", "InvalidCredentialsResponse", source + " answered with something other than a JSON object");
    // IMDS reports a failure inside a 200 answer.
    if (auto code = json.find("Code"); code != json.end() && code->is_string() && *code != "Success")
        throw UpstreamError("aws", "CredentialsUnavailable", source + " reports " + code->get<std::string>());
    auto field = [&](const char* name, bool required) -> std::string {
        auto it = json.find(name);
        if (it != json.end() && it->is_string() && !it->get_ref<const std::string&>().empty()) return it->get<std::string>();
        if (required) throw UpstreamError("aws", "InvalidCredentialsResponse", source + " answered without " + name);
        return {};
    };
    AwsCredentials credentials;
    credentials.access_key_id = field("AccessKeyId", true);
    credentials.secret_access_key = field("SecretAccessKey", true);
    credentials.session_token = field("Token", false);
    if (const std::string expiration = field("Expiration", false); !expiration.empty()) {
        const auto expires = parse_aws_timestamp(expiration);
        if (!expires)
            throw UpstreamError("aws", "InvalidCredentialsResponse",
                                source + " answered an unreadable Expiration \"" + expiration + "\"");
        credentials.expiration = *expires;
    }
    return credentials;
}

asio::awaitable<std::optional<AwsCredentials>> EnvironmentSource::fetch() {
    const auto id = env_value(env_, "AWS_ACCESS_KEY_ID");
    const auto secret = env_value(env_, "AWS_SECRET_ACCESS_KEY");
    if (!id && !secret) co_return std::nullopt;
    if (!id || !secret)
        throw UpstreamError("aws", "PartialCredentials",
                            id ? "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"
                               : "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not");
    AwsCredentials credentials;
    credentials.access_key_id = *id;
    credentials.secret_access_key = *secret;
    credentials.session_token = env_value(env_, "AWS_SESSION_TOKEN").value_or("");
    co_return credentials;
}

std::string SharedFilesSource::describe() const { return "shared files (profile " + profile_name(env_) + ")"; }

asio::awaitable<std::optional<AwsCredentials>> SharedFilesSource::fetch() {
    const std::string profile = profile_name(env_);
    const bool chosen = env_value(env_, "AWS_PROFILE") || env_value(env_, "AWS_DEFAULT_PROFILE");
    const auto home = env_value(env_, "HOME");
    auto load = [&](const char* variable, const char* name, SharedConfigFile::Kind kind) {
        if (auto path = env_value(env_, variable)) return load_shared_config(expand_home(*path, env_), kind);
        if (home) return load_shared_config(*home + "/.aws/" + name, kind);
        return SharedConfigFile{kind, std::string("~/.aws/") + name, {}};
    };
    const SharedConfigFile credentials_file = load("AWS_SHARED_CREDENTIALS_FILE", "credentials", SharedConfigFile::Kind::credentials);
    const SharedConfigFile config_file = load("AWS_CONFIG_FILE", "config", SharedConfigFile::Kind::config);
    const ProfileProperties* in_credentials = credentials_file.profile(profile);
    const ProfileProperties* in_config = config_file.profile(profile);
    if (!in_credentials && !in_config) {
        // A profile asked for by name must not silently become the next source's identity.
        if (chosen)
            throw UpstreamError("aws", "ProfileNotFound",
                                "profile " + profile + " is in neither " + credentials_file.path + " nor " + config_file.path);
        co_return std::nullopt;
    }

    // Static keys come whole from one file, the credentials file first:
    // a key from one file with a token from the other is a pair that never existed.
    for (const auto& [properties, file] : {std::pair{in_credentials, &credentials_file}, std::pair{in_config, &config_file}}) {
        if (!properties) continue;
        const auto id = property(*properties, "aws_access_key_id");
        const auto secret = property(*properties, "aws_secret_access_key");
        if (!id && !secret) continue;
        if (!id || !secret)
            throw UpstreamError("aws", "PartialCredentials",
                                "profile " + profile + " in " + file->path + " sets " +
                                    (id ? "aws_access_key_id but not aws_secret_access_key"
                                        : "aws_secret_access_key but not aws_access_key_id"));
        AwsCredentials credentials;
        credentials.access_key_id = *id;
        credentials.secret_access_key = *secret;
        credentials.session_token = property(*properties, "aws_session_token").value_or("");
        co_return credentials;
    }

    // Other settings merge, the credentials file winning, as in the SDKs.
    ProfileProperties merged = in_config ? *in_config : ProfileProperties{};
    if (in_credentials)
        for (const auto& [key, value] : *in_credentials) merged[key] = value;
    if (const auto role_arn = property(merged, "role_arn")) {
        const auto token_file = property(merged, "web_identity_token_file");
        if (!token_file)
            throw UpstreamError("aws", "UnsupportedProfile",
                                "profile " + profile + " assumes role_arn through source_profile or credential_source, which "
                                "hpops does not support; give it web_identity_token_file or static keys");
        const WebIdentityRole role{*role_arn, expand_home(*token_file, env_), property(merged, "role_session_name").value_or("")};
        co_return co_await assume_role_with_web_identity(http_, sts_endpoint_, role);
    }
    for (const char* key : {"credential_process", "sso_session", "sso_start_url"})
        if (merged.contains(key))
            throw UpstreamError("aws", "UnsupportedProfile",
                                "profile " + profile + " uses " + key + ", which hpops does not support; give it static keys or "
                                "role_arn with web_identity_token_file");
    co_return std::nullopt;
}

asio::awaitable<std::optional<AwsCredentials>> ContainerSource::fetch() {
    HttpRequest request;
    // The relative URI wins when both are set, as in the SDKs.
    if (auto relative = env_value(env_, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
        request.url = relative_base_ + (relative->starts_with('/') ? "" : "/") + *relative;
    } else if (auto full = env_value(env_, "AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
        check_full_uri(*full);
        request.url = *full;
    } else {
        co_return std::nullopt;
    }
    if (auto token = container_token(env_)) request.headers.emplace_back("Authorization", std::move(*token));
    request.headers.emplace_back("Accept", "application/json");
    request.timeout = std::chrono::seconds(2);
    const HttpResponse response = co_await http_.send(std::move(request), RetryPolicy{.max_attempts = 3});
    if (response.status != 200)
        throw UpstreamError("aws", "ContainerCredentialsError",
                            "the container credentials endpoint answered HTTP " + std::to_string(response.status) +
                                error_detail(response.body),
                            "", static_cast<int>(response.status));
    co_return parse_credentials_json(response.body, "the container credentials endpoint");
}

asio::awaitable<std::optional<AwsCredentials>> ImdsSource::fetch() {
    if (auto disabled = env_value(env_, "AWS_EC2_METADATA_DISABLED"); disabled && lower_ascii(*disabled) == "true") co_return std::nullopt;
    std::string endpoint = env_value(env_, "AWS_EC2_METADATA_SERVICE_ENDPOINT")
                               .value_or(lower_ascii(env_value(env_, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE").value_or("")) == "ipv6"
                                             ? "http://[fd00:ec2::254]"
                                             : std::string(default_endpoint));
    while (endpoint.ends_with('/')) endpoint.pop_back();

    // One quick attempt: off EC2 nothing answers, and the chain must end fast.
    const RetryPolicy once{.max_attempts = 1};
    HttpRequest put{.method = "PUT", .url = endpoint + "/latest/api/token",
                    .headers = {{"X-aws-ec2-metadata-token-ttl-seconds", "21600"}}, .body = {},
                    .timeout = std::chrono::seconds(1)};
    HttpResponse token;
    try {
        token = co_await http_.send(std::move(put), once);
    } catch (const UpstreamError&) {
        co_return std::nullopt;  // nothing listening: not an EC2 instance
    }
    // 403: IMDS turned off for this instance; 404/405: something that is not IMDSv2.
    const std::string imds_token = trim_end(token.body);
    if (token.status != 200 || imds_token.empty()) co_return std::nullopt;

    // Requests are built into locals first: temporaries inside a co_await
    // expression have been destroyed twice by GCC 12.
    auto get = [&](const std::string& path) {
        return HttpRequest{.method = "GET", .url = endpoint + path, .headers = {{"X-aws-ec2-metadata-token", imds_token}},
                           .body = {}, .timeout = std::chrono::seconds(1)};
    };
    const std::string roles_path = "/latest/meta-data/iam/security-credentials/";
    HttpRequest list_roles = get(roles_path);
    const HttpResponse roles = co_await http_.send(std::move(list_roles), once);
    if (roles.status == 404) co_return std::nullopt;  // an instance without an instance profile
    if (roles.status != 200)
        throw UpstreamError("aws", "ImdsError", "IMDS answered HTTP " + std::to_string(roles.status) + " listing the instance role",
                            "", static_cast<int>(roles.status));
    const std::string role = trim_end(roles.body.substr(0, roles.body.find('\n')));
    if (role.empty()) co_return std::nullopt;
    HttpRequest read_role = get(roles_path + role);
    const HttpResponse credentials = co_await http_.send(std::move(read_role), once);
    if (credentials.status != 200)
        throw UpstreamError("aws", "ImdsError",
                            "IMDS answered HTTP " + std::to_string(credentials.status) + " for the credentials of role " + role,
                            "", static_cast<int>(credentials.status));
    co_return parse_credentials_json(credentials.body, "IMDS");
}

}  // namespace hpops::integrations::aws
