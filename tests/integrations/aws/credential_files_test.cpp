// The environment and the shared config and credentials files, and what the
// chain says when no source has credentials.
#include "integrations/aws/credential_chain.hpp"

#include <gtest/gtest.h>

#include "integrations/aws/shared_config_file.hpp"
#include "integrations/http/curl_client.hpp"
#include "tests/integrations/aws/credential_test_support.hpp"

namespace hpops::integrations::aws {
namespace {
using namespace hpops::integrations::aws::testing;

// ---- shared files -----------------------------------------------------------

TEST(CredentialSharedConfigFile, ReadsSectionsCommentsAndWhitespace) {
    const auto file = parse_shared_config(
        "# leading comment\n; another\n\n[ profile   dev ]  # why not\n  Region = eu-west-1   \n"
        "aws_access_key_id=AKIADEV ; trailing\nname = a#b\ns3 =\n  max_concurrent_requests = 10\n"
        "[default]\n\taws_access_key_id = AKIADEFAULT\n\taws_secret_access_key = SECRET\n[dev]\nregion = ignored\n",
        SharedConfigFile::Kind::config, "config");
    const auto* dev = file.profile("dev");
    ASSERT_NE(dev, nullptr);
    EXPECT_EQ(dev->at("region"), "eu-west-1");
    EXPECT_EQ(dev->at("aws_access_key_id"), "AKIADEV");
    EXPECT_EQ(dev->at("name"), "a#b");
    EXPECT_EQ(dev->at("s3"), "\nmax_concurrent_requests = 10");
    // Indented keys are properties of their own, not continuations of the one before.
    const auto* fallback = file.profile("default");
    ASSERT_NE(fallback, nullptr);
    EXPECT_EQ(fallback->at("aws_access_key_id"), "AKIADEFAULT");
    EXPECT_EQ(fallback->at("aws_secret_access_key"), "SECRET");
    // In the credentials file the header is the bare profile name.
    const auto creds = parse_shared_config("[dev]\nk = v\n", SharedConfigFile::Kind::credentials, "credentials");
    EXPECT_NE(creds.profile("dev"), nullptr);
    EXPECT_EQ(parse_shared_config("[profile dev]\n", SharedConfigFile::Kind::credentials, "c").profile("dev"), nullptr);
}

TEST(CredentialSharedConfigFile, MalformedLineNamesFileAndLineButNotItsContent) {
    const auto e = upstream_error_of([] { parse_shared_config("[default]\nAKIASECRETLINE\n", SharedConfigFile::Kind::credentials, "/x/credentials"); });
    EXPECT_EQ(e.code(), "InvalidConfigFile");
    EXPECT_NE(e.upstream_message().find("/x/credentials:2"), std::string::npos);
    EXPECT_EQ(std::string(e.what()).find("AKIASECRETLINE"), std::string::npos);
    EXPECT_EQ(upstream_error_of([] { parse_shared_config("k = v\n", SharedConfigFile::Kind::config, "c"); }).code(), "InvalidConfigFile");
}

TEST(CredentialEnvironment, EnvironmentWinsAndPartialKeysAreNamedWithoutValues) {
    TempDir home;
    home.write(".aws/credentials", "[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = FILESECRET\n");
    NoNetwork http;
    CredentialChain chain(http, {.env = env_of({{"HOME", home.path.string()}, {"AWS_ACCESS_KEY_ID", "AKIAENV"},
                                                {"AWS_SECRET_ACCESS_KEY", "ENVSECRET"}, {"AWS_SESSION_TOKEN", "ENVTOKEN"}})});
    const auto c = run_sync(chain.get());
    EXPECT_EQ(c.access_key_id, "AKIAENV");
    EXPECT_EQ(c.secret_access_key, "ENVSECRET");
    EXPECT_EQ(c.session_token, "ENVTOKEN");
    EXPECT_FALSE(c.expiration);
    EXPECT_EQ(chain.source(), "environment");

    CredentialChain partial(http, {.env = env_of({{"AWS_ACCESS_KEY_ID", "AKIALONELY"}})});
    const auto e = upstream_error_of([&] { run_sync(partial.get()); });
    EXPECT_EQ(e.code(), "PartialCredentials");
    EXPECT_EQ(std::string(e.what()).find("AKIALONELY"), std::string::npos);
}

TEST(CredentialSharedFiles, DefaultProfileFromHomeAndChosenProfileFromConfig) {
    TempDir home;
    home.write(".aws/credentials", "[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = S1\n");
    const auto config = home.write("elsewhere/config",
                                   "[dev]\naws_access_key_id = AKIAWRONG\naws_secret_access_key = W\n"
                                   "[profile dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = S2\naws_session_token = T2\n");
    NoNetwork http;
    CredentialChain by_default(http, {.env = env_of({{"HOME", home.path.string()}})});
    EXPECT_EQ(run_sync(by_default.get()).access_key_id, "AKIADEFAULT");
    EXPECT_EQ(by_default.source(), "shared files (profile default)");

    CredentialChain dev(http, {.env = env_of({{"HOME", home.path.string()}, {"AWS_PROFILE", "dev"}, {"AWS_CONFIG_FILE", config}})});
    const auto c = run_sync(dev.get());
    EXPECT_EQ(c.access_key_id, "AKIADEV");
    EXPECT_EQ(c.session_token, "T2");
    EXPECT_EQ(dev.source(), "shared files (profile dev)");

    // A profile asked for by name and found nowhere is an error, not a reason to try IMDS.
    CredentialChain missing(http, {.env = env_of({{"HOME", home.path.string()}, {"AWS_PROFILE", "nope"}})});
    EXPECT_EQ(upstream_error_of([&] { run_sync(missing.get()); }).code(), "ProfileNotFound");
}

TEST(CredentialSharedFiles, CredentialsFileWinsOverConfigForTheSameProfileWithoutMixingKeys) {
    TempDir home;
    home.write(".aws/credentials", "[ops]\naws_access_key_id = AKIACREDS\naws_secret_access_key = FROMCREDS\n");
    home.write(".aws/config", "[profile ops]\naws_access_key_id = AKIACONFIG\naws_secret_access_key = FROMCONFIG\n"
                              "aws_session_token = STALE\n");
    NoNetwork http;
    CredentialChain chain(http, {.env = env_of({{"HOME", home.path.string()}, {"AWS_PROFILE", "ops"}})});
    const auto c = run_sync(chain.get());
    EXPECT_EQ(c.access_key_id, "AKIACREDS");
    EXPECT_EQ(c.secret_access_key, "FROMCREDS");
    EXPECT_EQ(c.session_token, "");  // the config file's token belongs to the config file's keys
}

TEST(CredentialChainNoCredentials, NamesEverySourceTriedAndFallsThroughFastOffEc2) {
    TempDir home;
    CurlClient http(2);
    // A closed loopback port stands for "no IMDS here".
    CredentialChain chain(http, {.env = env_of({{"HOME", home.path.string()},
                                                {"AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:9"}})});
    const auto started = std::chrono::steady_clock::now();
    const auto e = upstream_error_of([&] { run_sync(chain.get()); });
    EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
    EXPECT_EQ(e.service(), "aws");
    EXPECT_EQ(e.code(), "NoCredentials");
    EXPECT_EQ(e.upstream_message(),
              "no AWS credentials found: tried environment, shared files (profile default), web identity, container, IMDS");
    EXPECT_EQ(chain.source(), "");
}


}  // namespace
}  // namespace hpops::integrations::aws
