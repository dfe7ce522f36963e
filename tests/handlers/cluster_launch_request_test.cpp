#include "handlers/cluster_launch_request.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "hpops/errors.hpp"

namespace hpops::handlers {
namespace {

Intent launch(std::vector<std::string> args, std::map<std::string, std::string> options = {}) {
    return Intent{"cluster launch", std::move(args), std::move(options), false};
}

std::string refusal(const Intent& intent) {
    try {
        parse_cluster_launch(intent);
    } catch (const UserError& e) {
        return e.what();
    }
    return "accepted";
}

TEST(ClusterLaunchRequest, ReadsTheFormsFields) {
    const auto r = parse_cluster_launch(launch({"hp-train"}, {{"instance-type", "ml.p5.48xlarge"},
                                                                {"count", "4"},
                                                                {"az", "usw2-az1,usw2-az2"},
                                                                {"eks-version", "1.33"},
                                                                {"recovery", "none"},
                                                                {"region", "us-west-2"},
                                                                {"param.vpccidr", "10.1.0.0/16"}}));
    EXPECT_EQ(r.name, "hp-train");
    EXPECT_EQ(r.instance_type, "ml.p5.48xlarge");
    EXPECT_EQ(r.count, 4);
    EXPECT_EQ(r.zones, (std::vector<std::string>{"usw2-az1", "usw2-az2"}));
    EXPECT_EQ(r.recovery, "None");
    EXPECT_EQ(r.extra.at(0).key, "vpccidr");
}

TEST(ClusterLaunchRequest, RefusesBadInputSayingTheRule) {
    EXPECT_NE(refusal(launch({})).find("/hp cluster launch NAME"), std::string::npos);
    EXPECT_NE(refusal(launch({"9lives"})).find("a letter, then letters, digits and hyphens"), std::string::npos);
    EXPECT_NE(refusal(launch({"hp_train"})).find("at most 128"), std::string::npos);
    EXPECT_NE(refusal(launch({"hp"}, {{"template", "http://bucket.s3.amazonaws.com/t.yaml"}})).find("https://"),
              std::string::npos);
    EXPECT_NE(refusal(launch({"hp"}, {{"template", "https://example.com/t.yaml"}})).find("in S3"), std::string::npos);
    EXPECT_NE(refusal(launch({"hp"}, {{"template", "https://s3.amazonaws.com@evil.example/t.yaml"}})).find("in S3"),
              std::string::npos);
    EXPECT_NE(refusal(launch({"hp"}, {{"region", "us-west-9"}})).find("not an AWS region; did you mean `us-west-"),
              std::string::npos);
    EXPECT_NE(refusal(launch({"hp"}, {{"instance-type", "p5.48xlarge"}})).find("ml.g5.8xlarge"), std::string::npos);
    EXPECT_NE(refusal(launch({"hp"}, {{"count", "0"}})).find("1 to 1000"), std::string::npos);
    EXPECT_NE(refusal(launch({"hp"}, {{"count", "2x"}})).find("1 to 1000"), std::string::npos);
    EXPECT_NE(refusal(launch({"hp"}, {{"az", "us-west-2a,usw2-az1"}})).find("all names"), std::string::npos);
    EXPECT_NE(refusal(launch({"hp"}, {{"eks-version", "latest"}})).find("1.33"), std::string::npos);
    EXPECT_NE(refusal(launch({"hp"}, {{"recovery", "manual"}})).find("automatic or none"), std::string::npos);
    EXPECT_NE(refusal(launch({"hp"}, {{"colour", "red"}})).find("not an option of cluster launch"), std::string::npos);
    EXPECT_EQ(refusal(launch({"hp"}, {{"template", "https://b.s3.us-west-2.amazonaws.com/main-stack.yaml"},
                                      {"az", "us-west-2a,us-west-2b"}})),
              "accepted");
}

TemplateSummary hpops_template() {
    TemplateSummary t;
    t.parameters = {{"ResourceNamePrefix", "hyperpod", false, "prefix", true},
                    {"InstanceType", "ml.g5.8xlarge", false, "type", true},
                    {"InstanceCount", "2", false, "count", true},
                    {"AvailabilityZone1", "", false, "Zone of the first subnets", false},
                    {"AvailabilityZone2", "", false, "Zone of the second subnets", false},
                    {"VpcCidr", "10.0.0.0/16", false, "range", true},
                    {"LifeCycleScriptsS3Uri", "", false, "scripts", true},
                    {"NodeRecovery", "Automatic", false, "recovery", true}};
    return t;
}

std::string value_of(const std::vector<StackParameter>& params, const std::string& key) {
    for (const auto& p : params)
        if (p.key == key) return p.value;
    return "<absent>";
}

TEST(ClusterLaunchRequest, FillsHpopsOwnTemplateAndSaysWhatIsMissing) {
    auto r = parse_cluster_launch(launch({"hp"}, {{"az", "us-west-2a,us-west-2b"}, {"param.vpccidr", "10.9.0.0/16"}}));
    const auto params = template_parameters(r, hpops_template());
    EXPECT_EQ(value_of(params, "ResourceNamePrefix"), "hp");
    EXPECT_EQ(value_of(params, "AvailabilityZone2"), "us-west-2b");
    EXPECT_EQ(value_of(params, "VpcCidr"), "10.9.0.0/16");  // param. keys take the template's spelling
    EXPECT_EQ(value_of(params, "LifeCycleScriptsS3Uri"), "<absent>");  // its default "" stands

    r.zones.clear();
    try {
        template_parameters(r, hpops_template());
        FAIL() << "zones are required";
    } catch (const UserError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("`AvailabilityZone1`: Zone of the first subnets"), std::string::npos) << what;
        EXPECT_NE(what.find("`AvailabilityZone2`"), std::string::npos) << what;
    }
    r.zones = {"us-west-2a", "us-west-2b"};
    r.extra = {{"vpccdir", "x"}};
    try {
        template_parameters(r, hpops_template());
        FAIL() << "an undeclared param. is refused";
    } catch (const UserError& e) {
        EXPECT_NE(std::string(e.what()).find("did you mean `param.VpcCidr`"), std::string::npos) << e.what();
    }
}

// AWS's main-stack-eks-based-template.yaml takes zone ids and instance groups as JSON strings.
TEST(ClusterLaunchRequest, FillsAwsPublishedTemplateByItsOwnNames) {
    TemplateSummary aws;
    for (const char* key : {"ResourceNamePrefix", "AvailabilityZoneIds", "KubernetesVersion", "NodeRecovery",
                            "InstanceGroupSettings1", "InstanceGroupSettings2"})
        aws.parameters.push_back({key, "", false, "", true});
    const auto r = parse_cluster_launch(launch(
        {"hp"}, {{"az", "usw2-az2,usw2-az3"}, {"instance-type", "ml.p4d.24xlarge"}, {"count", "2"}, {"eks-version", "1.32"}}));
    const auto params = template_parameters(r, aws);
    EXPECT_EQ(value_of(params, "AvailabilityZoneIds"), "usw2-az2,usw2-az3");
    EXPECT_EQ(value_of(params, "KubernetesVersion"), "1.32");
    EXPECT_EQ(value_of(params, "InstanceGroupSettings2"), "<absent>");
    const auto groups = nlohmann::json::parse(value_of(params, "InstanceGroupSettings1"));
    ASSERT_EQ(groups.size(), 1u);
    EXPECT_EQ(groups[0]["InstanceType"], "ml.p4d.24xlarge");
    EXPECT_EQ(groups[0]["InstanceCount"], 2);
    EXPECT_EQ(groups[0]["TargetAvailabilityZoneId"], "usw2-az2");
    EXPECT_EQ(groups[0]["ThreadsPerCore"], 1);
}

}  // namespace
}  // namespace hpops::handlers
