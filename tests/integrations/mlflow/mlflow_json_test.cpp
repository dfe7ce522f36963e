#include "integrations/mlflow/mlflow_json.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include <nlohmann/json.hpp>

#include "hpops/errors.hpp"
#include "integrations/mlflow/mlflow_errors.hpp"

namespace hpops::integrations::mlflow {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// runs/search from an MLflow 2.x server: a finished fine-tuning run, and a
// running one from an older client that set only the mlflow.runName tag
// (int64 fields as strings, a NaN metric, no end_time yet).
const char* const runs_search_page = R"({
  "runs": [
    {
      "info": {
        "run_uuid": "4f2b1c9e8d7a4b6c9e0f1a2b3c4d5e6f",
        "experiment_id": "12",
        "run_name": "llama3-8b-sft-lr3e-5",
        "user_id": "ann",
        "status": "FINISHED",
        "start_time": 1710025507123,
        "end_time": 1710039907456,
        "artifact_uri": "s3://hp-mlflow/12/4f2b1c9e8d7a4b6c9e0f1a2b3c4d5e6f/artifacts",
        "lifecycle_stage": "active",
        "run_id": "4f2b1c9e8d7a4b6c9e0f1a2b3c4d5e6f"
      },
      "data": {
        "metrics": [
          {"key": "train/loss", "value": 0.8123, "timestamp": 1710039900000, "step": 1200},
          {"key": "eval/accuracy", "value": 0.914, "timestamp": 1710039905000, "step": 1200}
        ],
        "params": [
          {"key": "learning_rate", "value": "3e-5"},
          {"key": "per_device_train_batch_size", "value": "8"}
        ],
        "tags": [
          {"key": "mlflow.runName", "value": "llama3-8b-sft-lr3e-5"},
          {"key": "mlflow.user", "value": "ann"},
          {"key": "hyperpod.cluster", "value": "hp-cluster"}
        ]
      },
      "inputs": {}
    },
    {
      "info": {
        "run_uuid": "9a8b7c6d5e4f40312a1b0c9d8e7f6a5b",
        "experiment_id": "12",
        "user_id": "bob",
        "status": "RUNNING",
        "start_time": "1710041000000",
        "artifact_uri": "s3://hp-mlflow/12/9a8b7c6d5e4f40312a1b0c9d8e7f6a5b/artifacts",
        "lifecycle_stage": "active",
        "run_id": "9a8b7c6d5e4f40312a1b0c9d8e7f6a5b"
      },
      "data": {
        "metrics": [{"key": "train/loss", "value": "NaN", "timestamp": "1710041060000", "step": "3"}],
        "tags": [{"key": "mlflow.runName", "value": "mixtral-dpo-nightly"}]
      }
    }
  ],
  "next_page_token": "eyJvZmZzZXQiOiAyfQ=="
})";

TEST(MlflowJson, ParsesARunsSearchPage) {
    const auto page = parse_runs_page(runs_search_page);
    ASSERT_EQ(page.items.size(), 2u);
    EXPECT_EQ(page.next_page_token, "eyJvZmZzZXQiOiAyfQ==");

    const hpops::Run& done = page.items[0];
    EXPECT_EQ(done.id, "4f2b1c9e8d7a4b6c9e0f1a2b3c4d5e6f");
    EXPECT_EQ(done.name, "llama3-8b-sft-lr3e-5");
    EXPECT_EQ(done.experiment_id, "12");
    EXPECT_EQ(done.status, "FINISHED");
    EXPECT_EQ(done.start_time_ms, 1710025507123);
    EXPECT_EQ(done.end_time_ms, 1710039907456);
    EXPECT_EQ(done.params, (std::map<std::string, std::string>{{"learning_rate", "3e-5"},
                                                               {"per_device_train_batch_size", "8"}}));
    EXPECT_EQ(done.tags.at("hyperpod.cluster"), "hp-cluster");
    EXPECT_EQ(done.tags.size(), 3u);
    EXPECT_DOUBLE_EQ(done.metrics.at("train/loss"), 0.8123);
    EXPECT_DOUBLE_EQ(done.metrics.at("eval/accuracy"), 0.914);

    const hpops::Run& running = page.items[1];
    EXPECT_EQ(running.name, "mixtral-dpo-nightly");  // from the tag
    EXPECT_EQ(running.status, "RUNNING");
    EXPECT_EQ(running.start_time_ms, 1710041000000);
    EXPECT_EQ(running.end_time_ms, 0);
    EXPECT_TRUE(running.params.empty());
    EXPECT_TRUE(std::isnan(running.metrics.at("train/loss")));
}

