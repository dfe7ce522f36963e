#include <gtest/gtest.h>

#include "tests/support/upstream_error_of.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <functional>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "bot/server/http_server.hpp"
#include "hpops/errors.hpp"
#include "integrations/http/curl_client.hpp"
#include "integrations/mlflow/mlflow_client.hpp"
#include "tests/support/run_sync.hpp"
#include "tests/support/scripted_server.hpp"

// Paging and failure mechanics over real HTTP (CurlClient) against a loopback
// stand-in on port 0. It answers only as much of MLflow as these mechanics
// need; behaviour against a real `mlflow server` is tested elsewhere.

namespace hpops::integrations::mlflow {
namespace {
namespace asio = boost::asio;
using hpops::testing::run_sync;
using nlohmann::json;
using namespace std::chrono_literals;

class StandIn : public hpops::testing::ScriptedServer {
public:
    explicit StandIn(std::function<bot::HttpOut(const bot::HttpIn&)> script, std::chrono::milliseconds delay = 0ms)
        : ScriptedServer([script = std::move(script)](const bot::HttpIn& in, int) { return script(in); }, delay) {}
};

MlflowConfig config_for(const std::string& url, std::chrono::milliseconds timeout = 5s) {
    MlflowConfig config;
    config.tracking_uri = url;
    config.timeout = timeout;
    return config;
}

using hpops::testing::upstream_error_of;

std::string run_id(int i) {
    char id[16];
    std::snprintf(id, sizeof id, "r%04d", i);
    return id;
}

// runs/search over `total` runs, paged by offset tokens, honouring max_results.
bot::HttpOut runs_search(const bot::HttpIn& in, int total) {
    const json request = json::parse(in.body);
    const int offset = request.contains("page_token") ? std::stoi(request["page_token"].get<std::string>()) : 0;
    const int size = request.at("max_results").get<int>();
    json runs = json::array();
    for (int i = offset; i < std::min(total, offset + size); ++i)
        runs.push_back({{"info", {{"run_id", run_id(i)}, {"experiment_id", "12"}, {"status", "FINISHED"}}},
                        {"data", {{"metrics", {{{"key", "loss"}, {"value", i}, {"timestamp", 1}, {"step", 1}}}}}}});
    json out = {{"runs", runs}};
    if (offset + size < total) out["next_page_token"] = std::to_string(offset + size);
    return bot::json_response(200, out.dump());
}

TEST(MlflowClientLoopback, RunsSearchFollowsPagesUntilMaxResults) {
    StandIn mlflow([](const bot::HttpIn& in) { return runs_search(in, 2500); });
    CurlClient curl(2);
    MlflowClient client(curl, config_for(mlflow.url()), "", nullptr);
    RunQuery query;
    query.experiment_ids = {"12"};
    query.max_results = 2100;

    const auto runs = run_sync(client.search_runs(query));
    ASSERT_EQ(runs.size(), 2100u);
    for (int i : {0, 999, 1000, 2099}) EXPECT_EQ(runs[static_cast<std::size_t>(i)].id, run_id(i));
    EXPECT_DOUBLE_EQ(runs[2099].metrics.at("loss"), 2099);

    const auto received = mlflow.received();
    ASSERT_EQ(received.size(), 3u);
    const std::vector<int> sizes = {1000, 1000, 100};
    const std::vector<std::string> tokens = {"", "1000", "2000"};
    for (std::size_t i = 0; i < received.size(); ++i) {
        EXPECT_EQ(received[i].method, "POST");
        EXPECT_EQ(received[i].target, "/api/2.0/mlflow/runs/search");
        EXPECT_EQ(received[i].header("content-type"), "application/json");
        const json body = json::parse(received[i].body);
        EXPECT_EQ(body["max_results"], sizes[i]) << i;
        EXPECT_EQ(body.value("page_token", ""), tokens[i]) << i;
        EXPECT_EQ(body["experiment_ids"], json({"12"}));
    }
}

TEST(MlflowClientLoopback, RunsSearchStopsAtTheLastPage) {
    StandIn mlflow([](const bot::HttpIn& in) { return runs_search(in, 30); });
    CurlClient curl(1);
    MlflowClient client(curl, config_for(mlflow.url() + "/"), "", nullptr);
    RunQuery query;
    query.experiment_ids = {"12"};
    EXPECT_EQ(run_sync(client.search_runs(query)).size(), 30u);
    EXPECT_EQ(mlflow.received().size(), 1u);
}

TEST(MlflowClientLoopback, ExperimentsAndMetricHistoryFollowPages) {
    StandIn mlflow([](const bot::HttpIn& in) {
        if (in.path() == "/api/2.0/mlflow/experiments/search") {
            const json request = json::parse(in.body);
            if (!request.contains("page_token"))
                return bot::json_response(
                    200, R"({"experiments":[{"experiment_id":"0","name":"Default","lifecycle_stage":"active"}],)"
                         R"("next_page_token":"e2"})");
            return bot::json_response(
                200, R"({"experiments":[{"experiment_id":"12","name":"/hp/sft","lifecycle_stage":"active"}]})");
        }
        if (in.target.find("page_token=h2") == std::string::npos)
            return bot::json_response(
                200, R"({"metrics":[{"key":"loss","value":2.0,"timestamp":10,"step":0}],"next_page_token":"h2"})");
        return bot::json_response(200, R"({"metrics":[{"key":"loss","value":1.0,"timestamp":20,"step":5}]})");
    });
    CurlClient curl(1);
    MlflowClient client(curl, config_for(mlflow.url()), "", nullptr);

    const auto experiments = run_sync(client.search_experiments());
    ASSERT_EQ(experiments.size(), 2u);
    EXPECT_EQ(experiments[1].name, "/hp/sft");
    const auto history = run_sync(client.metric_history("r 1", "loss"));
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history[1].step, 5);

