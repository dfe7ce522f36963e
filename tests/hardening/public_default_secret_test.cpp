// Finding 4: the container shipped the local example, whose signing secret
// defaults to a public value and which makes U0LOCALADMIN an admin; anyone
// could forge a signed `nodegroup delete` and its Confirm, and check-config
// said ok. Now such a configuration is refused beyond loopback, with why.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "bot/config_loader.hpp"
#include "bot/public_exposure.hpp"

using namespace hpops;
using namespace hpops::bot;
using Env = std::map<std::string, std::string>;

namespace {

std::string example(const std::string& name) {
    std::ifstream in(std::string(HPOPS_SOURCE_DIR) + "/deploy/examples/" + name);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string listening_on_all_interfaces(std::string yaml) {
    const std::string loopback = "listen: 127.0.0.1:8080";
    const auto at = yaml.find(loopback);
    EXPECT_NE(at, std::string::npos);
    return yaml.replace(at, loopback.size(), "listen: 0.0.0.0:8080");
}

std::string joined_problems(const std::string& yaml, const Env& env) {
    try {
        load_config_text(yaml, "t.yaml", &env);
    } catch (const ConfigError& e) {
        std::string all;
        for (const auto& p : e.problems()) all += p + "\n";
        return all;
    }
    return {};
}

const std::string slack_like_secret(32, 'a');

}  // namespace

TEST(PublicDefaultSecret, LocalExampleIsFineOnLoopback) {
    EXPECT_EQ(joined_problems(example("local.yaml"), {}), "");
}

TEST(PublicDefaultSecret, LocalExampleOnAllInterfacesIsRefusedWithReasons) {
    const std::string problems = joined_problems(listening_on_all_interfaces(example("local.yaml")), {});
    EXPECT_NE(problems.find("slack.signing_secret: is the public example value"), std::string::npos) << problems;
    EXPECT_NE(problems.find("access.users.U0LOCALADMIN: is the example's sample user"), std::string::npos) << problems;
    EXPECT_EQ(problems.find(example_signing_secret), std::string::npos) << "the secret itself is never echoed";
}

TEST(PublicDefaultSecret, ShortSecretIsRefusedBeyondLoopback) {
    Config config;
    config.server.host = "10.0.0.7";
    config.slack.signing_secret = "short-secret";
    const auto problems = public_exposure_problems(config);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_NE(problems[0].find("12 characters, fewer than 32"), std::string::npos) << problems[0];
    config.slack.signing_secret = slack_like_secret;
    EXPECT_TRUE(public_exposure_problems(config).empty());
    config.server.host = "::1";
    config.slack.signing_secret = "short-secret";
    EXPECT_TRUE(public_exposure_problems(config).empty()) << "IPv6 loopback is loopback";
}

TEST(PublicDefaultSecret, ProductionExampleNeedsTheSecretAndHasNoAdmins) {
    EXPECT_NE(joined_problems(example("production.yaml"), {}).find("SLACK_SIGNING_SECRET"), std::string::npos);
    const Env env{{"SLACK_SIGNING_SECRET", slack_like_secret}};
    auto config = load_config_text(example("production.yaml"), "production.yaml", &env);
    EXPECT_EQ(config->server.host, "0.0.0.0");
    EXPECT_TRUE(config->access.users.empty());
    EXPECT_TRUE(config->access.channels.empty());
    EXPECT_EQ(config->access.default_role, Role::viewer);
}

TEST(PublicDefaultSecret, TheContainerShipsTheProductionExample) {
    std::ifstream in(std::string(HPOPS_SOURCE_DIR) + "/deploy/Dockerfile");
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_NE(text.str().find("COPY deploy/examples/production.yaml /etc/hpops/hpops.yaml"), std::string::npos);
    EXPECT_EQ(text.str().find("local.yaml"), std::string::npos);
}