TEST(MlflowJson, TheLatestStepOfARepeatedMetricWins) {
    const hpops::Run run = parse_get_run(R"({"run": {"info": {"run_id": "r1"}, "data": {"metrics": [
        {"key": "loss", "value": 0.5, "timestamp": 2000, "step": 20},
        {"key": "loss", "value": 0.9, "timestamp": 1000, "step": 10},
        {"key": "loss", "value": 0.4, "timestamp": 3000, "step": 20}]}}})");
    EXPECT_DOUBLE_EQ(run.metrics.at("loss"), 0.4);
}

TEST(MlflowJson, OldServersAndMissingPartsReadAsDefaults) {
    // MLflow 0.x: run_uuid only; protobuf JSON leaves out empty fields.
    const hpops::Run old = parse_get_run(R"({"run": {"info": {"run_uuid": "u1", "status": "KILLED"}}})");
    EXPECT_EQ(old.id, "u1");
    EXPECT_EQ(old.status, "KILLED");
    EXPECT_TRUE(old.tags.empty());
    EXPECT_TRUE(old.metrics.empty());
    // Wrong types read as absent rather than failing the whole page.
    const hpops::Run odd =
        parse_get_run(R"({"run": {"info": {"run_id": 7, "start_time": "soon"}, "data": {"tags": {}}}})");
    EXPECT_EQ(odd.id, "");
    EXPECT_EQ(odd.start_time_ms, 0);

    const auto empty = parse_runs_page("{}");
    EXPECT_TRUE(empty.items.empty());
    EXPECT_EQ(empty.next_page_token, "");
}

TEST(MlflowJson, ParsesExperimentsGetRunAndMetricHistory) {
    const auto experiments = parse_experiments_page(R"({"experiments": [
        {"experiment_id": "0", "name": "Default", "artifact_location": "mlflow-artifacts:/0",
         "lifecycle_stage": "active", "last_update_time": 1709000000000, "creation_time": 1709000000000},
        {"experiment_id": "12", "name": "/hp/llama3-sft", "lifecycle_stage": "active",
         "tags": [{"key": "team", "value": "llm"}]}]})");
    ASSERT_EQ(experiments.items.size(), 2u);
    EXPECT_EQ(experiments.items[1].id, "12");
    EXPECT_EQ(experiments.items[1].name, "/hp/llama3-sft");
    EXPECT_EQ(experiments.items[1].lifecycle_stage, "active");
    EXPECT_EQ(experiments.next_page_token, "");

    const hpops::Run run =
        parse_get_run(R"({"run": {"info": {"run_id": "r9", "run_name": "a"}, "data": {}}})");
    EXPECT_EQ(run.id, "r9");

    const auto history = parse_metric_history_page(R"({"metrics": [
        {"key": "train/loss", "value": 2.31, "timestamp": 1710025600000, "step": 0},
        {"key": "train/loss", "value": 1.07, "timestamp": 1710026600000, "step": 100}],
        "next_page_token": "p2"})");
    ASSERT_EQ(history.items.size(), 2u);
    EXPECT_DOUBLE_EQ(history.items[1].value, 1.07);
    EXPECT_EQ(history.items[1].step, 100);
    EXPECT_EQ(history.items[1].timestamp_ms, 1710026600000);
    EXPECT_EQ(history.next_page_token, "p2");
}

