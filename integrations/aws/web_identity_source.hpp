#pragma once
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "hpops/http_client.hpp"
#include "integrations/aws/credential_sources.hpp"

namespace hpops::integrations::aws {

struct WebIdentityRole {
    std::string role_arn;
    std::string token_file;
    std::string session_name;  // empty: "hpops-<epoch ms>"
};

// STS AssumeRoleWithWebIdentity, the call IRSA rests on. It is unsigned (the
// token is the proof), so it needs no credentials of its own. The token file
// is read on every call because kubelet rotates it.
boost::asio::awaitable<AwsCredentials> assume_role_with_web_identity(HttpClient& http, const std::string& sts_endpoint,
                                                                     const WebIdentityRole& role);

// The Query API's XML answer: credentials from a success; from an
// <ErrorResponse>, UpstreamError("sts", Code, Message, RequestId, status);
// a missing element is named in the error.
AwsCredentials parse_assume_role_with_web_identity_response(long status, std::string_view body);

// A purpose-built XML reader for the flat STS answers, not a general parser:
// the raw content of the first element called `name` (any attributes, a
// self-closing tag is empty), skipping comments and CDATA; nullopt when absent.
std::optional<std::string_view> xml_element(std::string_view xml, std::string_view name);
// Character data: entities (&amp; &lt; &gt; &quot; &apos; &#N; &#xH;) and
// CDATA decoded, surrounding whitespace trimmed.
std::string xml_text(std::string_view raw);
inline std::optional<std::string> xml_element_text(std::string_view xml, std::string_view name) {
    auto raw = xml_element(xml, name);
    if (!raw) return std::nullopt;
    return xml_text(*raw);
}

// AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN [+ AWS_ROLE_SESSION_NAME], as
// the EKS pod identity webhook injects them for IRSA.
class WebIdentitySource final : public CredentialSource {
public:
    WebIdentitySource(HttpClient& http, EnvLookup env, std::string sts_endpoint)
        : http_(http), env_(std::move(env)), sts_endpoint_(std::move(sts_endpoint)) {}
    std::string describe() const override { return "web identity"; }
    boost::asio::awaitable<std::optional<AwsCredentials>> fetch() override;

private:
    HttpClient& http_;
    EnvLookup env_;
    std::string sts_endpoint_;
};

}  // namespace hpops::integrations::aws
