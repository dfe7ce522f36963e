// Reading operators' kinds: served or not, fields left out or null, and the
// cluster's name in messages.
#include "handlers/kube_custom.hpp"

#include <gtest/gtest.h>

#include "hpops/errors.hpp"
#include "tests/support/fake_kube.hpp"
#include "tests/support/run_sync.hpp"

namespace hpops::handlers {
namespace {

using nlohmann::json;
const KubeResource widgets{"example.com", "v1", "widgets", "Widget", false};

TEST(KubeCustom, AKindNotServedIsNoneOrANamedOperator) {
    testing::FakeKube kube;
    kube.put(widgets, "", {{"metadata", {{"name", "w"}}}});
    EXPECT_EQ(testing::run_sync(list_if_served(kube, widgets, ""))->size(), 1u);
    kube.unserved = {"widgets"};
    EXPECT_EQ(testing::run_sync(list_if_served(kube, widgets, "")), std::nullopt);
    try {
        testing::run_sync(list_operator_kind(kube, widgets, "Widgeteer", "prod"));
        FAIL() << "no error";
    } catch (const UserError& e) {
        EXPECT_STREQ(e.what(), "Widgeteer is not installed on cluster `prod` (no example.com/v1 API).");
    }
}

TEST(KubeCustom, OtherErrorsAreNotTakenForAMissingOperator) {
    // A 403 is RBAC, not a missing CRD: it reaches the caller as it is.
    class Denying final : public Kube {
    public:
        std::string server() const override { return "https://x"; }
        std::string default_namespace() const override { return "default"; }
        boost::asio::awaitable<json> apply(KubeResource, std::string, json o) override { co_return o; }
        boost::asio::awaitable<std::optional<json>> get(KubeResource, std::string, std::string) override { co_return std::nullopt; }
        boost::asio::awaitable<KubeList> list(KubeResource, std::string, KubeListOptions) override {
            throw KubeError("Forbidden", "widgets.example.com is forbidden", 403);
            co_return KubeList{};
        }
        boost::asio::awaitable<bool> remove(KubeResource, std::string, std::string, std::string) override { co_return false; }
        boost::asio::awaitable<std::string> logs(std::string, std::string, std::string, int, bool) override { co_return ""; }
        boost::asio::awaitable<KubeWatch> watch(KubeResource, std::string, KubeListOptions, std::string,
                                                std::chrono::seconds) override {
            co_return KubeWatch{};
        }
    } denying;
    EXPECT_THROW(testing::run_sync(list_if_served(denying, widgets, "")), KubeError);
}

TEST(KubeCustom, FieldsLeftOutOrNullReadAsEmpty) {
    const json object = {{"spec", nullptr}, {"status", {{"conditions", json::array({{{"type", "Ready"}, {"status", "True"}}})}}},
                         {"metadata", {{"name", "n"}, {"namespace", "ns"}}}};
    EXPECT_TRUE(field(object, "spec").is_object() && field(object, "spec").empty());
    EXPECT_TRUE(field(object, "missing").empty());
    EXPECT_TRUE(list_field(field(object, "spec"), "items").is_array());
    EXPECT_TRUE(field(json::array(), "spec").empty());
    EXPECT_EQ(condition_of(object, "Ready").value("status", ""), "True");
    EXPECT_TRUE(condition_of(object, "Synced").empty());
    EXPECT_EQ(name_of(object), "n");
    EXPECT_EQ(namespace_of(object), "ns");
}

TEST(KubeCustom, TheClusterByItsMostTellingName) {
    testing::FakeKube kube;
    KubernetesConfig config;
    EXPECT_EQ(kube_cluster_name(config, kube), "https://fake-kube");
    config.context = "arn:aws:eks:us-west-2:123456789012:cluster/prod";
    EXPECT_EQ(kube_cluster_name(config, kube), "prod");
    config.context = "admin";
    EXPECT_EQ(kube_cluster_name(config, kube), "admin");
    config.eks_cluster = "train";
    EXPECT_EQ(kube_cluster_name(config, kube), "train");
}

}  // namespace
}  // namespace hpops::handlers