TEST(MlflowJson, AnswersOfTheWrongShapeAreBadResponses) {
    auto code_of = [](auto&& parse) {
        try {
            parse();
        } catch (const UpstreamError& e) {
            EXPECT_EQ(e.service(), "mlflow");
            return e.code() + ": " + e.upstream_message();
        }
        return std::string("no error");
    };
    EXPECT_EQ(code_of([] { parse_get_run("{}"); }), "BadResponse: MLflow's answer to runs/get has no `run`");
    EXPECT_EQ(code_of([] { parse_runs_page(R"({"runs": {}})"); }),
              "BadResponse: MLflow's answer to runs/search has `runs` that is not a list");
    EXPECT_EQ(code_of([] { parse_experiments_page("[]"); }),
              "BadResponse: MLflow's answer to experiments/search is not a JSON object");
    EXPECT_EQ(code_of([] { parse_runs_page("<html>Sign in</html>"); }),
              "BadResponse: MLflow's answer to runs/search is not JSON; is tracking_uri the MLflow server's base URL?");
    EXPECT_EQ(code_of([] { check_json("{\"a\": ", "runs/delete"); }),
              "BadResponse: MLflow's answer to runs/delete is not JSON; is tracking_uri the MLflow server's base URL?");
    // An empty 200 reads as {}.
    EXPECT_EQ(code_of([] { check_json(" \r\n", "runs/delete"); }), "no error");
    EXPECT_EQ(code_of([] { parse_get_run(""); }), "BadResponse: MLflow's answer to runs/get has no `run`");
    EXPECT_TRUE(parse_runs_page("").items.empty());
}

TEST(MlflowJson, RequestBodiesCarryOnlyWhatIsSet) {
    RunQuery query;
    query.filter = "attributes.status = 'FAILED' and tags.team = 'llm'";
    EXPECT_EQ(json::parse(search_runs_body({"12", "14"}, query, 1000, "tok")),
              json::parse(R"({"experiment_ids": ["12", "14"], "run_view_type": "ACTIVE_ONLY", "max_results": 1000,
                              "filter": "attributes.status = 'FAILED' and tags.team = 'llm'",
                              "order_by": ["attributes.start_time DESC"], "page_token": "tok"})"));
    RunQuery plain;
    plain.order_by.clear();
    EXPECT_EQ(json::parse(search_runs_body({"0"}, plain, 50, "")),
              json::parse(R"({"experiment_ids": ["0"], "run_view_type": "ACTIVE_ONLY", "max_results": 50})"));
    EXPECT_EQ(json::parse(search_experiments_body("")),
              json::parse(R"({"max_results": 1000, "view_type": "ACTIVE_ONLY"})"));
    EXPECT_EQ(run_id_body("r\"1"), R"({"run_id":"r\"1"})");
}

// --- errors -----------------------------------------------------------------

MlflowTarget oss_target() {
    MlflowConfig config;
    config.tracking_uri = "https://ann:hunter2@mlflow.example.com/";
    config.timeout = 10s;
    return resolve_target(config, "");
}

MlflowTarget sagemaker_target() {
    MlflowConfig config;
    config.tracking_uri = "arn:aws:sagemaker:us-west-2:123456789012:mlflow-tracking-server/hp-tracking";
    return resolve_target(config, "");
}

TEST(MlflowErrors, MlflowsErrorCodeAndMessageArePassedOn) {
    const HttpResponse response{404, {{"content-type", "application/json"}},
                                R"({"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "Run 'r404' not found"})"};
    const UpstreamError e = error_from_response(response, oss_target(), "runs/get?run_id=r404");
    EXPECT_EQ(e.service(), "mlflow");
    EXPECT_EQ(e.code(), "RESOURCE_DOES_NOT_EXIST");
    EXPECT_EQ(e.upstream_message(), "Run 'r404' not found");
    EXPECT_EQ(e.http_status(), 404);
}

