// Web identity (IRSA): the STS answer parsed, and AssumeRoleWithWebIdentity against moto.
#include "integrations/aws/credential_chain.hpp"

#include <gtest/gtest.h>

#include "common/timestamps.hpp"
#include "integrations/aws/web_identity_source.hpp"
#include "integrations/http/curl_client.hpp"
#include "tests/integrations/aws/credential_test_support.hpp"
#include "tests/support/moto_process.hpp"

namespace hpops::integrations::aws {
namespace {
using namespace hpops::integrations::aws::testing;

// ---- STS XML ------------------------------------------------------------------

TEST(CredentialStsXml, ReadsCredentialsAndDecodesEntities) {
    const auto c = parse_assume_role_with_web_identity_response(200, R"(<?xml version="1.0"?>
<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <!-- <Credentials><AccessKeyId>NOTTHIS</AccessKeyId></Credentials> -->
    <Credentials>
      <AccessKeyId> ASIAEXAMPLE </AccessKeyId>
      <SecretAccessKey>a&amp;b&lt;c&gt;&#x2F;&#47;&quot;&apos;</SecretAccessKey>
      <SessionToken><![CDATA[tok&en<]]></SessionToken>
      <Expiration>2030-01-02T03:04:05.678Z</Expiration>
    </Credentials>
  </AssumeRoleWithWebIdentityResult>
</AssumeRoleWithWebIdentityResponse>)");
    EXPECT_EQ(c.access_key_id, "ASIAEXAMPLE");
    EXPECT_EQ(c.secret_access_key, "a&b<c>//\"'");
    EXPECT_EQ(c.session_token, "tok&en<");
    ASSERT_TRUE(c.expiration);
    EXPECT_EQ(iso8601(*c.expiration), "2030-01-02T03:04:05Z");
}

TEST(CredentialStsXml, ErrorsCarryCodeMessageRequestIdAndNameMissingElements) {
    auto e = upstream_error_of([] {
        parse_assume_role_with_web_identity_response(400, "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code>"
                                                          "<Message>Token &amp; more</Message></Error><RequestId>req-1</RequestId></ErrorResponse>");
    });
    EXPECT_EQ(e.service(), "sts");
    EXPECT_EQ(e.code(), "InvalidIdentityToken");
    EXPECT_EQ(e.upstream_message(), "Token & more");
    EXPECT_EQ(e.request_id(), "req-1");
    EXPECT_EQ(e.http_status(), 400);
    e = upstream_error_of([] { parse_assume_role_with_web_identity_response(200, "<R><Credentials><AccessKeyId>A</AccessKeyId>"
                                                                         "<SecretAccessKey>S</SecretAccessKey></Credentials></R>"); });
    EXPECT_EQ(e.code(), "InvalidResponse");
    EXPECT_NE(e.upstream_message().find("<SessionToken>"), std::string::npos);
    e = upstream_error_of([] { parse_assume_role_with_web_identity_response(200, "<ListAllMyBucketsResult/>"); });
    EXPECT_NE(e.upstream_message().find("<Credentials>"), std::string::npos);
    EXPECT_EQ(upstream_error_of([] { parse_assume_role_with_web_identity_response(500, "<html>oops</html>"); }).code(), "HttpError");
}

TEST(CredentialStsXml, ReadsAwsTimestamps) {
    EXPECT_EQ(iso8601(*parse_aws_timestamp("2024-05-01T12:00:00Z")), "2024-05-01T12:00:00Z");
    EXPECT_EQ(iso8601(*parse_aws_timestamp("2024-05-01T14:30:00+02:30")), "2024-05-01T12:00:00Z");
    EXPECT_EQ(parse_aws_timestamp("2024-05-01T12:00:00.5Z").value() - *parse_aws_timestamp("2024-05-01T12:00:00Z"), 500ms);
    for (const char* bad : {"", "2024-05-01", "2024-13-01T00:00:00Z", "2024-02-30T00:00:00Z", "2024-05-01T12:00:00", "2024-05-01T12:00:00Zjunk"})
        EXPECT_FALSE(parse_aws_timestamp(bad)) << bad;
}

// ---- web identity against moto ------------------------------------------------

class CredentialWebIdentity : public ::testing::Test {
protected:
    static void SetUpTestSuite() { moto_ = std::make_unique<hpops::testing::MotoProcess>(); }
    static void TearDownTestSuite() { moto_.reset(); }
    static std::unique_ptr<hpops::testing::MotoProcess> moto_;

