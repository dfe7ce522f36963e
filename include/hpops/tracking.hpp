#pragma once
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace hpops {

// Training history from MLflow, as handlers see it. Implemented over MLflow's
// REST API (open-source tracking server, or SageMaker managed MLflow) in
// integrations/mlflow/. Errors are UpstreamError{"mlflow", error_code, message}.

struct Experiment {
    std::string id;
    std::string name;
    std::string lifecycle_stage;  // active, deleted
};

struct MetricPoint {
    double value = 0;
    std::int64_t timestamp_ms = 0;
    std::int64_t step = 0;
};

struct Run {
    std::string id;
    std::string name;  // run_name, or the mlflow.runName tag
    std::string experiment_id;
    std::string status;  // RUNNING, SCHEDULED, FINISHED, FAILED, KILLED
    std::int64_t start_time_ms = 0;
    std::int64_t end_time_ms = 0;  // 0 while running
    std::map<std::string, std::string> tags;    // all of them, mlflow.* included
    std::map<std::string, std::string> params;
    std::map<std::string, double> metrics;      // latest value of each
};

struct RunQuery {
    std::vector<std::string> experiment_ids;  // empty: every active experiment
    std::string filter;                       // MLflow search syntax, e.g. "attributes.status = 'FAILED'"
    std::vector<std::string> order_by{"attributes.start_time DESC"};
    int max_results = 50;                     // across pages
};

class Tracking {
public:
    virtual ~Tracking() = default;
    // Where people look at runs, for links; empty when unknown.
    virtual std::string ui_url() const = 0;
    virtual boost::asio::awaitable<std::vector<Experiment>> search_experiments() = 0;  // all pages
    virtual boost::asio::awaitable<std::vector<Run>> search_runs(RunQuery query) = 0;  // follows page_token
    virtual boost::asio::awaitable<Run> get_run(std::string run_id) = 0;
    virtual boost::asio::awaitable<void> delete_run(std::string run_id) = 0;
    virtual boost::asio::awaitable<std::vector<MetricPoint>> metric_history(std::string run_id, std::string key) = 0;
};

}  // namespace hpops
