// CloudFormationClient against moto in server mode: every operation the
// cluster launch uses, and the errors AWS gives for bad stacks.
#include "integrations/aws/cloudformation_client.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <thread>

#include "integrations/http/curl_client.hpp"
#include "tests/integrations/aws/credential_test_support.hpp"
#include "tests/support/moto_process.hpp"

namespace hpops::integrations::aws::testing {
namespace {

// A small template moto can create: a parameter with a description, two
// resources, an output.
constexpr const char* queue_template = R"(AWSTemplateFormatVersion: "2010-09-09"
Description: hpops test stack
Parameters:
  QueueName:
    Type: String
    Description: Name of the work queue
  Retention:
    Type: Number
    Default: "345600"
    Description: Seconds a message is kept
Resources:
  Work:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Ref QueueName
      MessageRetentionPeriod: !Ref Retention
  Artifacts:
    Type: AWS::S3::Bucket
Outputs:
  QueueArn:
    Value: !GetAtt Work.Arn
    Description: the queue's ARN
)";

class CloudFormationAgainstMoto : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        moto_ = std::make_unique<hpops::testing::MotoProcess>(
            hpops::testing::MotoProcess::Flavor::with_hpops_extensions);
    }
    static void TearDownTestSuite() { moto_.reset(); }
    static std::unique_ptr<hpops::testing::MotoProcess> moto_;

    static AwsConfig config() {
        AwsConfig c;
        c.region = "us-east-1";
        c.endpoints = {{"cloudformation", moto_->endpoint()}};
        c.timeout = 10s;
        return c;
    }

    CreateStackRequest queue_stack(const std::string& name) const {
        CreateStackRequest r;
        r.name = name;
        r.template_body = queue_template;
        r.parameters = {{"QueueName", name + "-work"}};
        r.tags = {{"hpops:launched-by", "U1"}, {"hpops:cluster", name}};
        r.capabilities = {"CAPABILITY_IAM"};
        r.client_request_token = "launch-" + name;
        return r;
    }

    // The statuses a stack goes through until CloudFormation leaves it alone
    // (the harness's stacks take a second or two, resource by resource).
    std::vector<std::string> follow(const std::string& name_or_id) {
        std::vector<std::string> seen;
        for (int i = 0; i < 400; ++i) {
            const auto stack = run_sync(cfn_.describe_stack(name_or_id));
            const std::string status = stack ? stack->status : "gone";
            if (seen.empty() || seen.back() != status) seen.push_back(status);
            if (status == "gone" || status.ends_with("_COMPLETE") || status.ends_with("_FAILED")) break;
            std::this_thread::sleep_for(50ms);
        }
        return seen;
    }

    CurlClient curl_{2};
    RecordingClient http_{curl_};
    FixedCredentials credentials_;
    AwsTransport transport_{http_, credentials_, config(), env_of({})};
    CloudFormationClient cfn_{transport_};
};
std::unique_ptr<hpops::testing::MotoProcess> CloudFormationAgainstMoto::moto_;

TEST_F(CloudFormationAgainstMoto, ValidateTemplateListsParametersWithTheirDescriptions) {
    const TemplateSummary summary = run_sync(cfn_.validate_template(queue_template, ""));
    EXPECT_EQ(summary.description, "hpops test stack");
    ASSERT_EQ(summary.parameters.size(), 2u);
    auto find = [&](const std::string& key) {
        return *std::find_if(summary.parameters.begin(), summary.parameters.end(),
                             [&](const TemplateParameter& p) { return p.key == key; });
    };
    EXPECT_EQ(find("QueueName").description, "Name of the work queue");
    EXPECT_FALSE(find("QueueName").has_default);
    EXPECT_TRUE(find("Retention").has_default);
    EXPECT_EQ(find("Retention").default_value, "345600");
    EXPECT_TRUE(summary.capabilities.empty());

    const TemplateSummary iam = run_sync(cfn_.validate_template(R"({"Resources": {"Role": {"Type": "AWS::IAM::Role",
        "Properties": {"RoleName": "hp-nodes", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []}}}}})",
                                                                ""));
    EXPECT_EQ(iam.capabilities, (std::vector<std::string>{"CAPABILITY_NAMED_IAM"}));
    EXPECT_NE(iam.capabilities_reason.find("AWS::IAM::Role"), std::string::npos) << iam.capabilities_reason;

    const UpstreamError bad = upstream_error_of([&] { run_sync(cfn_.validate_template("Resources: [1, 2", "")); });
    EXPECT_EQ(bad.service(), "cloudformation");
    EXPECT_EQ(bad.code(), "ValidationError");
    EXPECT_FALSE(bad.upstream_message().empty());
}