TEST(MlflowErrors, SageMakersFrontEndErrorsKeepTheirTypeAndRequestId) {
    const HttpResponse response{
        403,
        {{"x-amzn-errortype", "AccessDeniedException:http://internal.amazon.com/coral/"},
         {"x-amzn-requestid", "3f1e-sm"}},
        R"({"message": "User: arn:aws:sts::123456789012:assumed-role/hpops/x is not authorized to perform: )"
        R"(sagemaker-mlflow:SearchRuns"})"};
    const UpstreamError e = error_from_response(response, sagemaker_target(), "runs/search");
    EXPECT_EQ(e.code(), "AccessDeniedException");
    EXPECT_NE(e.upstream_message().find("sagemaker-mlflow:SearchRuns"), std::string::npos);
    EXPECT_EQ(e.request_id(), "3f1e-sm");

    const UpstreamError bare =
        error_from_response(HttpResponse{403, {}, "Forbidden"}, sagemaker_target(), "runs/search");
    EXPECT_EQ(bare.code(), "HTTP403");
    EXPECT_EQ(bare.upstream_message(),
              "MLflow at https://us-west-2.experiments.sagemaker.aws refused the request (HTTP 403): check that "
              "hpops's AWS identity may use the tracking server "
              "arn:aws:sagemaker:us-west-2:123456789012:mlflow-tracking-server/hp-tracking");
}

TEST(MlflowErrors, PagesThatAreNotMlflowSayWhatTheStatusMeansWithoutCredentials) {
    const MlflowTarget target = oss_target();
    auto message = [&](long status, std::string body) {
        return error_from_response(HttpResponse{status, {}, std::move(body)}, target, "runs/search").upstream_message();
    };
    EXPECT_EQ(message(404, "<html><body>Not Found</body></html>"),
              "MLflow at https://mlflow.example.com has no /api/2.0/mlflow/runs/search (HTTP 404): is tracking_uri "
              "the server's base URL?");
    EXPECT_EQ(message(401, "Unauthorized"),
              "MLflow at https://mlflow.example.com refused the request (HTTP 401): check mlflow.token, or "
              "mlflow.username and password");
    EXPECT_EQ(message(502, "<html><title>502 Bad Gateway</title></html>"),
              "MLflow failed (HTTP 502)");
    EXPECT_EQ(message(503, "upstream connect error\r\nmore"),
              "MLflow failed (HTTP 503): upstream connect error");
    EXPECT_EQ(message(429, ""),
              "MLflow is throttling requests (HTTP 429); try again shortly");
    EXPECT_EQ(error_from_response(HttpResponse{500, {}, "{}"}, target, "x").code(), "HTTP500");
    for (long status : {401L, 404L, 502L}) EXPECT_EQ(message(status, "").find("hunter2"), std::string::npos);
}

TEST(MlflowErrors, NothingAnsweringBecomesTimeoutOrUnreachable) {
    const MlflowTarget target = oss_target();
    const UpstreamError slow = error_from_transport(
        UpstreamError("http", "Timeout was reached", "Operation timed out after 10001 milliseconds (https://x)"),
        target);
    EXPECT_EQ(slow.service(), "mlflow");
    EXPECT_EQ(slow.code(), "Timeout");
    EXPECT_EQ(slow.upstream_message(), "MLflow at https://mlflow.example.com did not answer within 10 s");
    const UpstreamError down = error_from_transport(
        UpstreamError("http", "Couldn't connect to server", "Failed to connect (https://x)"), target);
    EXPECT_EQ(down.code(), "Unreachable");
    EXPECT_EQ(down.upstream_message(),
              "MLflow at https://mlflow.example.com cannot be reached (Couldn't connect to server)");

    EXPECT_EQ(describe_duration(10s), "10 s");
    EXPECT_EQ(describe_duration(2500ms), "2.5 s");
    EXPECT_EQ(describe_duration(300ms), "300 ms");
}

}  // namespace
}  // namespace hpops::integrations::mlflow
