#include "handlers/cluster_setup.hpp"

#include <gtest/gtest.h>

namespace hpops::handlers {
namespace {

TEST(ClusterSetup, EveryManifestHasAPlaceInTheApiAndNamespacesComeFirst) {
    const auto resources = cluster_setup_resources("us-west-2", "c1-artifactsbucket-abc");
    ASSERT_EQ(resources.size(), 5u);
    std::vector<std::string> order;
    for (const auto& r : resources) {
        order.push_back(r.resource.kind + "/" + r.object["metadata"].value("name", std::string()));
        EXPECT_EQ(r.object["kind"], r.resource.kind);
        EXPECT_EQ(r.object["apiVersion"], r.resource.api_version());
        EXPECT_EQ(r.ns.empty(), !r.resource.namespaced) << order.back();
        EXPECT_EQ(r.object["metadata"]["labels"]["app.kubernetes.io/managed-by"], "hpops") << order.back();
    }
    EXPECT_EQ(order, (std::vector<std::string>{"Namespace/hpops-system", "ServiceAccount/hpops", "Namespace/training",
                                               "PersistentVolume/s3-pv", "PersistentVolumeClaim/s3-claim"}));
}

TEST(ClusterSetup, TheBucketAndRegionAreFilledIn) {
    const auto resources = cluster_setup_resources("eu-west-1", "my-bucket");
    const auto& pv = resources.at(3).object;
    EXPECT_EQ(pv["spec"]["csi"]["volumeAttributes"]["bucketName"], "my-bucket");
    EXPECT_EQ(pv["spec"]["mountOptions"][1], "region eu-west-1");
    EXPECT_EQ(pv["spec"]["storageClassName"], "") << "a quoted empty string stays a string";
    EXPECT_EQ(std::string(cluster_setup_manifests()).find("${ARTIFACTS_BUCKET}") != std::string::npos, true);
}

}  // namespace
}  // namespace hpops::handlers
