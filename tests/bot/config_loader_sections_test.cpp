// Sections of their own: log format and two-person approval rules.
#include "bot/config_loader.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "tests/bot/config_test_support.hpp"

namespace hpops::bot {
namespace {

using namespace std::chrono_literals;

TEST(ConfigLoader, LogFormatIsTextOrJsonAndTheEnvironmentWins) {
    EXPECT_EQ(load_config_text("", "t.yaml", &kSecretEnv)->log_format, "text");
    EXPECT_EQ(load_config_text("log: {format: json}\n", "t.yaml", &kSecretEnv)->log_format, "json");
    Env env = kSecretEnv;
    env["HPOPS_LOG_FORMAT"] = "json";
    EXPECT_EQ(load_config_text("log: {format: text}\n", "t.yaml", &env)->log_format, "json");
    env["HPOPS_LOG_FORMAT"] = "";  // set but empty: the file's
    EXPECT_EQ(load_config_text("log: {format: json}\n", "t.yaml", &env)->log_format, "json");

    EXPECT_EQ(problems_of("log:\n  format: logfmt\n"),
              std::vector<std::string>{"t.yaml:2:11: log.format: expected one of text, json, found `logfmt`"});
    env["HPOPS_LOG_FORMAT"] = "JSON";
    EXPECT_EQ(problems_of("log: {level: info}\n", env),
              std::vector<std::string>{"t.yaml:1:6: HPOPS_LOG_FORMAT is `JSON`; expected text or json"});
}

TEST(ConfigLoaderApprovals, RulesAreReadAndAMisspeltCommandIsAProblem) {
    const auto config = load_config_text(R"(approvals:
  ttl: 15m
  rules:
    - name: prod
      commands: [scale nodegroup, cluster delete]
      clusters: [prod-training]
      min_gpus: 16
      min_hourly_cost: 250.5
      approver: admin
    - commands: [nodegroup create]
)", "t.yaml", &kSecretEnv);
    EXPECT_EQ(config->approvals.ttl, std::chrono::minutes(15));
    ASSERT_EQ(config->approvals.rules.size(), 2u);
    const ApprovalRule& prod = config->approvals.rules[0];
    EXPECT_EQ(prod.commands, (std::vector<std::string>{"scale nodegroup", "cluster delete"}));
    EXPECT_EQ(prod.clusters, std::vector<std::string>{"prod-training"});
    EXPECT_EQ(prod.min_gpus, 16);
    EXPECT_DOUBLE_EQ(prod.min_hourly_cost, 250.5);
    EXPECT_EQ(prod.approver, Role::admin);
    EXPECT_EQ(config->approvals.rules[1].name, "rule 2");
    EXPECT_EQ(config->approvals.rules[1].approver, Role::operator_);

    const std::string problems = joined(problems_of(R"(approvals:
  rules:
    - commands: [scale nodgroup, nodegroups]
      approver: viewer
      min_gpus: -1
)"));
    EXPECT_NE(problems.find("no command `scale nodgroup`"), std::string::npos) << problems;
    EXPECT_NE(problems.find("`nodegroups` changes nothing"), std::string::npos) << problems;
    EXPECT_NE(problems.find("an approver is at least an operator"), std::string::npos) << problems;
    EXPECT_NE(problems.find("min_gpus"), std::string::npos) << problems;
}

}  // namespace
}  // namespace hpops::bot