    TempDir home_;
    CurlClient curl_{2};
    RecordingClient http_{curl_};
    TestClock clock_;

    std::string last_body() {
        std::lock_guard lock(http_.mutex);
        return http_.sent.empty() ? "" : http_.sent.back().body;
    }
};
std::unique_ptr<hpops::testing::MotoProcess> CredentialWebIdentity::moto_;

TEST_F(CredentialWebIdentity, AssumesTheRoleAtStsAndRefreshesBeforeExpiryWithTheRotatedToken) {
    const auto token_file = home_.write("token", "token-one");
    CredentialChain chain(http_, {.sts_endpoint = moto_->endpoint(),
                                  .env = env_of({{"HOME", home_.path.string()},
                                                 {"AWS_WEB_IDENTITY_TOKEN_FILE", token_file},
                                                 {"AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/hpops"},
                                                 {"AWS_ROLE_SESSION_NAME", "hpops-test"}}),
                                  .clock = clock_.function()});
    const auto first = run_sync(chain.get());
    EXPECT_EQ(chain.source(), "web identity");
    EXPECT_EQ(first.access_key_id.substr(0, 4), "ASIA");
    EXPECT_FALSE(first.secret_access_key.empty());
    EXPECT_FALSE(first.session_token.empty());
    ASSERT_TRUE(first.expiration);
    EXPECT_GT(*first.expiration, system_clock::now() + 50min);
    {
        std::lock_guard lock(http_.mutex);
        ASSERT_EQ(http_.sent.size(), 1u);
        const HttpRequest& sent = http_.sent[0];
        EXPECT_EQ(sent.method, "POST");
        EXPECT_EQ(sent.url, moto_->endpoint() + "/");
        EXPECT_EQ(sent.body, "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fhpops"
                             "&RoleSessionName=hpops-test&WebIdentityToken=token-one");
        for (const auto& [name, value] : sent.headers) EXPECT_NE(name, "Authorization");  // unsigned: the token is the proof
    }

    // kubelet rotates the token; the next refresh must send the new one.
    home_.write("token", "token-two");
    clock_.set(*first.expiration - 6min);
    EXPECT_EQ(run_sync(chain.get()).access_key_id, first.access_key_id);
    EXPECT_EQ(http_.sent.size(), 1u);
    clock_.set(*first.expiration - 4min);
    const auto second = run_sync(chain.get());
    EXPECT_NE(second.access_key_id, first.access_key_id);
    EXPECT_EQ(http_.sent.size(), 2u);
    EXPECT_TRUE(last_body().ends_with("&WebIdentityToken=token-two"));
}

TEST_F(CredentialWebIdentity, ProfileWithRoleArnAndTokenFileGoesToSts) {
    home_.write("irsa-token", "profile-token");
    home_.write(".aws/config", "[profile irsa]\nrole_arn = arn:aws:iam::123456789012:role/from-profile\n"
                               "web_identity_token_file = ~/irsa-token\n");
    CredentialChain chain(http_, {.sts_endpoint = moto_->endpoint(),
                                  .env = env_of({{"HOME", home_.path.string()}, {"AWS_PROFILE", "irsa"}})});
    EXPECT_EQ(run_sync(chain.get()).access_key_id.substr(0, 4), "ASIA");
    EXPECT_EQ(chain.source(), "shared files (profile irsa)");
    EXPECT_NE(last_body().find("role%2Ffrom-profile"), std::string::npos);
    EXPECT_TRUE(last_body().ends_with("&WebIdentityToken=profile-token"));
}

TEST_F(CredentialWebIdentity, BrokenSetupIsReportedNotSkipped) {
    CredentialChain chain(http_, {.sts_endpoint = moto_->endpoint(),
                                  .env = env_of({{"AWS_WEB_IDENTITY_TOKEN_FILE", (home_.path / "absent").string()},
                                                 {"AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/hpops"}})});
    EXPECT_EQ(upstream_error_of([&] { run_sync(chain.get()); }).code(), "WebIdentityTokenUnreadable");
    EXPECT_TRUE(http_.sent.empty());
}


}  // namespace
}  // namespace hpops::integrations::aws
