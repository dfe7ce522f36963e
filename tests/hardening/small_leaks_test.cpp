// Finding 15: small leaks. A bearer token's length showed in how long a wrong
// one took to refuse; chat replies named internal endpoints; an insecure
// kubeconfig went unmentioned; a parse error echoed `<!channel>` back as a
// mention of everyone in the channel.
#include <gtest/gtest.h>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "bot/dispatch/error_reply.hpp"
#include "common/crypto.hpp"
#include "integrations/http/curl_client.hpp"
#include "integrations/kubernetes/kube_setup.hpp"
#include "tests/support/dispatcher_fixture.hpp"

using namespace hpops;
using namespace hpops::bot;
using hpops::testing::DispatcherTest;

TEST(SmallLeaks, SecretsCompareByContentWhateverTheirLength) {
    EXPECT_TRUE(secret_equal("am-token-1", "am-token-1"));
    EXPECT_FALSE(secret_equal("am-token", "am-token-1"));
    EXPECT_FALSE(secret_equal("am-token-12", "am-token-1"));
    EXPECT_FALSE(secret_equal("", "am-token-1"));
    EXPECT_FALSE(secret_equal(std::string(4096, 'x'), "am-token-1"));
}

TEST(SmallLeaks, ABackendThatDoesNotAnswerIsNamedNotItsAddress) {
    const UpstreamError refused("eks", "Unreachable", "Failed to connect to 127.0.0.1 port 1 (http://127.0.0.1:1)");
    const std::string text = DispatcherTest::all_text(reply_for_upstream_error(refused));
    EXPECT_NE(text.find("AWS EKS did not answer (Unreachable)"), std::string::npos) << text;
    EXPECT_EQ(text.find("127.0.0.1"), std::string::npos) << text;
    const UpstreamError curl("http", "Couldn't connect to server", "Failed to connect to 10.1.2.3 port 443");
    EXPECT_EQ(DispatcherTest::all_text(reply_for_upstream_error(curl)).find("10.1.2.3"), std::string::npos);
    // An answer from the service itself is still shown as it is.
    const UpstreamError denied("eks", "AccessDeniedException", "not authorized", "req-1", 403);
    EXPECT_NE(DispatcherTest::all_text(reply_for_upstream_error(denied)).find("not authorized"), std::string::npos);
}

// Found by the fault tests: a bare 503 read "eks:  (HTTP503)".
TEST(SmallLeaks, AnUpstreamErrorNamesTheServiceAsPeopleKnowIt) {
    const UpstreamError bare("eks", "HTTP503", "", "", 503);
    EXPECT_NE(DispatcherTest::all_text(reply_for_upstream_error(bare)).find("AWS EKS answered HTTP 503\n"),
              std::string::npos)
        << DispatcherTest::all_text(reply_for_upstream_error(bare));
    EXPECT_EQ(std::get<Text>(reply_for_upstream_error(bare).blocks.front()).mark, Mark::failed);
    const UpstreamError denied("eks", "AccessDeniedException", "not authorized", "req-1", 403);
    EXPECT_NE(DispatcherTest::all_text(reply_for_upstream_error(denied))
                  .find("AWS EKS: not authorized (AccessDeniedException)"),
              std::string::npos);
    // A message that names its service already is not prefixed again.
    const UpstreamError mlflow("mlflow", "HTTP503", "MLflow failed (HTTP 503)", "", 503);
    const std::string text = DispatcherTest::all_text(reply_for_upstream_error(mlflow));
    EXPECT_NE(text.find("\nMLflow failed (HTTP 503)"), std::string::npos) << text;
    EXPECT_EQ(text.find("MLflow: MLflow"), std::string::npos) << text;
}

TEST_F(DispatcherTest, ParseErrorsDoNotEchoMentions) {
    for (const char* typed : {"<!channel> scale", "nodegroups <!here>", "scale nodegroup <@U0BOSS> desired=1 desired=2"}) {
        const std::string text = all_text(run("UVIEWER", typed));
        EXPECT_EQ(text.find("<!"), std::string::npos) << typed << " -> " << text;
        EXPECT_EQ(text.find("<@"), std::string::npos) << typed << " -> " << text;
    }
}

TEST(SmallLeaks, AnInsecureKubeconfigIsWarnedAboutAtStart) {
    const auto dir = std::filesystem::temp_directory_path() / ("hpops-insecure-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto kubeconfig = (dir / "config").string();
    std::ofstream(kubeconfig) << R"(apiVersion: v1
kind: Config
current-context: c
contexts: [{name: c, context: {cluster: k, user: u}}]
clusters: [{name: k, cluster: {server: "https://kube.internal:6443", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: t}}]
)";
    std::ostringstream log;
    auto previous = spdlog::default_logger();
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log)));
    Config config;
    config.kubernetes.enabled = true;
    config.kubernetes.kubeconfig = kubeconfig;
    integrations::CurlClient http(1);
    auto kube = integrations::kubernetes::make_kube(http, config, [](const std::string&) -> std::optional<std::string> { return std::nullopt; }, nullptr);
    spdlog::set_default_logger(previous);
    std::filesystem::remove_all(dir);
    EXPECT_NE(log.str().find("insecure-skip-tls-verify for https://kube.internal:6443"), std::string::npos) << log.str();
}
