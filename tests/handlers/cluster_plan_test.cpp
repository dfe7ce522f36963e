#include "handlers/cluster_plan.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "handlers/cluster_template.hpp"
#include "hpops/config.hpp"

namespace hpops::handlers {
namespace {

TemplateSummary hpops_template_summary() {
    TemplateSummary s;
    s.parameters = {{"InstanceGroupName", "gpu-workers", false, "", true}, {"InstanceType", "ml.g5.8xlarge", false, "", true}};
    return s;
}

TEST(ClusterPlan, HpopsTemplateHasOneGroupNamedByItsDefault) {
    const auto groups = planned_groups({{"InstanceType", "ml.p4d.24xlarge"}, {"InstanceCount", "3"}},
                                       hpops_template_summary());
    ASSERT_EQ(groups.size(), 1u);
    EXPECT_EQ(groups[0].name, "gpu-workers");
    EXPECT_EQ(groups[0].instance_type, "ml.p4d.24xlarge");
    EXPECT_EQ(groups[0].count, 3);
    const auto named = planned_groups(
        {{"InstanceGroupName", "train"}, {"InstanceType", "ml.g5.8xlarge"}, {"InstanceCount", "2"}}, {});
    EXPECT_EQ(named.at(0).name, "train");
}

TEST(ClusterPlan, AwsTemplateGroupsComeFromTheirJsonSettings) {
    const std::string settings =
        R"([{"InstanceGroupName":"a","InstanceType":"ml.g5.12xlarge","InstanceCount":2},)"
        R"({"InstanceGroupName":"b","InstanceType":"ml.p5.48xlarge","InstanceCount":1}])";
    const auto groups =
        planned_groups({{"InstanceGroupSettings1", settings}, {"InstanceGroupSettings2", "not json"}}, {});
    ASSERT_EQ(groups.size(), 2u) << "the unreadable second parameter is left out";
    EXPECT_EQ(groups[1].name, "b");
    EXPECT_EQ(groups[1].instance_type, "ml.p5.48xlarge");
    EXPECT_EQ(groups[1].count, 1);
}

TEST(ClusterPlan, EstimatesFromTheTableAndSaysWhatIsUnpriced) {
    const std::map<std::string, double> prices{{"ml.g5.8xlarge", 2.448}, {"p5.48xlarge", 98.32}};
    const auto known = estimate_cost({{"g", "ml.g5.8xlarge", 2}, {"h", "ml.p5.48xlarge", 1}}, prices);
    ASSERT_TRUE(known.hourly);
    EXPECT_NEAR(*known.hourly, 2 * 2.448 + 98.32, 1e-9) << "EC2's spelling in the table prices ml. types";
    EXPECT_EQ(hourly_text(known), "≈ $103.22 an hour");
    EXPECT_NE(cost_text(known).find("($2477.18 a day)"), std::string::npos) << cost_text(known);

    const auto unknown = estimate_cost({{"g", "ml.g5.8xlarge", 2}, {"x", "ml.g6e.2xlarge", 1}}, prices);
    EXPECT_FALSE(unknown.hourly);
    EXPECT_EQ(unknown.unpriced, std::vector<std::string>{"ml.g6e.2xlarge"});
    EXPECT_EQ(cost_text(unknown), "unknown: no price for `ml.g6e.2xlarge` in `clusters.hourly_prices`");
    EXPECT_EQ(hourly_text(unknown), "cost unknown");
    EXPECT_FALSE(estimate_cost({}, prices).hourly) << "no groups: nothing to estimate";
}

TEST(ClusterPlan, DefaultPricesCoverTheTemplatesDefaultType) {
    const auto prices = default_hourly_prices();
    EXPECT_TRUE(prices.contains("ml.g5.8xlarge"));
    for (const auto& [type, price] : prices) {
        EXPECT_TRUE(type.starts_with("ml.")) << type;
        EXPECT_GT(price, 0) << type;
    }
}

TEST(ClusterTemplate, CountsTheResourcesOfABlockStyleTemplate) {
    const std::string yaml =
        "# a comment\n"
        "Parameters:\n"
        "  Name:\n"
        "    Type: String\n"
        "Resources:\n"
        "  # not a resource\n"
        "  Vpc:\n"
        "    Type: AWS::EC2::VPC\n"
        "    Properties:\n"
        "      Tags:\n"
        "  Bucket:\r\n"
        "    Type: AWS::S3::Bucket\n"
        "Outputs:\n"
        "  VpcId:\n"
        "    Value: !Ref Vpc\n";
    EXPECT_EQ(template_resource_count(yaml), 2);
    EXPECT_EQ(template_resource_count(""), 0);
}

TEST(ClusterTemplate, TheBuiltInTemplateIsTheFileInDeploy) {
    std::ifstream file(std::string(HPOPS_SOURCE_DIR) + "/deploy/cloudformation/hyperpod-eks.yaml");
    std::stringstream text;
    text << file.rdbuf();
    ASSERT_FALSE(text.str().empty());
    EXPECT_EQ(hpops_cluster_template(), text.str());
    // Each resource of it has one `Type: AWS::` line four spaces in; the
    // parameters' AWS-specific types (zone names) are not resources.
    int types = 0;
    std::string line;
    std::istringstream again(text.str());
    while (std::getline(again, line))
        if (line.starts_with("    Type: AWS::") && line.find("::AvailabilityZone::") == std::string::npos) ++types;
    EXPECT_EQ(template_resource_count(hpops_cluster_template()), types);
    EXPECT_GT(types, 20);
}

}  // namespace
}  // namespace hpops::handlers
