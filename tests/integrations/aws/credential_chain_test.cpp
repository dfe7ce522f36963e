#include "integrations/aws/credential_chain.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <thread>

#include "bot/server/http_server.hpp"
#include "hpops/errors.hpp"
#include "integrations/aws/shared_config_file.hpp"
#include "integrations/aws/web_identity_source.hpp"
#include "integrations/http/curl_client.hpp"
#include "tests/support/moto_process.hpp"
#include "tests/support/run_sync.hpp"

namespace hpops::integrations::aws {
namespace {
namespace asio = boost::asio;
using hpops::testing::run_sync;
using std::chrono::system_clock;
using namespace std::chrono_literals;

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "hpops-creds-XXXXXX").string();
        path = ::mkdtemp(pattern.data());
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    std::string write(const std::string& name, const std::string& text) const {
        std::filesystem::create_directories((path / name).parent_path());
        std::ofstream(path / name, std::ios::binary) << text;
        return (path / name).string();
    }
};

EnvLookup env_of(std::map<std::string, std::string> values) {
    return [values = std::move(values)](const std::string& name) -> std::optional<std::string> {
        auto it = values.find(name);
        return it == values.end() ? std::nullopt : std::optional(it->second);
    };
}

// A wall clock the test moves by hand.
struct TestClock {
    std::shared_ptr<std::atomic<system_clock::time_point>> now =
        std::make_shared<std::atomic<system_clock::time_point>>(system_clock::now());
    WallClock function() const { return [now = now] { return now->load(); }; }
    void set(system_clock::time_point t) const { now->store(t); }
};

std::string iso8601(system_clock::time_point t) {
    const std::time_t seconds = system_clock::to_time_t(t);
    std::tm tm{};
    ::gmtime_r(&seconds, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

// Forwards to the real client and keeps what was sent.
class RecordingClient final : public HttpClient {
public:
    explicit RecordingClient(HttpClient& next) : next_(next) {}
    asio::awaitable<HttpResponse> send(HttpRequest request, RetryPolicy retry) override {
        {
            std::lock_guard lock(mutex);
            sent.push_back(request);
        }
        co_return co_await next_.send(std::move(request), retry);
    }
    std::mutex mutex;
    std::vector<HttpRequest> sent;

private:
    HttpClient& next_;
};

// For paths that must not reach the network at all.
class NoNetwork final : public HttpClient {
public:
    asio::awaitable<HttpResponse> send(HttpRequest request, RetryPolicy) override {
        ADD_FAILURE() << "unexpected request to " << request.url;
        throw UpstreamError("http", "unexpected", "no network in this test");
        co_return HttpResponse{};
    }
};

// A loopback stand-in for an AWS endpoint, served by hpops's own HTTP server.
struct LoopbackServer {
    asio::io_context io;
    bot::HttpServer server;
    std::uint16_t port;
    std::thread thread;
    explicit LoopbackServer(bot::RequestHandler handler)
        : server(io, ServerConfig{.host = "127.0.0.1", .port = 0}, std::move(handler)), port(server.start()),
          thread([this] { io.run(); }) {}
    ~LoopbackServer() {
        io.stop();
        thread.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
};

bot::HttpOut raw(int status, std::string body) { return bot::HttpOut{.status = status, .body = std::move(body)}; }

std::string credentials_json(const std::string& key, system_clock::time_point expiration) {
    return R"({"Code":"Success","Type":"AWS-HMAC","AccessKeyId":")" + key +
           R"(","SecretAccessKey":"secret-)" + key + R"(","Token":"token-)" + key + R"(","Expiration":")" +
           iso8601(expiration) + "\"}";
}

UpstreamError error_of(std::function<void()> call) {
    try {
        call();
    } catch (const UpstreamError& e) {
        return e;
    }
    ADD_FAILURE() << "no UpstreamError";
    return UpstreamError("", "", "");
}

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
    const auto e = error_of([] { parse_shared_config("[default]\nAKIASECRETLINE\n", SharedConfigFile::Kind::credentials, "/x/credentials"); });
    EXPECT_EQ(e.code(), "InvalidConfigFile");
    EXPECT_NE(e.upstream_message().find("/x/credentials:2"), std::string::npos);
    EXPECT_EQ(std::string(e.what()).find("AKIASECRETLINE"), std::string::npos);
    EXPECT_EQ(error_of([] { parse_shared_config("k = v\n", SharedConfigFile::Kind::config, "c"); }).code(), "InvalidConfigFile");
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
    const auto e = error_of([&] { run_sync(partial.get()); });
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
    EXPECT_EQ(error_of([&] { run_sync(missing.get()); }).code(), "ProfileNotFound");
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
    const auto e = error_of([&] { run_sync(chain.get()); });
    EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
    EXPECT_EQ(e.service(), "aws");
    EXPECT_EQ(e.code(), "NoCredentials");
    EXPECT_EQ(e.upstream_message(),
              "no AWS credentials found: tried environment, shared files (profile default), web identity, container, IMDS");
    EXPECT_EQ(chain.source(), "");
}

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
    auto e = error_of([] {
        parse_assume_role_with_web_identity_response(400, "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code>"
                                                          "<Message>Token &amp; more</Message></Error><RequestId>req-1</RequestId></ErrorResponse>");
    });
    EXPECT_EQ(e.service(), "sts");
    EXPECT_EQ(e.code(), "InvalidIdentityToken");
    EXPECT_EQ(e.upstream_message(), "Token & more");
    EXPECT_EQ(e.request_id(), "req-1");
    EXPECT_EQ(e.http_status(), 400);
    e = error_of([] { parse_assume_role_with_web_identity_response(200, "<R><Credentials><AccessKeyId>A</AccessKeyId>"
                                                                         "<SecretAccessKey>S</SecretAccessKey></Credentials></R>"); });
    EXPECT_EQ(e.code(), "InvalidResponse");
    EXPECT_NE(e.upstream_message().find("<SessionToken>"), std::string::npos);
    e = error_of([] { parse_assume_role_with_web_identity_response(200, "<ListAllMyBucketsResult/>"); });
    EXPECT_NE(e.upstream_message().find("<Credentials>"), std::string::npos);
    EXPECT_EQ(error_of([] { parse_assume_role_with_web_identity_response(500, "<html>oops</html>"); }).code(), "HttpError");
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
    EXPECT_EQ(error_of([&] { run_sync(chain.get()); }).code(), "WebIdentityTokenUnreadable");
    EXPECT_TRUE(http_.sent.empty());
}

