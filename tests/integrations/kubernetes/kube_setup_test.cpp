#include "integrations/kubernetes/kube_setup.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "bot/config_loader.hpp"
#include "integrations/http/curl_client.hpp"
#include "integrations/kubernetes/kubeconfig.hpp"

// The `kubernetes:` config section and the client it sets up.

namespace hpops::integrations::kubernetes {
namespace {

const std::map<std::string, std::string> no_env;

std::vector<std::string> problems(const std::string& yaml) {
    try {
        bot::load_config_text("slack: {signing_secret: s}\n" + yaml, "t.yaml", &no_env);
        return {};
    } catch (const bot::ConfigError& e) {
        return e.problems();
    }
}

TEST(KubernetesSection, DefaultsAndValues) {
    auto config = bot::load_config_text("slack: {signing_secret: s}\n", "t.yaml", &no_env);
    EXPECT_FALSE(config->kubernetes.enabled);
    config = bot::load_config_text("slack: {signing_secret: s}\nkubernetes:\n  namespace: ml\n  gpu_confirm_threshold: 16\n"
                                   "  vllm_image: my/vllm:1\n  poll_interval: 2s\n",
                                   "t.yaml", &no_env);
    EXPECT_TRUE(config->kubernetes.enabled);
    EXPECT_EQ(config->kubernetes.namespace_name, "ml");
    EXPECT_EQ(config->kubernetes.gpu_confirm_threshold, 16);
    EXPECT_EQ(config->kubernetes.vllm_image, "my/vllm:1");
    EXPECT_EQ(config->kubernetes.poll_interval, std::chrono::seconds(2));
}

TEST(KubernetesSection, MistakesAreReportedWithTheirLine) {
    EXPECT_EQ(problems("kubernetes:\n  kubeconfg: x\n").at(0).substr(0, 32), "t.yaml:3:3: unknown key `kuberne");
    EXPECT_NE(problems("kubernetes:\n  kubeconfig: /nonexistent/kc\n").at(0).find("is not a file"), std::string::npos);
    EXPECT_NE(problems("kubernetes:\n  in_cluster: true\n  context: x\n").at(0).find("in_cluster uses the pod's"),
              std::string::npos);
    EXPECT_FALSE(problems("kubernetes:\n  max_gpus_per_replica: 0\n").empty());
}

TEST(KubernetesSection, EksTokensNeedAwsAndOtherwiseTheKubeconfigDecides) {
    const auto dir = std::filesystem::temp_directory_path() / ("hpops-kube-setup-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto kubeconfig = (dir / "kc").string();
    std::ofstream(kubeconfig) << "current-context: x\nclusters: [{name: c, cluster: {server: 'https://h:6443/'}}]\n"
                                 "users: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, "
                                 "user: u, namespace: team}}]\n";
    CurlClient http(1);
    auto config = bot::load_config_text("slack: {signing_secret: s}\nkubernetes: {kubeconfig: " + kubeconfig + "}\n",
                                        "t.yaml", &no_env);
    const EnvLookup env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
    auto kube = make_kube(http, *config, env, nullptr);
    EXPECT_EQ(kube->server(), "https://h:6443");
    EXPECT_EQ(kube->default_namespace(), "team");
    config = bot::load_config_text("slack: {signing_secret: s}\nkubernetes: {kubeconfig: " + kubeconfig +
                                       ", eks_cluster: demo}\n",
                                   "t.yaml", &no_env);
    EXPECT_THROW(make_kube(http, *config, env, nullptr), KubeconfigError);
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace hpops::integrations::kubernetes
