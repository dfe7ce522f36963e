#include "integrations/mlflow/mlflow_client.hpp"

#include <gtest/gtest.h>

#include "tests/support/upstream_error_of.hpp"

#include <functional>

#include <nlohmann/json.hpp>

#include "hpops/errors.hpp"
#include "integrations/aws/sigv4.hpp"
#include "tests/integrations/mlflow/tracking_server_request.hpp"
#include "tests/support/run_sync.hpp"

// The client against in-memory fakes of HttpClient and the AWS credentials:
// what it sends, in which order, and what it makes of the answers. Paging and
// failures over real HTTP are in mlflow_client_loopback_test.cpp.

namespace hpops::integrations::mlflow {
namespace {
namespace asio = boost::asio;
using hpops::testing::run_sync;
using nlohmann::json;
using namespace std::chrono_literals;
using testing::header;
using testing::tracking_server_arn;

class FakeHttp final : public HttpClient {
public:
    using Script = std::function<HttpResponse(const HttpRequest&)>;
    explicit FakeHttp(Script script) : script_(std::move(script)) {}
    asio::awaitable<HttpResponse> send(HttpRequest request, RetryPolicy retry) override {
        sent.push_back(std::move(request));
        policies.push_back(retry);
        co_return script_(sent.back());
    }
    std::vector<HttpRequest> sent;
    std::vector<RetryPolicy> policies;

private:
    Script script_;
};

class FixedCredentials final : public aws::CredentialsProvider {
public:
    asio::awaitable<aws::AwsCredentials> get() override {
        ++calls;
        co_return aws::AwsCredentials{"ASIAEXAMPLEHPOPS0001", "stand-in/secret+key", "session-token==", {}};
    }
    int calls = 0;
};

HttpResponse ok(const json& body) { return HttpResponse{200, {{"content-type", "application/json"}}, body.dump()}; }

std::string path_of(const HttpRequest& request) {
    const auto api = request.url.find("/api/2.0/mlflow/");
    return api == std::string::npos ? request.url : request.url.substr(api + 16);
}

using hpops::testing::upstream_error_of;

MlflowConfig sagemaker_config() {
    MlflowConfig config;
    config.tracking_uri = tracking_server_arn;
    return config;
}

MlflowConfig oss_config() {
    MlflowConfig config;
    config.tracking_uri = "http://mlflow.mlflow.svc:5000";
    config.token = "hunter2-token";
    return config;
}

TEST(MlflowClient, SageMakerCallsAreRoutedByArnAndSignedAsSagemakerMlflow) {
    FakeHttp http([](const HttpRequest&) {
        return ok({{"run", {{"info", {{"run_id", "r1"}, {"run_name", "sft"}, {"status", "FINISHED"}}}}}});
    });
    FixedCredentials credentials;
    MlflowClient client(http, sagemaker_config(), "eu-west-1", &credentials);

    const hpops::Run run = run_sync(client.get_run("r1"));
    EXPECT_EQ(run.name, "sft");
    ASSERT_EQ(http.sent.size(), 1u);
    const HttpRequest& sent = http.sent[0];
    EXPECT_EQ(sent.method, "GET");
    EXPECT_EQ(sent.url, "https://us-west-2.experiments.sagemaker.aws/api/2.0/mlflow/runs/get?run_id=r1");
    EXPECT_EQ(header(sent, "x-mlflow-sm-tracking-server-arn"), tracking_server_arn);
    EXPECT_EQ(header(sent, "x-amz-security-token"), "session-token==");
    EXPECT_EQ(header(sent, "x-amz-content-sha256"), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    const std::string date = header(sent, "x-amz-date");
    ASSERT_EQ(date.size(), 16u) << date;
    EXPECT_EQ(header(sent, "authorization").rfind("AWS4-HMAC-SHA256 Credential=ASIAEXAMPLEHPOPS0001/" +
                                                      date.substr(0, 8) + "/us-west-2/sagemaker-mlflow/aws4_request",
                                                  0),
              0u)
        << header(sent, "authorization");
    EXPECT_EQ(credentials.calls, 1);
    // One retry at most, visible here rather than the HTTP client's default.
    EXPECT_EQ(http.policies[0].max_attempts, 2);
}

TEST(MlflowClient, SageMakerWithoutAwsFailsClearlyAndSendsNothing) {
    FakeHttp http([](const HttpRequest&) { return ok(json::object()); });
    MlflowClient client(http, sagemaker_config(), "", nullptr);
    const UpstreamError e = upstream_error_of([&] { run_sync(client.search_experiments()); });
    EXPECT_EQ(e.service(), "mlflow");
    EXPECT_EQ(e.code(), "NoAwsCredentials");
    EXPECT_NE(e.upstream_message().find("set aws.region or AWS_REGION"), std::string::npos) << e.what();
    EXPECT_TRUE(http.sent.empty());
}

TEST(MlflowClient, NoTrackingServerIsNotConfigured) {
    FakeHttp http([](const HttpRequest&) { return ok(json::object()); });
    MlflowClient client(http, MlflowConfig{}, "us-west-2", nullptr);
    const UpstreamError e = upstream_error_of([&] { run_sync(client.get_run("r1")); });
    EXPECT_EQ(e.code(), "NotConfigured");
    EXPECT_TRUE(http.sent.empty());
    EXPECT_EQ(client.ui_url(), "");
}

TEST(MlflowClient, SearchingEveryExperimentLooksThemUpFirst) {
    FakeHttp http([](const HttpRequest& request) {
        if (path_of(request) == "experiments/search")
            return ok({{"experiments",
                        {{{"experiment_id", "0"}, {"name", "Default"}, {"lifecycle_stage", "active"}},
                         {{"experiment_id", "7"}, {"name", "old"}, {"lifecycle_stage", "deleted"}},
                         {{"experiment_id", "12"}, {"name", "/hp/llama3-sft"}, {"lifecycle_stage", "active"}}}}});
        return ok({{"runs", {{{"info", {{"run_id", "r1"}, {"experiment_id", "12"}}}}}}});
    });
    MlflowClient client(http, oss_config(), "", nullptr);
    RunQuery query;
    query.filter = "attributes.status = 'FAILED'";
    query.max_results = 20;
    const auto runs = run_sync(client.search_runs(query));
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_EQ(runs[0].id, "r1");
    ASSERT_EQ(http.sent.size(), 2u);
    EXPECT_EQ(path_of(http.sent[0]), "experiments/search");
    EXPECT_EQ(path_of(http.sent[1]), "runs/search");
    const json body = json::parse(http.sent[1].body);
    EXPECT_EQ(body["experiment_ids"], json({"0", "12"}));
    EXPECT_EQ(body["filter"], "attributes.status = 'FAILED'");
    EXPECT_EQ(body["max_results"], 20);
    EXPECT_EQ(body["order_by"], json({"attributes.start_time DESC"}));
    for (const auto& sent : http.sent) {
        EXPECT_EQ(sent.method, "POST");
        EXPECT_EQ(header(sent, "authorization"), "Bearer hunter2-token");
        EXPECT_EQ(header(sent, "content-type"), "application/json");
    }
}

TEST(MlflowClient, NoExperimentsOrNoWantedRunsMeansNoRunsSearch) {
    FakeHttp http([](const HttpRequest&) { return ok(json::object()); });
    MlflowClient client(http, oss_config(), "", nullptr);
    EXPECT_TRUE(run_sync(client.search_runs(RunQuery{})).empty());
    ASSERT_EQ(http.sent.size(), 1u);
    EXPECT_EQ(path_of(http.sent[0]), "experiments/search");

    RunQuery none;
    none.experiment_ids = {"12"};
    none.max_results = 0;
    EXPECT_TRUE(run_sync(client.search_runs(none)).empty());
    EXPECT_EQ(http.sent.size(), 1u);
}

TEST(MlflowClient, ARunsPageLargerThanAskedIsCutToMaxResults) {
    FakeHttp http([](const HttpRequest&) {
        json runs = json::array();
        for (int i = 0; i < 5; ++i) runs.push_back({{"info", {{"run_id", "r" + std::to_string(i)}}}});
        return ok({{"runs", runs}, {"next_page_token", "more"}});
    });
    MlflowClient client(http, oss_config(), "", nullptr);
    RunQuery query;
    query.experiment_ids = {"12"};
    query.max_results = 3;
    EXPECT_EQ(run_sync(client.search_runs(query)).size(), 3u);
    EXPECT_EQ(http.sent.size(), 1u);
}

TEST(MlflowClient, DeleteRunPostsTheRunId) {
    FakeHttp http([](const HttpRequest&) { return ok(json::object()); });
    MlflowClient client(http, oss_config(), "", nullptr);
    run_sync(client.delete_run("4f2b1c9e8d7a4b6c9e0f1a2b3c4d5e6f"));
    ASSERT_EQ(http.sent.size(), 1u);
    EXPECT_EQ(http.sent[0].method, "POST");
    EXPECT_EQ(http.sent[0].url, "http://mlflow.mlflow.svc:5000/api/2.0/mlflow/runs/delete");
    EXPECT_EQ(json::parse(http.sent[0].body), json({{"run_id", "4f2b1c9e8d7a4b6c9e0f1a2b3c4d5e6f"}}));
    EXPECT_EQ(client.ui_url(), "http://mlflow.mlflow.svc:5000");
}

TEST(MlflowClient, MetricHistoryAsksForTheEncodedKeyAndFollowsPages) {
    FakeHttp http([](const HttpRequest& request) {
        if (request.url.find("page_token=") == std::string::npos)
            return ok({{"metrics", {{{"key", "train/loss"}, {"value", 2.5}, {"timestamp", 1}, {"step", 0}}}},
                       {"next_page_token", "p/2"}});
        return ok({{"metrics", {{{"key", "train/loss"}, {"value", 1.5}, {"timestamp", 2}, {"step", 10}}}}});
    });
    MlflowClient client(http, oss_config(), "", nullptr);
    const auto points = run_sync(client.metric_history("r1", "train/loss"));
    ASSERT_EQ(points.size(), 2u);
    EXPECT_DOUBLE_EQ(points[1].value, 1.5);
    EXPECT_EQ(points[1].step, 10);
    ASSERT_EQ(http.sent.size(), 2u);
    EXPECT_EQ(path_of(http.sent[0]), "metrics/get-history?run_id=r1&metric_key=train%2Floss");
    EXPECT_EQ(path_of(http.sent[1]), "metrics/get-history?run_id=r1&metric_key=train%2Floss&page_token=p%2F2");
}

TEST(MlflowClient, ErrorsNeverCarryTheToken) {
    FakeHttp http([](const HttpRequest&) { return HttpResponse{401, {}, "<html>401 Authorization Required</html>"}; });
    MlflowClient client(http, oss_config(), "", nullptr);
    const UpstreamError e = upstream_error_of([&] { run_sync(client.get_run("r1")); });
    EXPECT_EQ(e.code(), "HTTP401");
    EXPECT_EQ(e.http_status(), 401);
    EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();
}

}  // namespace
}  // namespace hpops::integrations::mlflow
