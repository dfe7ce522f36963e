#include "integrations/mlflow/mlflow_client.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <utility>

#include "hpops/errors.hpp"
#include "integrations/mlflow/mlflow_errors.hpp"
#include "integrations/mlflow/mlflow_json.hpp"

namespace hpops::integrations::mlflow {
namespace asio = boost::asio;

namespace {

// One retry covers a dropped connection or a brief 5xx/429 during an MLflow
// restart; more would keep a chat user waiting on a server that is down.
constexpr RetryPolicy mlflow_retry{.max_attempts = 2, .base_delay = std::chrono::milliseconds(200),
                                   .max_delay = std::chrono::milliseconds(2'000)};

// Remembers page tokens so a server that hands one back twice cannot keep
// a search going forever.
class PageGuard {
public:
    explicit PageGuard(std::string what) : what_(std::move(what)) {}
    // False when there is no further page to ask for.
    bool next(const std::string& token) {
        if (token.empty()) return false;
        if (!seen_.insert(token).second || ++pages_ >= MlflowClient::max_pages)
            throw UpstreamError("mlflow", "BadResponse", "MLflow kept paging through " + what_ + "; stopped");
        return true;
    }

private:
    std::string what_;
    std::set<std::string> seen_;
    int pages_ = 0;
};

// The calls are built in plain functions: GCC 12 mishandles braced
// temporaries inside a coroutine body (it rejects some and destroys others twice).
MlflowCall search_experiments_call(const std::string& token) {
    return MlflowCall{"POST", "experiments/search", search_experiments_body(token)};
}
MlflowCall search_runs_call(const std::vector<std::string>& ids, const RunQuery& query, int wanted,
                            const std::string& token) {
    return MlflowCall{"POST", "runs/search", search_runs_body(ids, query, wanted, token)};
}
MlflowCall get_run_call(const std::string& run_id) {
    return MlflowCall{"GET", "runs/get?" + query_string({{"run_id", run_id}}), {}};
}
MlflowCall delete_run_call(const std::string& run_id) { return MlflowCall{"POST", "runs/delete", run_id_body(run_id)}; }
MlflowCall metric_history_call(const std::string& run_id, const std::string& key, const std::string& token) {
    return MlflowCall{
        "GET", "metrics/get-history?" + query_string({{"run_id", run_id}, {"metric_key", key}, {"page_token", token}}),
        {}};
}

}  // namespace

MlflowClient::MlflowClient(HttpClient& http, const MlflowConfig& config, std::string aws_region,
                           aws::CredentialsProvider* credentials)
    : http_(http), credentials_(credentials), target_(resolve_target(config, aws_region)),
      ui_url_(resolve_ui_url(config)) {}

asio::awaitable<std::string> MlflowClient::call(MlflowCall call) {
    if (!target_.problem.empty()) throw UpstreamError("mlflow", "NotConfigured", target_.problem);
    HttpRequest request = build_request(target_, call);
    if (target_.mode == MlflowTarget::Mode::sagemaker) {
        if (credentials_ == nullptr)
            throw UpstreamError("mlflow", "NoAwsCredentials",
                                "the MLflow tracking server " + target_.arn +
                                    " is SageMaker managed MLflow, whose requests are signed with AWS credentials, "
                                    "but AWS is not configured: set aws.region or AWS_REGION");
        const aws::AwsCredentials credentials = co_await credentials_->get();
        sign_sagemaker_request(request, target_, credentials, std::chrono::system_clock::now());
    }
    const std::string what = call.path.substr(0, call.path.find('?'));
    const auto started = std::chrono::steady_clock::now();
    HttpResponse response;
    try {
        response = co_await http_.send(std::move(request), mlflow_retry);
    } catch (const UpstreamError& failure) {
        // The HTTP layer's failure names curl; say it in terms of MLflow.
        throw error_from_transport(failure, target_);
    }
    // Method, path and status only: the query may hold names people typed,
    // the headers hold credentials.
    spdlog::debug("mlflow {} {} -> {} in {} ms", call.method, what, response.status,
                  std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
                      .count());
    if (response.status < 200 || response.status > 299) throw error_from_response(response, target_, call.path);
    co_return std::move(response.body);
}

asio::awaitable<std::vector<Experiment>> MlflowClient::search_experiments() {
    std::vector<Experiment> experiments;
    PageGuard guard("experiments/search");
    std::string token;
    do {
        auto work = call(search_experiments_call(token));
        const std::string body = co_await std::move(work);
        auto page = parse_experiments_page(body);
        std::move(page.items.begin(), page.items.end(), std::back_inserter(experiments));
        token = std::move(page.next_page_token);
    } while (guard.next(token));
    co_return experiments;
}

asio::awaitable<std::vector<Run>> MlflowClient::search_runs(RunQuery query) {
    std::vector<Run> runs;
    if (query.max_results <= 0) co_return runs;
    // runs/search needs experiment ids; "every active experiment" is a search first.
    std::vector<std::string> ids = std::move(query.experiment_ids);
    if (ids.empty()) {
        for (const Experiment& experiment : co_await search_experiments())
            if (experiment.lifecycle_stage.empty() || experiment.lifecycle_stage == "active")
                ids.push_back(experiment.id);
        if (ids.empty()) co_return runs;
    }
    PageGuard guard("runs/search");
    std::string token;
    do {
        const int wanted = std::min(max_page_size, query.max_results - static_cast<int>(runs.size()));
        auto work = call(search_runs_call(ids, query, wanted, token));
        const std::string body = co_await std::move(work);
        auto page = parse_runs_page(body);
        // A server that ignores max_results must not return more than asked.
        if (page.items.size() > static_cast<std::size_t>(wanted)) page.items.resize(static_cast<std::size_t>(wanted));
        // Most searches are one page: take it whole rather than move 1,000 runs one by one.
        if (runs.empty())
            runs = std::move(page.items);
        else
            std::move(page.items.begin(), page.items.end(), std::back_inserter(runs));
        token = std::move(page.next_page_token);
    } while (static_cast<int>(runs.size()) < query.max_results && guard.next(token));
    co_return runs;
}

asio::awaitable<Run> MlflowClient::get_run(std::string run_id) {
    auto work = call(get_run_call(run_id));
    const std::string body = co_await std::move(work);
    co_return parse_get_run(body);
}

asio::awaitable<void> MlflowClient::delete_run(std::string run_id) {
    auto work = call(delete_run_call(run_id));
    const std::string body = co_await std::move(work);
    check_json(body, "runs/delete");
}

asio::awaitable<std::vector<MetricPoint>> MlflowClient::metric_history(std::string run_id, std::string key) {
    std::vector<MetricPoint> points;
    PageGuard guard("metrics/get-history");
    std::string token;
    do {
        auto work = call(metric_history_call(run_id, key, token));
        const std::string body = co_await std::move(work);
        auto page = parse_metric_history_page(body);
        std::move(page.items.begin(), page.items.end(), std::back_inserter(points));
        token = std::move(page.next_page_token);
    } while (guard.next(token));
    co_return points;
}

}  // namespace hpops::integrations::mlflow