// deploy/cloudformation/hyperpod-eks.yaml: what `/hp cluster launch` will ask
// for, and acknowledge, when it launches hpops's own template.
TEST_F(CloudFormationAgainstMoto, HpopsOwnTemplateValidatesWithItsParametersAndCapabilities) {
    std::ifstream file(std::string(HPOPS_SOURCE_DIR) + "/deploy/cloudformation/hyperpod-eks.yaml");
    const std::string body((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    ASSERT_FALSE(body.empty());
    const TemplateSummary summary = run_sync(cfn_.validate_template(body, ""));
    std::vector<std::string> keys;
    for (const auto& p : summary.parameters) {
        keys.push_back(p.key);
        EXPECT_FALSE(p.description.empty()) << p.key << " has no description";
    }
    std::sort(keys.begin(), keys.end());
    EXPECT_EQ(keys, (std::vector<std::string>{"AvailabilityZone1", "AvailabilityZone2", "DeepHealthChecks",
                                              "InstanceCount", "InstanceGroupName", "InstanceType",
                                              "KubernetesVersion", "LifeCycleScriptsS3Uri", "NodeRecovery",
                                              "ResourceNamePrefix", "ThreadsPerCore", "VpcCidr"}));
    EXPECT_EQ(summary.capabilities, (std::vector<std::string>{"CAPABILITY_IAM"}));
    EXPECT_NE(summary.description.find("HyperPod"), std::string::npos);
    for (const auto& p : summary.parameters) {
        // A default of "" (no lifecycle scripts) is a default; a zone has none.
        if (p.key == "LifeCycleScriptsS3Uri") {
            EXPECT_TRUE(p.has_default && p.default_value.empty());
        }
        if (p.key == "AvailabilityZone1") {
            EXPECT_FALSE(p.has_default);
        }
    }
}

TEST_F(CloudFormationAgainstMoto, CreatesDescribesFollowsAndDeletesAStack) {
    const std::string id = run_sync(cfn_.create_stack(queue_stack("hp-one")));
    EXPECT_TRUE(id.starts_with("arn:aws:cloudformation:us-east-1:")) << id;
    {
        std::lock_guard lock(http_.mutex);
        const std::string& body = http_.sent.back().body;
        EXPECT_TRUE(body.starts_with("Action=CreateStack&Version=2010-05-15&StackName=hp-one&TemplateBody=")) << body;
        EXPECT_NE(body.find("&Parameters.member.1.ParameterKey=QueueName&Parameters.member.1.ParameterValue=hp-one-work"),
                  std::string::npos);
        EXPECT_NE(body.find("&Capabilities.member.1=CAPABILITY_IAM"), std::string::npos);
        EXPECT_NE(body.find("&Tags.member.2.Key=hpops%3Acluster&Tags.member.2.Value=hp-one"), std::string::npos);
        EXPECT_NE(body.find("&ClientRequestToken=launch-hp-one"), std::string::npos);
    }

    EXPECT_EQ(follow("hp-one"), (std::vector<std::string>{"CREATE_IN_PROGRESS", "CREATE_COMPLETE"}));
    const auto stack = run_sync(cfn_.describe_stack("hp-one"));
    ASSERT_TRUE(stack);
    EXPECT_EQ(stack->id, id);
    EXPECT_EQ(stack->status, "CREATE_COMPLETE");
    EXPECT_FALSE(stack->creation_time.empty());
    ASSERT_EQ(stack->outputs.size(), 1u);
    EXPECT_EQ(stack->outputs[0].key, "QueueArn");
    EXPECT_NE(stack->outputs[0].value.find(":hp-one-work"), std::string::npos) << stack->outputs[0].value;
    EXPECT_EQ(stack->outputs[0].description, "the queue's ARN");
    EXPECT_NE(std::find_if(stack->parameters.begin(), stack->parameters.end(),
                           [](const StackParameter& p) { return p.key == "QueueName" && p.value == "hp-one-work"; }),
              stack->parameters.end());
    EXPECT_NE(std::find_if(stack->tags.begin(), stack->tags.end(),
                           [](const StackTag& t) { return t.key == "hpops:launched-by" && t.value == "U1"; }),
              stack->tags.end());

    const StackEventsPage events = run_sync(cfn_.describe_stack_events(id, ""));
    ASSERT_FALSE(events.events.empty());
    EXPECT_EQ(events.events.front().logical_id, "hp-one");  // newest first: the stack's own completion
    EXPECT_EQ(events.events.front().status, "CREATE_COMPLETE");
    EXPECT_EQ(events.events.front().resource_type, "AWS::CloudFormation::Stack");
    EXPECT_FALSE(events.events.front().event_id.empty());
    EXPECT_TRUE(events.next_token.empty());
    std::vector<std::string> work;
    for (const auto& e : events.events)
        if (e.logical_id == "Work") work.insert(work.begin(), e.status);
    EXPECT_EQ(work, (std::vector<std::string>{"CREATE_IN_PROGRESS", "CREATE_COMPLETE"}));

    const auto resources = run_sync(cfn_.describe_stack_resources("hp-one"));
    std::vector<std::string> logical;
    for (const auto& r : resources) logical.push_back(r.logical_id + " " + r.resource_type + " " + r.status);
    std::sort(logical.begin(), logical.end());
    EXPECT_EQ(logical, (std::vector<std::string>{"Artifacts AWS::S3::Bucket CREATE_COMPLETE",
                                                 "Work AWS::SQS::Queue CREATE_COMPLETE"}));

    const auto live = run_sync(cfn_.list_stacks({"CREATE_COMPLETE"}));
    EXPECT_NE(std::find_if(live.begin(), live.end(), [&](const StackSummary& s) { return s.id == id; }), live.end());

    run_sync(cfn_.delete_stack("hp-one", "delete-hp-one"));
    EXPECT_EQ(follow(id), (std::vector<std::string>{"DELETE_IN_PROGRESS", "DELETE_COMPLETE"}));
    EXPECT_FALSE(run_sync(cfn_.describe_stack("hp-one")));  // by name, a deleted stack is gone
    const auto deleted = run_sync(cfn_.list_stacks({"DELETE_COMPLETE"}));
    const auto gone = std::find_if(deleted.begin(), deleted.end(), [&](const StackSummary& s) { return s.id == id; });
    ASSERT_NE(gone, deleted.end());
    EXPECT_EQ(gone->status, "DELETE_COMPLETE");
}

TEST_F(CloudFormationAgainstMoto, AnAbsentStackIsNoneAndATakenNameIsTyped) {
    EXPECT_FALSE(run_sync(cfn_.describe_stack("never-launched")));
    run_sync(cfn_.create_stack(queue_stack("hp-twice")));
    CreateStackRequest again = queue_stack("hp-twice");
    again.client_request_token = "another-launch";
    const UpstreamError taken = upstream_error_of([&] { run_sync(cfn_.create_stack(again)); });
    EXPECT_EQ(taken.code(), "AlreadyExistsException");
    EXPECT_NE(taken.upstream_message().find("hp-twice"), std::string::npos) << taken.upstream_message();
    const UpstreamError other = upstream_error_of([&] { run_sync(cfn_.describe_stack_events("never-launched", "")); });
    EXPECT_EQ(other.code(), "ValidationError");
}

TEST_F(CloudFormationAgainstMoto, ATemplateNeedsExactlyOneOfBodyOrUrl) {
    CreateStackRequest neither = queue_stack("hp-none");
    neither.template_body.clear();
    EXPECT_THROW(run_sync(cfn_.create_stack(neither)), UserError);
    CreateStackRequest both = queue_stack("hp-both");
    both.template_url = "https://s3.amazonaws.com/bucket/t.yaml";
    EXPECT_THROW(run_sync(cfn_.create_stack(both)), UserError);
    EXPECT_THROW(run_sync(cfn_.validate_template("", "")), UserError);
}

}  // namespace
}  // namespace hpops::integrations::aws::testing
