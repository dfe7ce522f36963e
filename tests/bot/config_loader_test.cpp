#include "bot/config_loader.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "common/config_values.hpp"
#include "tests/bot/config_test_support.hpp"

namespace hpops::bot {
namespace {

using namespace std::chrono_literals;

TEST(ConfigLoader, ExampleFileLoadsAsDocumented) {
    const Env env;  // nothing set: every ${...:-default} applies
    const ConfigPtr c = load_config_text(read_file(example_path()), example_path(), &env);
    EXPECT_EQ(c->server.host, "127.0.0.1");
    EXPECT_EQ(c->server.port, 8080);
    EXPECT_EQ(c->server.threads, 2);
    EXPECT_TRUE(c->server.tls_cert_file.empty());
    EXPECT_EQ(c->server.body_limit, 1024u * 1024u);
    EXPECT_EQ(c->server.header_timeout, 10s);
    EXPECT_EQ(c->server.idle_timeout, 60s);
    EXPECT_EQ(c->server.max_connections, 0u);  // from the descriptor limit
    EXPECT_EQ(c->server.max_body_bytes_in_flight, 64u << 20);
    EXPECT_EQ(c->server.max_replay_signatures, 1'000'000u);
    EXPECT_EQ(c->slack.signing_secret, "local-dev-signing-secret");
    EXPECT_EQ(c->slack.bot_token, "");
    EXPECT_EQ(c->slack.timestamp_tolerance, 300s);
    EXPECT_EQ(c->slack.inline_budget, 1500ms);
    EXPECT_EQ(c->access.default_role, Role::viewer);
    EXPECT_EQ(c->access.users, (std::map<std::string, Role>{{"U0LOCALADMIN", Role::admin}}));
    EXPECT_EQ(c->access.channels, (std::map<std::string, Role>{{"C0GPUOPS", Role::operator_}}));
    EXPECT_EQ(c->store.path, "hpops-local.db");
    EXPECT_EQ(c->confirm.ttl, 300s);
    EXPECT_EQ(c->confirm.secret, "");
    EXPECT_EQ(c->limits.min_count, 0);
    EXPECT_EQ(c->limits.max_count, 100);
    EXPECT_DOUBLE_EQ(c->limits.scale_down_confirm_share, 0.5);
    EXPECT_EQ(c->mlflow.tracking_uri, "");
    EXPECT_EQ(c->mlflow.token, "");
    EXPECT_EQ(c->mlflow.ui_url, "");
    EXPECT_EQ(c->mlflow.sagemaker_endpoint, "");
    EXPECT_EQ(c->mlflow.timeout, 10s);
    EXPECT_EQ(c->clusters.template_url, "");
    EXPECT_EQ(c->clusters.poll_interval, 15s);
    EXPECT_EQ(c->clusters.launch_timeout, 3h);
    EXPECT_EQ(c->clusters.kubeconfig, "");
    EXPECT_FALSE(c->clusters.configure_kubernetes) << "the local stand-in's EKS has no API server";
    EXPECT_DOUBLE_EQ(c->clusters.hourly_prices.at("ml.g5.8xlarge"), 2.448);
    EXPECT_EQ(c->log_level, "info");
    EXPECT_EQ(c->log_format, "text");
    EXPECT_EQ(c->source, example_path());
}

TEST(ConfigLoader, ExampleFilePassesCheckConfigWithTheRealEnvironment) {
    EXPECT_EQ(check_config(example_path()), std::vector<std::string>{});
    EXPECT_EQ(load_config(example_path())->source, example_path());
}

TEST(ConfigLoader, EmptyDocumentMeansDefaults) {
    const ConfigPtr c = load_config_text("", "t.yaml", &kSecretEnv);
    EXPECT_EQ(c->server.port, 8080);
    EXPECT_EQ(c->slack.signing_secret, "from-env-secret");
}

TEST(ConfigLoader, UnknownKeysAreReportedWithTheirLine) {
    const auto p = problems_of(
        "server:\n"
        "  listen: 127.0.0.1:9000\n"
        "  thrads: 4\n"
        "slak:\n"
        "  bot_token: x\n"
        "log:\n"
        "  level: info\n"
        "  colour: true\n");
    ASSERT_EQ(p.size(), 3u) << joined(p);
    EXPECT_EQ(p[0], "t.yaml:3:3: unknown key `server.thrads` (expected one of: listen, threads, tls, body_limit, "
                    "webhook_body_limit, header_timeout, idle_timeout, shutdown_grace, max_connections, "
                    "max_body_bytes_in_flight, max_replay_signatures); did you mean `threads`?");
    EXPECT_EQ(p[1], "t.yaml:4:1: unknown key `slak` (expected one of: server, slack, access, store, confirm, limits, "
                    "aws, mlflow, log, kubernetes, alerts, clusters, digests, approvals); did you mean `slack`?");
    EXPECT_EQ(p[2], "t.yaml:8:3: unknown key `log.colour` (expected one of: level, format)");
}

TEST(ConfigLoader, ReportsEveryProblemAtOnce) {
    const auto p = problems_of(
        "server:\n"
        "  threads: 0\n"
        "  header_timeout: 10\n"
        "  body_limit: 32MiB\n"
        "access:\n"
        "  default_role: superuser\n"
        "  users:\n"
        "    U1: admn\n"
        "limits:\n"
        "  min_count: 10\n"
        "  max_count: 5\n"
        "  scale_down_confirm_share: 1.5\n"
        "log:\n"
        "  level: verbose\n");
    const std::vector<std::string> expected_prefixes = {
        "t.yaml:2:12: server.threads: expected an integer in 1..64, found `0`",
        "t.yaml:4:15: server.body_limit: expected a size in 1KiB..16MiB, found `32MiB`",
        "t.yaml:3:19: server.header_timeout: expected a duration such as 10s, 500ms or 2m, found `10`",
        "t.yaml:6:17: access.default_role: expected one of none, viewer, operator, admin, found `superuser`",
        "t.yaml:8:9: access.users.U1: expected one of none, viewer, operator, admin, found `admn`; did you mean `admin`?",
        "t.yaml:11:14: limits.max_count: min_count (10) is greater than max_count (5)",
        "t.yaml:12:29: limits.scale_down_confirm_share: expected a number in 0..1, found `1.5`",
        "t.yaml:14:10: log.level: expected one of trace, debug, info, warn, error, found `verbose`",
    };
    ASSERT_EQ(p.size(), expected_prefixes.size()) << joined(p);
    for (const auto& want : expected_prefixes)
        EXPECT_NE(std::find(p.begin(), p.end(), want), p.end()) << "missing: " << want << "\ngot:\n" << joined(p);
}

TEST(ConfigLoader, WhatJoinsAllProblems) {
    const Env env = kSecretEnv;
    try {
        load_config_text("server: {threads: 99}\nlog: {level: loud}\n", "t.yaml", &env);
        FAIL() << "loaded";
    } catch (const ConfigError& e) {
        ASSERT_EQ(e.problems().size(), 2u);
        EXPECT_EQ(std::string(e.what()), e.problems()[0] + "\n" + e.problems()[1]);
    }
}

TEST(ConfigLoader, RejectsBadDurationsSizesAndPorts) {
    struct Case {
        std::string yaml;
        std::string message;
    };
    const std::vector<Case> cases = {
        {"server: {idle_timeout: 5 parsecs}", "server.idle_timeout: expected a duration such as 10s"},
        {"server: {idle_timeout: 1.5s}", "server.idle_timeout: expected a duration"},
        {"server: {idle_timeout: -1s}", "server.idle_timeout: expected a duration"},
        {"server: {shutdown_grace: 11m}", "server.shutdown_grace: expected a duration in 0ms..10m, found `11m`"},
        {"slack: {inline_budget: 3s}", "slack.inline_budget: expected a duration in 0ms..2900ms, found `3s`"},
        {"slack: {timestamp_tolerance: 1500ms}", "slack.timestamp_tolerance: must be a whole number of seconds"},
        {"server: {body_limit: 1 TB}", "server.body_limit: expected a size such as 1MiB"},
        {"server: {body_limit: 16777217}", "server.body_limit: expected a size in 1KiB..16MiB"},
        {"server: {max_connections: 0}", "server.max_connections: expected an integer in 1..1000000, found `0`"},
        {"server: {max_body_bytes_in_flight: 8MiB}",
         "server.max_body_bytes_in_flight: must be at least body_limit and webhook_body_limit (16777216 bytes)"},
        {"server: {max_replay_signatures: 10}", "server.max_replay_signatures: expected an integer in 1000..1000000000"},
        {"server: {listen: 127.0.0.1:0}", "server.listen: `127.0.0.1:0`: the port must be a number in 1..65535"},
        {"server: {listen: 127.0.0.1:65536}", "the port must be a number in 1..65535"},
        {"server: {listen: localhost}", "expected HOST:PORT"},
        {"server: {listen: \"::1:8080\"}", "write IPv6 addresses in brackets"},
        {"server: {listen: \":8080\"}", "the host is empty"},
        {"server: {threads: many}", "server.threads: expected an integer in 1..64, found `many`"},
        {"server: {threads: [1, 2]}", "server.threads: expected an integer in 1..64, found a list"},
        {"server: [listen]", "server: expected a mapping with keys listen"},
    };
    for (const auto& c : cases) {
        const auto p = problems_of(c.yaml + "\n");
        ASSERT_EQ(p.size(), 1u) << c.yaml << "\n" << joined(p);
        EXPECT_NE(p[0].find(c.message), std::string::npos) << c.yaml << "\ngot: " << p[0];
        EXPECT_EQ(p[0].rfind("t.yaml:1:", 0), 0u) << p[0];
    }
}

TEST(ConfigLoader, AcceptsBracketedIpv6AndSizeForms) {
    const ConfigPtr c = load_config_text(
        "server:\n  listen: \"[::1]:9443\"\n  body_limit: 512KiB\n  header_timeout: 1m30s\n", "t.yaml", &kSecretEnv);
    EXPECT_EQ(c->server.host, "::1");
    EXPECT_EQ(c->server.port, 9443);
    EXPECT_EQ(c->server.body_limit, 512u * 1024u);
    EXPECT_EQ(c->server.header_timeout, 90s);
    const ConfigPtr plain = load_config_text("server: {body_limit: 2000000}\n", "t.yaml", &kSecretEnv);
    EXPECT_EQ(plain->server.body_limit, 2000000u);
}

TEST(ConfigLoader, SubstitutesEnvironmentVariables) {
    // Beyond loopback the secret must be as long as Slack's (public_exposure.hpp).
    const Env env{{"SLACK_SIGNING_SECRET", std::string(32, 's')}, {"PORT", "9100"}, {"DB_DIR", "/var/lib/hpops"},
                  {"EMPTY", ""}};
    const ConfigPtr c = load_config_text(
        "server:\n"
        "  listen: 0.0.0.0:${PORT}\n"
        "  threads: ${THREADS:-3}\n"
        "store:\n"
        "  path: ${DB_DIR}/hpops.db\n"
        "log:\n"
        "  level: ${EMPTY:-debug}\n"
        "confirm:\n"
        "  secret: \"$${not-a-variable}-padding-to-32-characters\"\n",
        "t.yaml", &env);
    EXPECT_EQ(c->server.host, "0.0.0.0");
    EXPECT_EQ(c->server.port, 9100);
    EXPECT_EQ(c->server.threads, 3);
    EXPECT_EQ(c->store.path, "/var/lib/hpops/hpops.db");
    EXPECT_EQ(c->log_level, "debug");
    EXPECT_EQ(c->confirm.secret, "${not-a-variable}-padding-to-32-characters");
}

TEST(ConfigLoader, UnsetVariableWithoutDefaultIsAProblemWithItsLine) {
    const auto p = problems_of(
        "store:\n"
        "  path: ${DB_DIR}/hpops.db\n"
        "server:\n"
        "  listen: ${HOST:-127.0.0.1}:${PORT}\n"
        "  threads: ${T\n");
    ASSERT_EQ(p.size(), 3u) << joined(p);
    EXPECT_EQ(p[0], "t.yaml:2:9: store.path: ${DB_DIR} is not set and has no default (write ${DB_DIR:-value} for one)");
    EXPECT_EQ(p[1], "t.yaml:4:11: server.listen: ${PORT} is not set and has no default (write ${PORT:-value} for one)");
    EXPECT_EQ(p[2], "t.yaml:5:12: server.threads: `${` without a closing `}`");
}

TEST(ConfigLoader, EnvironmentOverridesSlackSecrets) {
    const std::string yaml = "slack:\n  signing_secret: file-secret\n  bot_token: xoxb-file\n";
    const Env both{{"SLACK_SIGNING_SECRET", "env-secret"}, {"SLACK_BOT_TOKEN", "xoxb-env"}};
    const ConfigPtr a = load_config_text(yaml, "t.yaml", &both);
    EXPECT_EQ(a->slack.signing_secret, "env-secret");
    EXPECT_EQ(a->slack.bot_token, "xoxb-env");
    // Set but empty does not override: an empty export is usually an accident.
    const Env empty{{"SLACK_SIGNING_SECRET", ""}, {"SLACK_BOT_TOKEN", ""}};
    const ConfigPtr b = load_config_text(yaml, "t.yaml", &empty);
    EXPECT_EQ(b->slack.signing_secret, "file-secret");
    EXPECT_EQ(b->slack.bot_token, "xoxb-file");
}

TEST(ConfigLoader, EmptySigningSecretIsAProblemUnlessAllowed) {
    const Env none;
    const auto p = problems_of("slack:\n  bot_token: x\n  signing_secret: \"\"\n", none);
    ASSERT_EQ(p.size(), 1u) << joined(p);
    EXPECT_EQ(p[0], "t.yaml:3:19: slack.signing_secret is empty: set it in the file or SLACK_SIGNING_SECRET");
    const auto absent = problems_of("log: {level: info}\n", none);
    ASSERT_EQ(absent.size(), 1u);
    EXPECT_EQ(absent[0], "t.yaml:1:1: slack.signing_secret is empty: set it in the file or SLACK_SIGNING_SECRET");

    const ConfigPtr c = load_config_text("log: {level: info}\n", "t.yaml", &none, LoadOptions{.require_slack_secret = false});
    EXPECT_EQ(c->slack.signing_secret, "");
}

TEST(ConfigLoader, NeverEchoesSecrets) {
    const Env none;
    const auto p = problems_of(
        "slack:\n"
        "  signing_secret: [hunter2-signing]\n"
        "  bot_token: \"${xoxb-hunter2-token\"\n"
        "confirm:\n"
        "  secret: hunter2short\n",
        none);
    // The unreadable secret is not also reported as empty.
    ASSERT_EQ(p.size(), 3u) << joined(p);
    EXPECT_EQ(p[0], "t.yaml:2:19: slack.signing_secret: expected a string, found a list");
    EXPECT_EQ(p[1], "t.yaml:3:14: slack.bot_token: malformed ${...} reference");
    EXPECT_EQ(p[2], "t.yaml:5:11: confirm.secret: is shorter than 16 bytes (leave it empty to derive one)");
    EXPECT_EQ(joined(p).find("hunter2"), std::string::npos) << joined(p);
}

TEST(ConfigLoader, TlsNeedsBothFilesAndTheyMustExist) {
    const auto only_cert = problems_of("server:\n  tls:\n    cert: /nonexistent/cert.pem\n");
    ASSERT_EQ(only_cert.size(), 1u) << joined(only_cert);
    EXPECT_EQ(only_cert[0], "t.yaml:3:5: server.tls: set both `cert` and `key`, or neither (plain HTTP behind a TLS proxy)");

    const auto missing = problems_of("server:\n  tls: {cert: /nonexistent/c.pem, key: /nonexistent/k.pem}\n");
    ASSERT_EQ(missing.size(), 2u) << joined(missing);
    EXPECT_EQ(missing[0].rfind("t.yaml:2:15: server.tls.cert: `/nonexistent/c.pem` is not a file", 0), 0u) << missing[0];
    EXPECT_EQ(missing[1].rfind("t.yaml:2:40: server.tls.key: `/nonexistent/k.pem` is not a file", 0), 0u) << missing[1];

    const auto dir = std::filesystem::temp_directory_path() / ("hpops_tls_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "c.pem") << "cert";
    std::ofstream(dir / "k.pem") << "key";
    const ConfigPtr c = load_config_text("server:\n  tls:\n    cert: " + (dir / "c.pem").string() + "\n    key: " +
                                             (dir / "k.pem").string() + "\n",
                                         "t.yaml", &kSecretEnv);
    EXPECT_EQ(c->server.tls_cert_file, (dir / "c.pem").string());
    EXPECT_EQ(c->server.tls_key_file, (dir / "k.pem").string());
    std::filesystem::remove_all(dir);
}

TEST(ConfigLoader, DuplicateKeysAndRoleGroupingAreRejected) {
    const auto p = problems_of(
        "server:\n"
        "  threads: 2\n"
        "  threads: 3\n"
        "access:\n"
        "  roles:\n"
        "    admin: {users: [U1]}\n"
        "  users:\n"
        "    U1: admin\n"
        "    U1: viewer\n");
    ASSERT_EQ(p.size(), 3u) << joined(p);
    EXPECT_EQ(p[0], "t.yaml:3:3: key `server.threads` appears more than once");
    EXPECT_EQ(p[1].rfind("t.yaml:6:5: access.roles: grouping by role is not supported", 0), 0u) << p[1];
    EXPECT_EQ(p[2], "t.yaml:9:5: access.users: `U1` appears more than once");
}

TEST(ConfigLoader, YamlSyntaxErrorsHaveALine) {
    const auto p = problems_of("server:\n  listen: [1, 2\nlog: {}\n");
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0].rfind("t.yaml:", 0), 0u);
    EXPECT_NE(p[0].find("YAML syntax: end of sequence flow not found"), std::string::npos) << p[0];
}

TEST(ConfigLoader, TopLevelMustBeAMapping) {
    const auto p = problems_of("- server\n");
    ASSERT_EQ(p.size(), 1u) << joined(p);
    EXPECT_EQ(p[0], "t.yaml:1:1: top level: expected a mapping with keys server, slack, access, store, confirm, "
                    "limits, aws, mlflow, log, kubernetes, alerts, clusters, digests, approvals, found a list");
}

TEST(ConfigLoader, MissingFileIsAConfigError) {
    const auto p = check_config("/nonexistent/hpops.yaml");
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0], "/nonexistent/hpops.yaml:1:1: cannot open: No such file or directory");
    EXPECT_THROW(load_config("/nonexistent/hpops.yaml"), ConfigError);
}

}  // namespace
}  // namespace hpops::bot