// ---- container credentials (ECS, EKS Pod Identity) ----------------------------

struct Seen {
    std::mutex mutex;
    std::vector<bot::HttpIn> requests;
    void add(const bot::HttpIn& in) {
        std::lock_guard lock(mutex);
        requests.push_back(in);
    }
};

TEST(CredentialContainer, FullUriSendsTheCurrentTokenFileContent) {
    TempDir dir;
    const auto token_file = dir.write("pod-identity-token", "first-token");
    TestClock clock;
    auto seen = std::make_shared<Seen>();
    auto expected = std::make_shared<std::string>("first-token");
    const auto expires = system_clock::now() + 1h;
    LoopbackServer agent([seen, expected, expires](bot::HttpIn in) -> asio::awaitable<bot::HttpOut> {
        seen->add(in);
        if (in.method != "GET" || in.path() != "/v1/credentials") co_return raw(404, "");
        if (in.header("authorization") != *expected) co_return bot::json_response(401, R"({"message":"bad token"})");
        co_return bot::json_response(200, credentials_json("ASIAPOD" + std::to_string(seen->requests.size()), expires));
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
    ASSERT_EQ(seen->requests.size(), 2u);
    EXPECT_EQ(seen->requests[1].header("authorization"), "second-token");
}

TEST(CredentialContainer, RelativeUriGoesToTheAgentAndErrorsAreReported) {
    auto seen = std::make_shared<Seen>();
    LoopbackServer agent([seen](bot::HttpIn in) -> asio::awaitable<bot::HttpOut> {
        seen->add(in);
        if (in.path() != "/v2/credentials/abc") co_return bot::json_response(403, R"({"message":"not yours"})");
        co_return bot::json_response(200, credentials_json("ASIATASK", system_clock::now() + 1h));
    });
    CurlClient http(2);
    ContainerSource task(http, env_of({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc"},
                                       {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "env-token"}}), agent.url());
    EXPECT_EQ(run_sync(task.fetch())->access_key_id, "ASIATASK");
    EXPECT_EQ(seen->requests.at(0).header("authorization"), "env-token");

    ContainerSource wrong(http, env_of({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/other"}}), agent.url());
    const auto e = error_of([&] { run_sync(wrong.fetch()); });
    EXPECT_EQ(e.code(), "ContainerCredentialsError");
    EXPECT_EQ(e.http_status(), 403);
    EXPECT_NE(e.upstream_message().find("not yours"), std::string::npos);
}

TEST(CredentialContainer, PlainHttpToAForeignHostIsRefusedBeforeSendingTheToken) {
    NoNetwork http;
    ContainerSource source(http, env_of({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://example.com/creds"},
                                         {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "secret-token"}}));
    const auto e = error_of([&] { run_sync(source.fetch()); });
    EXPECT_EQ(e.code(), "InvalidContainerCredentialsUri");
    EXPECT_EQ(std::string(e.what()).find("secret-token"), std::string::npos);
}

// ---- EC2 IMDSv2 -----------------------------------------------------------------

TEST(CredentialImds, FollowsTheImdsV2TokenFlow) {
    auto seen = std::make_shared<Seen>();
    const auto expires = system_clock::now() + 6h;
    LoopbackServer imds([seen, expires](bot::HttpIn in) -> asio::awaitable<bot::HttpOut> {
        seen->add(in);
        if (in.method == "PUT" && in.path() == "/latest/api/token") {
            const std::string ttl(in.header("x-aws-ec2-metadata-token-ttl-seconds"));
            if (ttl.empty() || std::stoi(ttl) < 1 || std::stoi(ttl) > 21600) co_return raw(400, "");
            co_return raw(200, "imds-session-token");
        }
        // IMDSv2 answers a GET without a valid session token with 401.
        if (in.method != "GET" || in.header("x-aws-ec2-metadata-token") != "imds-session-token") co_return raw(401, "");
        if (in.path() == "/latest/meta-data/iam/security-credentials/") co_return raw(200, "hpops-node-role");
        if (in.path() == "/latest/meta-data/iam/security-credentials/hpops-node-role")
            co_return raw(200, credentials_json("ASIAEC2", expires));
        co_return raw(404, "");
    });
    TempDir home;
    CurlClient http(2);
    CredentialChain chain(http, {.env = env_of({{"HOME", home.path.string()}, {"AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url() + "/"}})});
    const auto c = run_sync(chain.get());
    EXPECT_EQ(c.access_key_id, "ASIAEC2");
    EXPECT_EQ(c.secret_access_key, "secret-ASIAEC2");
    EXPECT_EQ(iso8601(*c.expiration), iso8601(expires));
    EXPECT_EQ(chain.source(), "IMDS");
    ASSERT_EQ(seen->requests.size(), 3u);
    EXPECT_EQ(seen->requests[0].method, "PUT");
    EXPECT_EQ(seen->requests[0].header("x-aws-ec2-metadata-token-ttl-seconds"), "21600");
    EXPECT_EQ(seen->requests[2].path(), "/latest/meta-data/iam/security-credentials/hpops-node-role");

    NoNetwork offline;
    ImdsSource disabled(offline, env_of({{"AWS_EC2_METADATA_DISABLED", "TRUE"}}));
    EXPECT_FALSE(run_sync(disabled.fetch()));
}

// ---- caching, refresh and concurrency -------------------------------------------

class ScriptedSource final : public CredentialSource {
public:
    explicit ScriptedSource(std::string name) : name_(std::move(name)) {}
    std::string describe() const override { return name_; }
    asio::awaitable<std::optional<AwsCredentials>> fetch() override {
        const int call = ++calls;
        asio::steady_timer pause(co_await asio::this_coro::executor, delay);
        co_await pause.async_wait(asio::use_awaitable);
        co_return answer(call);
    }
    std::function<std::optional<AwsCredentials>(int call)> answer;
    std::atomic<int> calls{0};
    std::chrono::milliseconds delay{0};

private:
    std::string name_;
};

AwsCredentials temporary(const std::string& key, system_clock::time_point expiration) {
    return AwsCredentials{key, "secret", "token", expiration};
}

TEST(CredentialChainCache, ConcurrentCallersShareOneRefreshAndFailuresReachTheWaiters) {
    const auto t0 = system_clock::now();
    auto owned = std::make_unique<ScriptedSource>("scripted");
    ScriptedSource& source = *owned;
    source.delay = 50ms;
    source.answer = [t0](int call) -> std::optional<AwsCredentials> {
        if (call == 3) throw UpstreamError("sts", "IDPCommunicationError", "try later");
        return temporary("KEY" + std::to_string(call), t0 + 1h);
    };
    std::vector<std::unique_ptr<CredentialSource>> sources;
    sources.push_back(std::move(owned));
    TestClock clock;
    clock.set(t0);
    CredentialChain chain(std::move(sources), clock.function());

    auto burst = [&](int callers) {
        asio::io_context io;
        std::vector<std::future<AwsCredentials>> results;
        for (int i = 0; i < callers; ++i) results.push_back(asio::co_spawn(io, chain.get(), asio::use_future));
        std::vector<std::thread> threads;
        for (int i = 0; i < 4; ++i) threads.emplace_back([&] { io.run(); });
        for (auto& t : threads) t.join();
        return results;
    };
    for (auto& result : burst(16)) EXPECT_EQ(result.get().access_key_id, "KEY1");
    EXPECT_EQ(source.calls, 1);

    // Inside the refresh window: one fetch, and nobody waits on it while the old key still works.
    clock.set(t0 + 56min);
    for (auto& result : burst(16)) EXPECT_NE(result.get().access_key_id, "");
    EXPECT_EQ(source.calls, 2);
    EXPECT_EQ(run_sync(chain.get()).access_key_id, "KEY2");

    // Expired, and the source fails: every waiter sees that one failure.
    clock.set(t0 + 2h);
    for (auto& result : burst(8)) EXPECT_THROW(result.get(), UpstreamError);
    EXPECT_EQ(source.calls, 3);
}

TEST(CredentialChainCache, KeepsWorkingCredentialsWhenARefreshFailsAndNeverRefetchesLongTermKeys) {
    const auto t0 = system_clock::now();
    auto flaky = std::make_unique<ScriptedSource>("flaky");
    flaky->answer = [t0](int call) -> std::optional<AwsCredentials> {
        if (call > 1) throw UpstreamError("sts", "Throttling", "slow down");
        return temporary("KEY1", t0 + 1h);
    };
    std::vector<std::unique_ptr<CredentialSource>> sources;
    sources.push_back(std::move(flaky));
    TestClock clock;
    clock.set(t0);
    CredentialChain chain(std::move(sources), clock.function());
    run_sync(chain.get());
    clock.set(t0 + 58min);
    EXPECT_EQ(run_sync(chain.get()).access_key_id, "KEY1");
    clock.set(t0 + 1h + 1s);
    EXPECT_EQ(error_of([&] { run_sync(chain.get()); }).code(), "Throttling");

    auto fixed = std::make_unique<ScriptedSource>("fixed");
    fixed->answer = [](int) { return std::optional(AwsCredentials{"AKIALONG", "secret", "", std::nullopt}); };
    ScriptedSource& counted = *fixed;
    std::vector<std::unique_ptr<CredentialSource>> long_term;
    long_term.push_back(std::move(fixed));
    CredentialChain keys(std::move(long_term), clock.function());
    run_sync(keys.get());
    clock.set(t0 + 24h * 365);
    EXPECT_EQ(run_sync(keys.get()).access_key_id, "AKIALONG");
    EXPECT_EQ(counted.calls, 1);
}

TEST(CredentialChainCache, AsksTheSourceThatAnsweredFirst) {
    const auto t0 = system_clock::now();
    auto first = std::make_unique<ScriptedSource>("first");
    auto second = std::make_unique<ScriptedSource>("second");
    ScriptedSource &a = *first, &b = *second;
    // `first` has nothing at start-up but would answer later; the chain must stay with `second`.
    a.answer = [t0](int call) { return call == 1 ? std::nullopt : std::optional(temporary("A", t0 + 1h)); };
    b.answer = [t0](int call) { return std::optional(temporary("B" + std::to_string(call), t0 + 1h)); };
    std::vector<std::unique_ptr<CredentialSource>> sources;
    sources.push_back(std::move(first));
    sources.push_back(std::move(second));
    TestClock clock;
    clock.set(t0);
    CredentialChain chain(std::move(sources), clock.function());
    EXPECT_EQ(run_sync(chain.get()).access_key_id, "B1");
    clock.set(t0 + 57min);
    EXPECT_EQ(run_sync(chain.get()).access_key_id, "B2");
    EXPECT_EQ(a.calls, 1);
    EXPECT_EQ(chain.source(), "second");
}

}  // namespace
}  // namespace hpops::integrations::aws
