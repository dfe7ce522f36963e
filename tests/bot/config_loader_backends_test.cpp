// The config sections that point at backends: AWS, MLflow, the price table.
#include "bot/config_loader.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "tests/bot/config_test_support.hpp"

namespace hpops::bot {
namespace {

using namespace std::chrono_literals;

TEST(ConfigLoader, AwsRegionFallsBackToTheEnvironmentAsTheSdksDo) {
    Env env = kSecretEnv;
    env["AWS_DEFAULT_REGION"] = "eu-west-1";
    EXPECT_EQ(load_config_text("", "t.yaml", &env)->aws.region, "eu-west-1");
    env["AWS_REGION"] = "us-east-2";
    EXPECT_EQ(load_config_text("", "t.yaml", &env)->aws.region, "us-east-2");
    EXPECT_EQ(load_config_text("aws: {region: ap-northeast-2}\n", "t.yaml", &env)->aws.region, "ap-northeast-2");
}

TEST(ConfigLoader, AwsEndpointsMustBeUrlsOfKnownServices) {
    const ConfigPtr c = load_config_text("aws:\n  endpoints:\n    eks: http://127.0.0.1:5000\n    sts: \"\"\n", "t.yaml",
                                         &kSecretEnv);
    EXPECT_EQ(c->aws.endpoints.at("eks"), "http://127.0.0.1:5000");
    EXPECT_FALSE(c->aws.endpoints.count("sts"));
    auto problems = problems_of("aws:\n  endpoints:\n    eks: 127.0.0.1:5000\n    ec2: http://x\n");
    ASSERT_EQ(problems.size(), 2u);
    EXPECT_NE(problems[0].find("t.yaml:3:"), std::string::npos);
    EXPECT_NE(problems[0].find("not an http(s) URL"), std::string::npos);
    EXPECT_NE(problems[1].find("unknown key"), std::string::npos);
}

TEST(ConfigLoader, ClusterPricesExtendTheDefaultsAndAreChecked) {
    const ConfigPtr c = load_config_text("clusters:\n  hourly_prices:\n    ml.g6e.2xlarge: 2.8\n    ml.g5.8xlarge: 3.1\n"
                                         "  template_url: https://b.s3.amazonaws.com/t.yaml\n",
                                         "t.yaml", &kSecretEnv);
    EXPECT_DOUBLE_EQ(c->clusters.hourly_prices.at("ml.g6e.2xlarge"), 2.8);
    EXPECT_DOUBLE_EQ(c->clusters.hourly_prices.at("ml.g5.8xlarge"), 3.1) << "the file's price wins";
    EXPECT_TRUE(c->clusters.hourly_prices.contains("ml.p5.48xlarge")) << "the defaults stay";
    EXPECT_EQ(c->clusters.template_url, "https://b.s3.amazonaws.com/t.yaml");
    const auto problems = problems_of("clusters:\n  hourly_prices:\n    ml.g5.xlarge: cheap\n    ml.p5.48xlarge: -1\n"
                                      "  template_url: http://b/t.yaml\n  launch_timeout: 5s\n");
    ASSERT_EQ(problems.size(), 4u) << joined(problems);
    EXPECT_NE(joined(problems).find("t.yaml:3:"), std::string::npos) << joined(problems);
    EXPECT_NE(joined(problems).find("not an https:// URL"), std::string::npos) << joined(problems);
}

TEST(ConfigLoader, MlflowSectionTakesAUrlOrATrackingServerArn) {
    const ConfigPtr oss = load_config_text(
        "mlflow:\n"
        "  tracking_uri: https://mlflow.example.com/tracking\n"
        "  username: ann\n"
        "  password: hunter2-basic\n"
        "  ui_url: https://mlflow-ui.example.com\n"
        "  timeout: 2500ms\n",
        "t.yaml", &kSecretEnv);
    EXPECT_EQ(oss->mlflow.tracking_uri, "https://mlflow.example.com/tracking");
    EXPECT_EQ(oss->mlflow.username, "ann");
    EXPECT_EQ(oss->mlflow.password, "hunter2-basic");
    EXPECT_EQ(oss->mlflow.ui_url, "https://mlflow-ui.example.com");
    EXPECT_EQ(oss->mlflow.timeout, 2500ms);

    const ConfigPtr sm = load_config_text(
        "mlflow:\n"
        "  tracking_uri: arn:aws:sagemaker:us-west-2:123456789012:mlflow-tracking-server/hp-tracking\n"
        "  sagemaker_endpoint: http://127.0.0.1:5001\n",
        "t.yaml", &kSecretEnv);
    EXPECT_EQ(sm->mlflow.tracking_uri, "arn:aws:sagemaker:us-west-2:123456789012:mlflow-tracking-server/hp-tracking");
    EXPECT_EQ(sm->mlflow.sagemaker_endpoint, "http://127.0.0.1:5001");
    EXPECT_EQ(sm->mlflow.timeout, 10s);
}

TEST(ConfigLoader, MlflowProblemsAreReportedWithoutEchoingSecrets) {
    const auto p = problems_of(
        "mlflow:\n"
        "  tracking_uri: arn:aws:sagemaker:us-west-2:123456789012:model/hp-tracking\n"
        "  username: hunter2-user\n"
        "  ui_url: mlflow.example.com\n"
        "  sagemaker_endpoint: ftp://x\n"
        "  timeout: 10m\n"
        "  tokn: x\n");
    ASSERT_EQ(p.size(), 6u) << joined(p);
    EXPECT_EQ(p[0], "t.yaml:2:17: mlflow.tracking_uri: `arn:aws:sagemaker:us-west-2:123456789012:model/hp-tracking` "
                    "is neither an http(s) URL nor a SageMaker MLflow tracking-server ARN "
                    "(arn:aws:sagemaker:REGION:ACCOUNT:mlflow-tracking-server/NAME)");
    EXPECT_EQ(p[1], "t.yaml:3:13: mlflow.username: set both `username` and `password`, or neither");
    EXPECT_EQ(p[2], "t.yaml:4:11: mlflow.ui_url: `mlflow.example.com` is not an http(s) URL");
    EXPECT_EQ(p[3], "t.yaml:5:23: mlflow.sagemaker_endpoint: `ftp://x` is not an http(s) URL");
    EXPECT_EQ(p[4], "t.yaml:6:12: mlflow.timeout: expected a duration in 100ms..5m, found `10m`");
    EXPECT_EQ(p[5].rfind("t.yaml:7:3: unknown key `mlflow.tokn`", 0), 0u) << p[5];
    EXPECT_EQ(joined(p).find("hunter2"), std::string::npos) << joined(p);
    for (const char* arn : {"arn:aws:sagemaker:us-west-2:123456789012:mlflow-tracking-server/",
                            "arn:aws:sagemaker::123456789012:mlflow-tracking-server/x",
                            "arn:aws:s3:us-west-2:123456789012:mlflow-tracking-server/x",
                            "arn:aws:sagemaker:us-west-2:123456789012:mlflow-tracking-server/x/y"})
        EXPECT_EQ(problems_of(std::string("mlflow: {tracking_uri: \"") + arn + "\"}\n").size(), 1u) << arn;
}

TEST(ConfigLoader, MlflowFallsBackToMlflowsOwnEnvironmentWhenTheFileNamesNoServer) {
    Env env = kSecretEnv;
    env["MLFLOW_TRACKING_URI"] = "http://mlflow.env:5000";
    env["MLFLOW_TRACKING_TOKEN"] = "env-token";
    env["MLFLOW_TRACKING_USERNAME"] = "env-user";
    env["MLFLOW_TRACKING_PASSWORD"] = "env-password";
    const ConfigPtr from_env = load_config_text("", "t.yaml", &env);
    EXPECT_EQ(from_env->mlflow.tracking_uri, "http://mlflow.env:5000");
    EXPECT_EQ(from_env->mlflow.token, "env-token");
    EXPECT_EQ(from_env->mlflow.username, "env-user");
    EXPECT_EQ(from_env->mlflow.password, "env-password");

    // What the file says wins, key by key.
    const ConfigPtr mixed = load_config_text("mlflow: {token: file-token}\n", "t.yaml", &env);
    EXPECT_EQ(mixed->mlflow.tracking_uri, "http://mlflow.env:5000");
    EXPECT_EQ(mixed->mlflow.token, "file-token");

    // A server named in the file never receives the environment's credentials.
    const ConfigPtr named = load_config_text("mlflow: {tracking_uri: \"https://mlflow.file\"}\n", "t.yaml", &env);
    EXPECT_EQ(named->mlflow.tracking_uri, "https://mlflow.file");
    EXPECT_EQ(named->mlflow.token, "");
    EXPECT_EQ(named->mlflow.username, "");
    EXPECT_EQ(named->mlflow.password, "");

    // An ARN in the environment selects the SageMaker mode, as in the sagemaker-mlflow plugin.
    env["MLFLOW_TRACKING_URI"] = "arn:aws:sagemaker:eu-west-1:123456789012:mlflow-tracking-server/shared";
    EXPECT_EQ(load_config_text("", "t.yaml", &env)->mlflow.tracking_uri, env["MLFLOW_TRACKING_URI"]);

    // Set but empty is not a server.
    const Env empty{{"SLACK_SIGNING_SECRET", "s"}, {"MLFLOW_TRACKING_URI", ""}};
    EXPECT_EQ(load_config_text("", "t.yaml", &empty)->mlflow.tracking_uri, "");
}

TEST(ConfigLoader, AnMlflowUriHpopsCannotUseIsAProblemEvenFromTheEnvironment) {
    Env env = kSecretEnv;
    env["MLFLOW_TRACKING_URI"] = "databricks";
    const auto top = problems_of("log: {level: info}\n", env);
    ASSERT_EQ(top.size(), 1u) << joined(top);
    EXPECT_EQ(top[0], "t.yaml:1:1: MLFLOW_TRACKING_URI `databricks` is neither an http(s) URL nor a SageMaker MLflow "
                      "tracking-server ARN (arn:aws:sagemaker:REGION:ACCOUNT:mlflow-tracking-server/NAME); "
                      "set mlflow.tracking_uri in the file");
    env["MLFLOW_TRACKING_URI"] = "file:./mlruns";
    const auto at_section = problems_of("log: {level: info}\nmlflow:\n  timeout: 5s\n", env);
    ASSERT_EQ(at_section.size(), 1u) << joined(at_section);
    EXPECT_EQ(at_section[0].rfind("t.yaml:3:3: MLFLOW_TRACKING_URI `file:./mlruns`", 0), 0u) << at_section[0];
}

}  // namespace
}  // namespace hpops::bot
