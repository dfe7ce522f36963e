#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "integrations/http/curl_client.hpp"
#include "integrations/kubernetes/kube_client.hpp"
#include "tests/integrations/kubernetes/kube_peer_process.hpp"
#include "tests/support/run_sync.hpp"

// The Kube client against a real kube-apiserver + etcd (tests/peers/kube_peer.py).

namespace hpops::integrations::kubernetes {
namespace {

using hpops::testing::run_sync;
using nlohmann::json;

hpops::testing::KubePeerProcess& peer() {
    static hpops::testing::KubePeerProcess instance;
    return instance;
}

class KubeLoopback : public ::testing::Test {
protected:
    void SetUp() override {
        ns_ = "c" + std::to_string(counter_++) + "-" + std::to_string(::getpid());
        auto kube = admin();
        run_sync(kube->apply(kube::namespaces, "", json{{"metadata", {{"name", ns_}}}}));
    }

    std::unique_ptr<KubeClient> client(KubeConnection connection) {
        std::unique_ptr<KubeCredentials> credentials;
        if (connection.exec) credentials = std::make_unique<ExecCredentials>(*connection.exec, connection.tls);
        else if (!connection.token_file.empty())
            credentials = std::make_unique<TokenFileCredentials>(connection.token_file, connection.tls);
        else credentials = std::make_unique<StaticCredentials>(KubeCredential{connection.token, connection.tls});
        return std::make_unique<KubeClient>(http_, std::move(connection), std::move(credentials));
    }
    std::unique_ptr<KubeClient> admin(const std::string& context = {}) {
        return client(load_kubeconfig({peer().kubeconfig()}, context));
    }
    json config_map(const std::string& name, const std::string& tier) {
        return {{"metadata", {{"name", name}, {"labels", {{"tier", tier}}}}}, {"data", {{"k", name}}}};
    }