    const auto received = mlflow.received();
    ASSERT_EQ(received.size(), 4u);
    EXPECT_EQ(json::parse(received[1].body)["page_token"], "e2");
    EXPECT_EQ(received[2].method, "GET");
    EXPECT_EQ(received[2].target, "/api/2.0/mlflow/metrics/get-history?run_id=r%201&metric_key=loss");
    EXPECT_EQ(received[3].target, "/api/2.0/mlflow/metrics/get-history?run_id=r%201&metric_key=loss&page_token=h2");
}

TEST(MlflowClientLoopback, AServerThatRepeatsAPageTokenIsStoppedNotFollowedForever) {
    StandIn mlflow([](const bot::HttpIn&) {
        return bot::json_response(200, R"({"metrics":[{"key":"loss","value":1}],"next_page_token":"again"})");
    });
    CurlClient curl(1);
    MlflowClient client(curl, config_for(mlflow.url()), "", nullptr);
    const UpstreamError e = upstream_error_of([&] { run_sync(client.metric_history("r1", "loss")); });
    EXPECT_EQ(e.code(), "BadResponse");
    EXPECT_EQ(mlflow.received().size(), 2u);
}

TEST(MlflowClientLoopback, MlflowErrorsArriveAsTheirCodeAndAreNotRetried) {
    StandIn mlflow([](const bot::HttpIn&) {
        bot::HttpOut out = bot::json_response(
            404, R"({"error_code":"RESOURCE_DOES_NOT_EXIST","message":"Run with id=r404 not found"})");
        out.headers = {{"x-request-id", "req-404"}};
        return out;
    });
    CurlClient curl(1);
    MlflowClient client(curl, config_for(mlflow.url()), "", nullptr);
    const UpstreamError e = upstream_error_of([&] { run_sync(client.get_run("r404")); });
    EXPECT_EQ(e.service(), "mlflow");
    EXPECT_EQ(e.code(), "RESOURCE_DOES_NOT_EXIST");
    EXPECT_EQ(e.upstream_message(), "Run with id=r404 not found");
    EXPECT_EQ(e.request_id(), "req-404");
    EXPECT_EQ(e.http_status(), 404);
    EXPECT_EQ(mlflow.received().size(), 1u);
}

TEST(MlflowClientLoopback, AFailingServerIsRetriedOnceThenNamed) {
    StandIn mlflow([](const bot::HttpIn&) { return bot::text_response(503, "upstream connect error"); });
    CurlClient curl(1);
    MlflowClient client(curl, config_for(mlflow.url()), "", nullptr);
    const UpstreamError e = upstream_error_of([&] { run_sync(client.search_experiments()); });
    EXPECT_EQ(e.code(), "HTTP503");
    EXPECT_EQ(e.upstream_message(), "MLflow failed (HTTP 503): upstream connect error");
    EXPECT_EQ(mlflow.received().size(), 2u);
}

TEST(MlflowClientLoopback, BasicAuthReachesTheServer) {
    StandIn mlflow([](const bot::HttpIn&) { return bot::json_response(200, "{}"); });
    CurlClient curl(1);
    MlflowConfig config = config_for(mlflow.url());
    config.username = "ann";
    config.password = "hunter2";
    MlflowClient client(curl, config, "", nullptr);
    run_sync(client.delete_run("r1"));
    const auto received = mlflow.received();
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0].header("authorization"), "Basic YW5uOmh1bnRlcjI=");
    EXPECT_EQ(received[0].body, R"({"run_id":"r1"})");
}

TEST(MlflowClientLoopback, ASlowServerIsCutOffWithAClearMessage) {
    StandIn mlflow([](const bot::HttpIn&) { return bot::json_response(200, "{}"); }, 5s);
    CurlClient curl(1);
    MlflowClient client(curl, config_for(mlflow.url(), 300ms), "", nullptr);
    const auto started = std::chrono::steady_clock::now();
    const UpstreamError e = upstream_error_of([&] { run_sync(client.get_run("r1")); });
    const auto elapsed = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(e.service(), "mlflow");
    EXPECT_EQ(e.code(), "Timeout") << e.what();
    EXPECT_EQ(e.upstream_message(), "MLflow at " + mlflow.url() + " did not answer within 300 ms");
    // Two attempts of 300 ms and one short backoff, nowhere near the 5 s delay.
    EXPECT_LT(elapsed, 3s);
}

// A port that was free a moment ago: connecting to it is refused.
std::uint16_t unused_port() {
    asio::io_context io;
    asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
    return acceptor.local_endpoint().port();
}

TEST(MlflowClientLoopback, NothingListeningIsUnreachable) {
    CurlClient curl(1);
    const std::string url = "http://127.0.0.1:" + std::to_string(unused_port());
    MlflowClient client(curl, config_for(url, 2s), "", nullptr);
    const UpstreamError e = upstream_error_of([&] { run_sync(client.search_experiments()); });
    EXPECT_EQ(e.code(), "Unreachable") << e.what();
    EXPECT_EQ(e.upstream_message().rfind("MLflow at " + url + " cannot be reached (", 0), 0u) << e.what();
}

}  // namespace
}  // namespace hpops::integrations::mlflow
