// Container credentials (ECS, EKS Pod Identity) and EC2 IMDSv2, against
// loopback stand-ins that answer as the real endpoints do.
#include "integrations/aws/credential_chain.hpp"

#include <gtest/gtest.h>

#include "integrations/http/curl_client.hpp"
#include "tests/integrations/aws/credential_test_support.hpp"
#include "tests/support/scripted_server.hpp"

namespace hpops::integrations::aws {
namespace {
using namespace hpops::integrations::aws::testing;
using hpops::testing::ScriptedServer;

bot::HttpOut raw(int status, std::string body) { return bot::HttpOut{.status = status, .body = std::move(body)}; }

// ---- container credentials (ECS, EKS Pod Identity) ----------------------------

TEST(CredentialContainer, FullUriSendsTheCurrentTokenFileContent) {
    TempDir dir;
    const auto token_file = dir.write("pod-identity-token", "first-token");
    TestClock clock;
    auto expected = std::make_shared<std::string>("first-token");
    const auto expires = system_clock::now() + 1h;
    ScriptedServer agent([expected, expires](const bot::HttpIn& in, int number) {
        if (in.method != "GET" || in.path() != "/v1/credentials") return raw(404, "");
        if (in.header("authorization") != *expected) return bot::json_response(401, R"({"message":"bad token"})");
        return bot::json_response(200, credentials_json("ASIAPOD" + std::to_string(number), expires));
    });
    CurlClient http(2);
    CredentialChain chain(http, {.env = env_of({{"HOME", dir.path.string()},
                                                {"AWS_CONTAINER_CREDENTIALS_FULL_URI", agent.url() + "/v1/credentials"},
                                                {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token_file}}),
                                 .clock = clock.function()});
    const auto first = run_sync(chain.get());
    EXPECT_EQ(first.access_key_id, "ASIAPOD1");
    EXPECT_EQ(first.session_token, "token-ASIAPOD1");
    EXPECT_EQ(iso8601(*first.expiration), iso8601(expires));
    EXPECT_EQ(chain.source(), "container");

    dir.write("pod-identity-token", "second-token");
    *expected = "second-token";
    clock.set(expires - 1min);
    EXPECT_EQ(run_sync(chain.get()).access_key_id, "ASIAPOD2");
    const auto seen = agent.received();
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[1].header("authorization"), "second-token");
}

TEST(CredentialContainer, RelativeUriGoesToTheAgentAndErrorsAreReported) {
    ScriptedServer agent([](const bot::HttpIn& in, int) {
        if (in.path() != "/v2/credentials/abc") return bot::json_response(403, R"({"message":"not yours"})");
        return bot::json_response(200, credentials_json("ASIATASK", system_clock::now() + 1h));
    });
    CurlClient http(2);
    ContainerSource task(http, env_of({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc"},
                                       {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "env-token"}}), agent.url());
    EXPECT_EQ(run_sync(task.fetch())->access_key_id, "ASIATASK");
    EXPECT_EQ(agent.received().at(0).header("authorization"), "env-token");

    ContainerSource wrong(http, env_of({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/other"}}), agent.url());
    const auto e = upstream_error_of([&] { run_sync(wrong.fetch()); });
    EXPECT_EQ(e.code(), "ContainerCredentialsError");
    EXPECT_EQ(e.http_status(), 403);
    EXPECT_NE(e.upstream_message().find("not yours"), std::string::npos);
}

TEST(CredentialContainer, PlainHttpToAForeignHostIsRefusedBeforeSendingTheToken) {
    NoNetwork http;
    ContainerSource source(http, env_of({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://example.com/creds"},
                                         {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "secret-token"}}));
    const auto e = upstream_error_of([&] { run_sync(source.fetch()); });
    EXPECT_EQ(e.code(), "InvalidContainerCredentialsUri");
    EXPECT_EQ(std::string(e.what()).find("secret-token"), std::string::npos);
}

// ---- EC2 IMDSv2 -----------------------------------------------------------------

TEST(CredentialImds, FollowsTheImdsV2TokenFlow) {
    const auto expires = system_clock::now() + 6h;
    ScriptedServer imds([expires](const bot::HttpIn& in, int) {
        if (in.method == "PUT" && in.path() == "/latest/api/token") {
            const std::string ttl(in.header("x-aws-ec2-metadata-token-ttl-seconds"));
            if (ttl.empty() || std::stoi(ttl) < 1 || std::stoi(ttl) > 21600) return raw(400, "");
            return raw(200, "imds-session-token");
        }
        // IMDSv2 answers a GET without a valid session token with 401.
        if (in.method != "GET" || in.header("x-aws-ec2-metadata-token") != "imds-session-token") return raw(401, "");
        if (in.path() == "/latest/meta-data/iam/security-credentials/") return raw(200, "hpops-node-role");
        if (in.path() == "/latest/meta-data/iam/security-credentials/hpops-node-role")
            return raw(200, credentials_json("ASIAEC2", expires));
        return raw(404, "");
    });
    TempDir home;
    CurlClient http(2);
    CredentialChain chain(http, {.env = env_of({{"HOME", home.path.string()}, {"AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url() + "/"}})});
    const auto c = run_sync(chain.get());
    EXPECT_EQ(c.access_key_id, "ASIAEC2");
    EXPECT_EQ(c.secret_access_key, "secret-ASIAEC2");
    EXPECT_EQ(iso8601(*c.expiration), iso8601(expires));
    EXPECT_EQ(chain.source(), "IMDS");
    const auto seen = imds.received();
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_EQ(seen[0].method, "PUT");
    EXPECT_EQ(seen[0].header("x-aws-ec2-metadata-token-ttl-seconds"), "21600");
    EXPECT_EQ(seen[2].path(), "/latest/meta-data/iam/security-credentials/hpops-node-role");

    NoNetwork offline;
    ImdsSource disabled(offline, env_of({{"AWS_EC2_METADATA_DISABLED", "TRUE"}}));
    EXPECT_FALSE(run_sync(disabled.fetch()));
}

}  // namespace
}  // namespace hpops::integrations::aws
