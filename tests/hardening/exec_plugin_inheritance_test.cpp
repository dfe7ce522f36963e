// Finding 13: kubeconfig exec plugins inherited every secret in hpops's
// environment and every socket it had open (Asio's are not close-on-exec).
#include <gtest/gtest.h>

#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "integrations/kubernetes/exec_plugin.hpp"

using namespace hpops::integrations::kubernetes;
namespace fs = std::filesystem;

namespace {

struct Inherited {
    std::string environment;
    bool descriptor_open = false;
};

// Runs the plugin, asking it whether our descriptor `fd` is open in it.
Inherited run_recording_plugin(std::vector<std::pair<std::string, std::string>> kubeconfig_env = {}, int fd = 0) {
    const fs::path record = fs::temp_directory_path() / ("hpops-exec-" + std::to_string(::getpid()));
    ExecPlugin plugin;
    plugin.command = std::string(HPOPS_SOURCE_DIR) + "/tests/hardening/exec_plugin_inheritance.sh";
    plugin.args = {record.string(), std::to_string(fd)};
    plugin.env = std::move(kubeconfig_env);
    const auto result = parse_exec_credential(run_exec_plugin(plugin, std::chrono::seconds(10)), plugin.api_version);
    EXPECT_EQ(result.token, "t");
    std::ifstream in(record);
    std::stringstream text;
    text << in.rdbuf();
    fs::remove(record);
    Inherited out;
    const std::string all = text.str();
    const auto split = all.find("--- fd ");
    out.environment = all.substr(0, split);
    out.descriptor_open = all.find(" open", split) != std::string::npos;
    return out;
}

}  // namespace

TEST(ExecPluginInheritance, SecretsInOurEnvironmentStayHere) {
    ::setenv("SLACK_SIGNING_SECRET", "signing-secret-value", 1);
    ::setenv("SLACK_BOT_TOKEN", "xoxb-token-value", 1);
    ::setenv("MLFLOW_TRACKING_PASSWORD", "mlflow-password-value", 1);
    ::setenv("AWS_REGION", "eu-west-1", 1);
    const auto got = run_recording_plugin({{"FROM_KUBECONFIG", "yes"}});
    for (const char* leaked : {"signing-secret-value", "xoxb-token-value", "mlflow-password-value"})
        EXPECT_EQ(got.environment.find(leaked), std::string::npos) << leaked << " reached the plugin";
    EXPECT_NE(got.environment.find("FROM_KUBECONFIG=yes"), std::string::npos);
    EXPECT_NE(got.environment.find("KUBERNETES_EXEC_INFO="), std::string::npos);
    EXPECT_NE(("\n" + got.environment).find("\nPATH="), std::string::npos) << got.environment;
    // `aws eks get-token` and aws-iam-authenticator read the AWS chain.
    EXPECT_NE(got.environment.find("AWS_REGION=eu-west-1"), std::string::npos);
    for (const char* name : {"SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "MLFLOW_TRACKING_PASSWORD", "AWS_REGION"})
        ::unsetenv(name);
}

TEST(ExecPluginInheritance, OurSocketsAreNotInherited) {
    // As Asio opens them: without SOCK_CLOEXEC.
    const int socket = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(socket, 3);
    const auto got = run_recording_plugin({}, socket);
    ::close(socket);
    EXPECT_FALSE(got.descriptor_open) << "socket " << socket << " was inherited by the plugin";
    // The probe itself works: stdout (its pipe to us) is open in it.
    EXPECT_TRUE(run_recording_plugin({}, 1).descriptor_open);
}
