#include "integrations/mlflow/mlflow_target.hpp"

#include <gtest/gtest.h>

#include "tests/integrations/mlflow/tracking_server_request.hpp"

namespace hpops::integrations::mlflow {
namespace {

using namespace std::chrono_literals;
using testing::header;
using testing::tracking_server_arn;

TEST(MlflowTarget, ParsesTrackingServerArns) {
    const auto arn = parse_tracking_server_arn(tracking_server_arn);
    ASSERT_TRUE(arn);
    EXPECT_EQ(arn->partition, "aws");
    EXPECT_EQ(arn->region, "us-west-2");
    EXPECT_EQ(arn->account, "123456789012");
    EXPECT_EQ(arn->name, "hp-tracking");
    EXPECT_EQ(arn->text, tracking_server_arn);
    for (const char* bad : {"", "arn:aws:sagemaker:us-west-2:123456789012:model/x",
                            "arn:aws:s3:us-west-2:123456789012:mlflow-tracking-server/x",
                            "arn:aws:sagemaker:us-west-2::mlflow-tracking-server/x",
                            "arn:aws:sagemaker:us-west-2:123456789012:mlflow-tracking-server/",
                            "arn:aws:sagemaker:us-west-2:123456789012:mlflow-tracking-server/a/b",
                            "http://mlflow:5000"})
        EXPECT_FALSE(parse_tracking_server_arn(bad)) << bad;
}

TEST(MlflowTarget, AnOpenSourceServerKeepsItsPathPrefixAndHidesCredentialsFromMessages) {
    MlflowConfig config;
    config.tracking_uri = "https://ann:hunter2@mlflow.example.com:8443/tracking/";
    config.timeout = 3s;
    const MlflowTarget target = resolve_target(config, "us-east-1");
    EXPECT_EQ(target.mode, MlflowTarget::Mode::open_source);
    EXPECT_EQ(target.base_url, "https://ann:hunter2@mlflow.example.com:8443/tracking");
    EXPECT_EQ(target.host, "https://mlflow.example.com:8443");
    EXPECT_EQ(target.authorization, "");
    EXPECT_EQ(target.timeout, 3s);
    EXPECT_EQ(target.problem, "");
    EXPECT_EQ(resolve_ui_url(config), "https://mlflow.example.com:8443/tracking");
    config.ui_url = "https://mlflow-ui.example.com/";
    EXPECT_EQ(resolve_ui_url(config), "https://mlflow-ui.example.com");
}

TEST(MlflowTarget, ABearerTokenWinsOverBasicAuth) {
    MlflowConfig config;
    config.tracking_uri = "http://mlflow:5000";
    config.username = "ann";
    config.password = "hunter2";
    EXPECT_EQ(resolve_target(config, "").authorization, "Basic YW5uOmh1bnRlcjI=");
    config.token = "dapi-hunter2-token";
    const MlflowTarget target = resolve_target(config, "");
    EXPECT_EQ(target.authorization, "Bearer dapi-hunter2-token");

    const HttpRequest post = build_request(target, MlflowCall{"POST", "runs/delete", R"({"run_id":"r1"})"});
    EXPECT_EQ(post.method, "POST");
    EXPECT_EQ(post.url, "http://mlflow:5000/api/2.0/mlflow/runs/delete");
    EXPECT_EQ(post.body, R"({"run_id":"r1"})");
    EXPECT_EQ(header(post, "content-type"), "application/json");
    EXPECT_EQ(header(post, "authorization"), "Bearer dapi-hunter2-token");
    EXPECT_EQ(header(post, "x-mlflow-sm-tracking-server-arn"), "<absent>");

    const HttpRequest get = build_request(target, MlflowCall{"GET", "runs/get?run_id=r1", {}});
    EXPECT_EQ(get.url, "http://mlflow:5000/api/2.0/mlflow/runs/get?run_id=r1");
    EXPECT_EQ(header(get, "content-type"), "<absent>");
}

TEST(MlflowTarget, AnArnSelectsSageMakerWithItsRegionAndEndpoint) {
    MlflowConfig config;
    config.tracking_uri = tracking_server_arn;
    config.token = "ignored-with-an-arn";
    const MlflowTarget target = resolve_target(config, "eu-west-1");
    EXPECT_EQ(target.mode, MlflowTarget::Mode::sagemaker);
    EXPECT_EQ(target.region, "us-west-2");  // the ARN's, not the AWS config's
    EXPECT_EQ(target.base_url, "https://us-west-2.experiments.sagemaker.aws");
    EXPECT_EQ(target.host, "https://us-west-2.experiments.sagemaker.aws");
    EXPECT_EQ(target.arn, tracking_server_arn);
    EXPECT_EQ(target.authorization, "");
    EXPECT_EQ(resolve_ui_url(config), "");

    const HttpRequest request = build_request(target, MlflowCall{"POST", "runs/search", "{}"});
    EXPECT_EQ(request.url, "https://us-west-2.experiments.sagemaker.aws/api/2.0/mlflow/runs/search");
    EXPECT_EQ(header(request, "x-mlflow-sm-tracking-server-arn"), tracking_server_arn);
    EXPECT_EQ(header(request, "authorization"), "<absent>");

    config.sagemaker_endpoint = "http://127.0.0.1:5001/";
    EXPECT_EQ(resolve_target(config, "").base_url, "http://127.0.0.1:5001");
    config.sagemaker_endpoint.clear();
    config.tracking_uri = "arn:aws-us-gov:sagemaker:us-gov-west-1:123456789012:mlflow-tracking-server/gov";
    EXPECT_EQ(resolve_target(config, "").base_url, "https://us-gov-west-1.experiments.sagemaker.aws");
}

TEST(MlflowTarget, WhatCannotBeUsedIsAProblemNotACrash) {
    EXPECT_EQ(resolve_target(MlflowConfig{}, "us-west-2").problem,
              "no MLflow tracking server: set mlflow.tracking_uri in the config, or MLFLOW_TRACKING_URI");
    MlflowConfig china;
    china.tracking_uri = "arn:aws-cn:sagemaker:cn-north-1:123456789012:mlflow-tracking-server/x";
    EXPECT_EQ(resolve_target(china, "").problem,
              "SageMaker MLflow in partition `aws-cn` has no known endpoint: set mlflow.sagemaker_endpoint");
    china.sagemaker_endpoint = "https://mlflow.vpce.example";
    EXPECT_EQ(resolve_target(china, "").problem, "");
    MlflowConfig odd;
    odd.tracking_uri = "databricks";
    EXPECT_NE(resolve_target(odd, "").problem, "");
}

TEST(MlflowTarget, QueryValuesAreEncodedAsSigned) {
    EXPECT_EQ(query_string({{"run_id", "r1"}, {"metric_key", "train/loss rate+x"}, {"page_token", ""}}),
              "run_id=r1&metric_key=train%2Floss%20rate%2Bx");
}

TEST(MlflowTarget, SageMakerRequestsAreSignedForSagemakerMlflowWithTheBodyHash) {
    MlflowConfig config;
    config.tracking_uri = tracking_server_arn;
    const MlflowTarget target = resolve_target(config, "");
    HttpRequest request = build_request(target, MlflowCall{"POST", "runs/delete", R"({"run_id":"abc"})"});
    const aws::AwsCredentials credentials{"ASIAEXAMPLE", "secret/key", "session-token", {}};
    const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1710025507));
    const auto details = sign_sagemaker_request(request, target, credentials, now);

    EXPECT_EQ(header(request, "x-amz-content-sha256"),
              "051cae43124d10d378b560b3d3456e826b374881792e8a25c408f99cef9d9d93");
    EXPECT_EQ(header(request, "x-amz-date"), "20240309T230507Z");
    EXPECT_EQ(header(request, "x-amz-security-token"), "session-token");
    EXPECT_EQ(header(request, "host"), "us-west-2.experiments.sagemaker.aws");
    EXPECT_EQ(details.signed_headers,
              "content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-mlflow-sm-tracking-server-arn");
    EXPECT_EQ(header(request, "authorization"),
              "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20240309/us-west-2/sagemaker-mlflow/aws4_request, "
              "SignedHeaders=" + details.signed_headers + ", Signature=" + details.signature);
    EXPECT_EQ(details.canonical_request.substr(0, details.canonical_request.find('\n', 5)),
              "POST\n/api/2.0/mlflow/runs/delete");
}

}  // namespace
}  // namespace hpops::integrations::mlflow
