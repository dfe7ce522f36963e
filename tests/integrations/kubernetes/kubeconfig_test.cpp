#include "integrations/kubernetes/kubeconfig.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/crypto.hpp"
#include "integrations/kubernetes/exec_plugin.hpp"

namespace hpops::integrations::kubernetes {
namespace {

namespace fs = std::filesystem;

class Kubeconfig : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("hpops-kubeconfig-" + std::to_string(::getpid()) + "-" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(dir_ / "sub");
    }
    void TearDown() override { fs::remove_all(dir_); }
    std::string write(const std::string& name, const std::string& text) {
        const auto path = dir_ / name;
        std::ofstream(path) << text;
        return path.string();
    }
    fs::path dir_;
};

std::string b64(std::string_view raw) {
    std::string url = hpops::base64url_encode(raw);
    for (auto& c : url) c = c == '-' ? '+' : c == '_' ? '/' : c;
    while (url.size() % 4) url += '=';
    return url;
}

TEST_F(Kubeconfig, MergesFilesAsKubectlDoesFirstDefinitionWins) {
    const auto a = write("a", R"(
apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: c1
  cluster: {server: "https://first:6443", certificate-authority: sub/ca.pem}
users:
- name: u1
  user: {token: first-token}
contexts:
- name: dev
  context: {cluster: c1, user: u1, namespace: team-a}
)");
    const auto b = write("sub/b", R"(
current-context: prod
clusters:
- name: c1
  cluster: {server: "https://second:6443"}
- name: c2
  cluster: {server: "https://prod:6443/", insecure-skip-tls-verify: true}
users:
- name: u1
  user: {token: second-token}
- name: u2
  user: {tokenFile: token.txt}
contexts:
- name: prod
  context: {cluster: c2, user: u2}
)");
    write("sub/ca.pem", "CA-PEM");
    const auto dev = load_kubeconfig({a, dir_.string() + "/missing", b});
    EXPECT_EQ(dev.context, "dev");  // the first current-context set wins
    EXPECT_EQ(dev.server, "https://first:6443");
    EXPECT_EQ(dev.token, "first-token");
    EXPECT_EQ(dev.namespace_name, "team-a");
    EXPECT_EQ(dev.tls->ca_pem, "CA-PEM");  // relative to the file that named it
    EXPECT_FALSE(dev.tls->insecure_skip_verify);

    const auto prod = load_kubeconfig({a, b}, "prod");
    EXPECT_EQ(prod.server, "https://prod:6443/");
    EXPECT_TRUE(prod.tls->insecure_skip_verify);
    EXPECT_EQ(prod.token_file, (dir_ / "sub" / "token.txt").string());
    EXPECT_EQ(prod.namespace_name, "default");
}

TEST_F(Kubeconfig, ReadsClientCertificatesAndCaAsData) {
    const auto path = write("c", "current-context: x\nclusters: [{name: c, cluster: {server: 'https://h', "
                                 "certificate-authority-data: " + b64("CA DATA\n") + "}}]\n"
                                 "users: [{name: u, user: {client-certificate-data: " + b64("CERT") +
                                 ", client-key-data: " + b64("KEY") + "}}]\n"
                                 "contexts: [{name: x, context: {cluster: c, user: u}}]\n");
    const auto c = load_kubeconfig({path});
    EXPECT_EQ(c.tls->ca_pem, "CA DATA\n");
    EXPECT_EQ(c.tls->client_cert_pem, "CERT");
    EXPECT_EQ(c.tls->client_key_pem, "KEY");
    EXPECT_TRUE(c.token.empty());
}

TEST_F(Kubeconfig, ReadsExecPluginsWithTheirArgvAndEnvironment) {
    const auto path = write("e", R"(
current-context: eks
clusters: [{name: c, cluster: {server: "https://h"}}]
users:
- name: u
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args: [eks, get-token, --cluster-name, "a; rm -rf /"]
      env: [{name: AWS_PROFILE, value: ops}]
contexts: [{name: eks, context: {cluster: c, user: u}}]
)");
    const auto c = load_kubeconfig({path});
    ASSERT_TRUE(c.exec);
    EXPECT_EQ(c.exec->command, "aws");
    EXPECT_EQ(c.exec->args, (std::vector<std::string>{"eks", "get-token", "--cluster-name", "a; rm -rf /"}));
    EXPECT_EQ(c.exec->env.at(0), (std::pair<std::string, std::string>{"AWS_PROFILE", "ops"}));
    EXPECT_EQ(c.exec->api_version, "client.authentication.k8s.io/v1beta1");
    EXPECT_EQ(c.exec->base_dir, dir_.string());
}

TEST_F(Kubeconfig, SaysWhatIsWrong) {
    const auto path = write("w", "current-context: nope\ncontexts: [{name: a, context: {cluster: c}}, {name: b, "
                                 "context: {cluster: gone}}]\nclusters: [{name: c, cluster: {}}]\n");
    EXPECT_THROW(load_kubeconfig({}), KubeconfigError);
    try {
        load_kubeconfig({path});
        FAIL();
    } catch (const KubeconfigError& e) {
        EXPECT_STREQ(e.what(), "no context `nope` in the kubeconfig (contexts: a, b)");
    }
    try {
        load_kubeconfig({path}, "b");
        FAIL();
    } catch (const KubeconfigError& e) {
        EXPECT_STREQ(e.what(), "context `b` names cluster `gone`, which is not defined");
    }
    try {
        load_kubeconfig({path}, "a");
        FAIL();
    } catch (const KubeconfigError& e) {
        EXPECT_STREQ(e.what(), "cluster `c` has no server");
    }
    EXPECT_THROW(load_kubeconfig({write("bad", "clusters: [\n")}), KubeconfigError);
}

TEST(KubeconfigPaths, KubeconfigVariableElseHome) {
    std::map<std::string, std::string> env{{"HOME", "/home/u"}};
    auto lookup = [&env](const std::string& n) -> std::optional<std::string> {
        auto it = env.find(n);
        return it == env.end() ? std::nullopt : std::optional(it->second);
    };
    EXPECT_EQ(kubeconfig_paths(lookup), std::vector<std::string>{"/home/u/.kube/config"});
    env["KUBECONFIG"] = "/a::/b";
    EXPECT_EQ(kubeconfig_paths(lookup), (std::vector<std::string>{"/a", "/b"}));
    EXPECT_EQ(kubeconfig_paths(lookup, "/explicit"), std::vector<std::string>{"/explicit"});
}

TEST_F(Kubeconfig, FilesItNamesMustBeSmallRegularFiles) {
    // Seen while writing the kubeconfig fuzz target: a CA path to a device read forever.
    const auto path = write("dev", R"(
current-context: c
contexts: [{name: c, context: {cluster: k, user: u}}]
clusters: [{name: k, cluster: {server: "https://k:6443", certificate-authority: /dev/zero}}]
users: [{name: u, user: {token: t}}]
)");
    try {
        load_kubeconfig({path});
        FAIL();
    } catch (const KubeconfigError& e) {
        EXPECT_NE(std::string(e.what()).find("/dev/zero`: not a regular file"), std::string::npos) << e.what();
    }
    write("big.pem", std::string(5 * 1024 * 1024, 'x'));
    EXPECT_THROW(read_file((dir_ / "big.pem").string()), KubeconfigError);
}

TEST_F(Kubeconfig, InClusterReadsTheServiceAccountFiles) {
    write("sub/token", "tok\n");
    write("sub/ca.crt", "CA");
    write("sub/namespace", "ml\n");
    std::map<std::string, std::string> env{{"KUBERNETES_SERVICE_HOST", "10.0.0.1"}, {"KUBERNETES_SERVICE_PORT", "443"}};
    auto lookup = [&env](const std::string& n) -> std::optional<std::string> {
        auto it = env.find(n);
        return it == env.end() ? std::nullopt : std::optional(it->second);
    };
    const auto c = in_cluster_connection(lookup, (dir_ / "sub").string());
    EXPECT_EQ(c.server, "https://10.0.0.1:443");
    EXPECT_EQ(c.token_file, (dir_ / "sub" / "token").string());
    EXPECT_EQ(c.tls->ca_pem, "CA");
    EXPECT_EQ(c.namespace_name, "ml");
    env.clear();
    EXPECT_THROW(in_cluster_connection(lookup, (dir_ / "sub").string()), KubeconfigError);
}

const std::string plugin_script = std::string(HPOPS_SOURCE_DIR) + "/tests/integrations/kubernetes/exec_credential.sh";

TEST_F(Kubeconfig, ExecPluginGetsArgvVerbatimNoShellAndItsEnvironment) {
    ExecPlugin plugin;
    plugin.command = plugin_script;
    const std::string record = (dir_ / "record").string();
    plugin.args = {"tok-1", "$(touch " + (dir_ / "pwned").string() + ")", "a b;c"};
    plugin.env = {{"RECORD", record}, {"EXTRA", "from kubeconfig"}};
    const auto result = parse_exec_credential(run_exec_plugin(plugin, std::chrono::seconds(10)), plugin.api_version);
    EXPECT_EQ(result.token, "tok-1");
    ASSERT_TRUE(result.expires);
    std::ifstream in(record);
    std::string all((std::istreambuf_iterator<char>(in)), {});
    EXPECT_NE(all.find("$(touch "), std::string::npos) << all;
    EXPECT_NE(all.find("a b;c\n"), std::string::npos);
    EXPECT_NE(all.find("EXTRA=from kubeconfig"), std::string::npos);
    EXPECT_NE(all.find(R"(INFO={"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"interactive":false}})"),
              std::string::npos) << all;
    EXPECT_FALSE(fs::exists(dir_ / "pwned")) << "an argument reached a shell";
}

TEST_F(Kubeconfig, ExecPluginFailuresAreExplained) {
    ExecPlugin plugin;
    plugin.command = plugin_script;
    plugin.args = {"--fail"};
    try {
        run_exec_plugin(plugin, std::chrono::seconds(10));
        FAIL();
    } catch (const KubeconfigError& e) {
        EXPECT_NE(std::string(e.what()).find("exited with 3: plugin: not logged in"), std::string::npos) << e.what();
    }
    plugin.args = {"--hang"};
    const auto started = std::chrono::steady_clock::now();
    EXPECT_THROW(run_exec_plugin(plugin, std::chrono::milliseconds(300)), KubeconfigError);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
    plugin.command = "hpops-no-such-plugin";
    EXPECT_THROW(run_exec_plugin(plugin, std::chrono::seconds(1)), KubeconfigError);
    EXPECT_THROW(parse_exec_credential(R"({"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1"})",
                                       "client.authentication.k8s.io/v1"),
                 KubeconfigError);
}

}  // namespace
}  // namespace hpops::integrations::kubernetes
