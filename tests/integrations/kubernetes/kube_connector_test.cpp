#include "integrations/kubernetes/kube_connector.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "integrations/kubernetes/kubeconfig.hpp"
#include "tests/support/scratch_dir.hpp"

namespace hpops::integrations::kubernetes {
namespace {

class ClustersKubeconfig : public hpops::testing::ScratchDirTest {};

const std::string ca_pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const std::string ca_data = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUIKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=";

KubeEndpoint endpoint(std::string name, std::string server) {
    return {std::move(name), std::move(server), ca_data, "c1-eks", "us-west-2"};
}

// What hpops writes, hpops (and so kubectl's rules) reads back.
TEST_F(ClustersKubeconfig, AWrittenContextLoadsBackWithItsServerCaAndAwsGetToken) {
    const std::string path = (dir_ / "clusters.kubeconfig").string();
    std::ofstream(path) << kubeconfig_with("", endpoint("c1", "https://c1.eks.example:443"));
    const KubeConnection c = load_kubeconfig({path}, "c1");
    EXPECT_EQ(c.server, "https://c1.eks.example:443");
    ASSERT_TRUE(c.tls);
    EXPECT_EQ(c.tls->ca_pem, ca_pem);
    ASSERT_TRUE(c.exec);
    EXPECT_EQ(c.exec->command, "aws");
    EXPECT_EQ(c.exec->args, (std::vector<std::string>{"--region", "us-west-2", "eks", "get-token", "--cluster-name",
                                                      "c1-eks", "--output", "json"}));
    EXPECT_EQ(load_kubeconfig({path}).context, "c1") << "the first cluster becomes the current context";
}

TEST_F(ClustersKubeconfig, RewritingOneClusterKeepsTheOthersAndTheCurrentContext) {
    std::string text = kubeconfig_with("", endpoint("c1", "https://one:443"));
    text = kubeconfig_with(text, endpoint("c2", "https://two:443"));
    text = kubeconfig_with(text, endpoint("c1", "https://one-again:443"));
    const std::string path = (dir_ / "clusters.kubeconfig").string();
    std::ofstream(path) << text;
    EXPECT_EQ(load_kubeconfig({path}, "c1").server, "https://one-again:443");
    EXPECT_EQ(load_kubeconfig({path}, "c2").server, "https://two:443");
    EXPECT_EQ(load_kubeconfig({path}).context, "c1");
    EXPECT_EQ(text.find("https://one:443"), std::string::npos) << "replaced, not appended";
}

}  // namespace
}  // namespace hpops::integrations::kubernetes