    CurlClient http_{2};
    std::string ns_;
    static inline int counter_ = 0;
};

const KubeResource config_maps{"", "v1", "configmaps", "ConfigMap"};

// In the order the pages held them (the API server lists by name).
std::vector<std::string> names_of(const KubeList& list) {
    std::vector<std::string> names;
    for (const auto& item : list.items) names.push_back(item["metadata"].value("name", ""));
    return names;
}

TEST_F(KubeLoopback, ServerSideApplyCreatesThenUpdatesAsFieldManagerHpops) {
    auto kube = admin();
    json created = run_sync(kube->apply(config_maps, ns_, config_map("a", "x")));
    EXPECT_EQ(created["metadata"]["namespace"], ns_);
    json again = config_map("a", "y");
    json updated = run_sync(kube->apply(config_maps, ns_, again));
    EXPECT_EQ(updated["metadata"]["labels"]["tier"], "y");
    EXPECT_EQ(updated["metadata"]["managedFields"][0]["manager"], "hpops");
    EXPECT_EQ(updated["metadata"]["managedFields"][0]["operation"], "Apply");
    auto got = run_sync(kube->get(config_maps, ns_, "a"));
    ASSERT_TRUE(got);
    EXPECT_EQ((*got)["data"]["k"], "a");
    EXPECT_FALSE(run_sync(kube->get(config_maps, ns_, "missing")));
}

TEST_F(KubeLoopback, ListFollowsContinueAndFiltersByLabel) {
    auto kube = admin();
    for (int i = 0; i < 7; ++i) run_sync(kube->apply(config_maps, ns_, config_map("m" + std::to_string(i), i % 2 ? "odd" : "even")));
    KubeListOptions options;
    options.page_size = 2;  // four pages
    // No controller-manager publishes kube-root-ca.crt here: the namespace holds exactly these.
    const KubeList all = run_sync(kube->list(config_maps, ns_, options));
    // Names, not a count, so a failure shows what the pages held.
    EXPECT_EQ(names_of(all), (std::vector<std::string>{"m0", "m1", "m2", "m3", "m4", "m5", "m6"}));
    EXPECT_FALSE(all.resource_version.empty());
    options.label_selector = "tier=odd";
    const KubeList odd = run_sync(kube->list(config_maps, ns_, options));
    EXPECT_EQ(names_of(odd), (std::vector<std::string>{"m1", "m3", "m5"}));
}

TEST_F(KubeLoopback, DeleteSaysWhetherSomethingWasThere) {
    auto kube = admin();
    run_sync(kube->apply(config_maps, ns_, config_map("d", "x")));
    EXPECT_TRUE(run_sync(kube->remove(config_maps, ns_, "d", "Background")));
    EXPECT_FALSE(run_sync(kube->remove(config_maps, ns_, "d", "Background")));
    EXPECT_FALSE(run_sync(kube->get(config_maps, ns_, "d")));
}

TEST_F(KubeLoopback, WatchReturnsChangesAfterAResourceVersion) {
    auto kube = admin();
    const KubeList before = run_sync(kube->list(config_maps, ns_, {}));
    run_sync(kube->apply(config_maps, ns_, config_map("w", "1")));
    run_sync(kube->apply(config_maps, ns_, config_map("w", "2")));
    KubeWatch seen = run_sync(kube->watch(config_maps, ns_, {}, before.resource_version, std::chrono::seconds(1)));
    ASSERT_EQ(seen.events.size(), 2u);
    EXPECT_EQ(seen.events[0].type, "ADDED");
    EXPECT_EQ(seen.events[1].type, "MODIFIED");
    EXPECT_EQ(seen.events[1].object["metadata"]["labels"]["tier"], "2");
    EXPECT_NE(seen.resource_version, before.resource_version);
}

TEST_F(KubeLoopback, StatusErrorsBecomeTypedErrorsWithTheServersMessage) {
    auto kube = admin();
    json bad = config_map("Not_Valid", "x");
    try {
        run_sync(kube->apply(config_maps, ns_, bad));
        FAIL();
    } catch (const KubeError& e) {
        EXPECT_EQ(e.code(), "Invalid");
        EXPECT_EQ(e.http_status(), 422);
        EXPECT_NE(e.upstream_message().find("Not_Valid"), std::string::npos) << e.upstream_message();
    }
    // A user the API server knows nothing about: 401, after one retry with fresh credentials.
    KubeConnection stranger = load_kubeconfig({peer().kubeconfig()});
    stranger.token = "not-a-token";
    try {
        run_sync(client(stranger)->list(config_maps, ns_, {}));
        FAIL();
    } catch (const KubeError& e) {
        EXPECT_EQ(e.code(), "Unauthorized");
        EXPECT_EQ(e.http_status(), 401);
    }
}

TEST_F(KubeLoopback, ClientCertificateContextAuthenticates) {
    auto kube = admin("admin-cert");
    EXPECT_NO_THROW(run_sync(kube->apply(config_maps, ns_, config_map("cert", "x"))));
}

TEST_F(KubeLoopback, ExecPluginContextAuthenticates) {
    const std::string dir = std::filesystem::temp_directory_path() / ("hpops-exec-" + ns_);
    std::filesystem::create_directories(dir);
    const std::string script = std::string(HPOPS_SOURCE_DIR) + "/tests/integrations/kubernetes/exec_credential.sh";
    json config = json::parse(std::ifstream(peer().kubeconfig()));
    config["users"].push_back({{"name", "exec"},
                               {"user", {{"exec", {{"apiVersion", "client.authentication.k8s.io/v1"},
                                                   {"command", script},
                                                   {"args", {peer().admin_token()}}}}}}});
    config["contexts"].push_back({{"name", "exec"}, {"context", {{"cluster", "peer"}, {"user", "exec"}}}});
    std::ofstream(dir + "/kubeconfig") << config.dump();
    auto kube = client(load_kubeconfig({dir + "/kubeconfig"}, "exec"));
    EXPECT_NO_THROW(run_sync(kube->apply(config_maps, ns_, config_map("exec", "x"))));
    std::filesystem::remove_all(dir);
}

TEST_F(KubeLoopback, RotatedTokenFileIsReadAgainAfterA401) {
    const std::string path = std::filesystem::temp_directory_path() / ("hpops-token-" + ns_);
    std::ofstream(path) << "stale-token\n";
    KubeConnection connection = load_kubeconfig({peer().kubeconfig()});
    connection.token.clear();
    connection.token_file = path;
    auto kube = client(connection);
    EXPECT_THROW(run_sync(kube->list(config_maps, ns_, {})), KubeError);
    std::ofstream(path) << peer().admin_token() << "\n";  // the kubelet rotated it
    EXPECT_NO_THROW(run_sync(kube->list(config_maps, ns_, {})));
    std::filesystem::remove(path);
}

TEST_F(KubeLoopback, WrongCaOrDeadServerIsUnreachableNotAHang) {
    KubeConnection connection = load_kubeconfig({peer().kubeconfig()});
    auto tls = std::make_shared<TlsOptions>(*connection.tls);
    tls->ca_pem.clear();  // the system CAs do not know the test CA
    connection.tls = tls;
    try {
        run_sync(client(connection)->list(config_maps, ns_, {}));
        FAIL();
    } catch (const KubeError& e) {
        EXPECT_EQ(e.code(), "Unreachable");
        EXPECT_NE(e.upstream_message().find(peer().server()), std::string::npos);
    }
}

}  // namespace
}  // namespace hpops::integrations::kubernetes
