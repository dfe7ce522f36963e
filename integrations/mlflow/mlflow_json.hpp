#pragma once
// MLflow REST bodies, both ways. Answers are protobuf JSON: fields at their
// default are left out, int64 may come as strings, doubles as "NaN". A field
// of the wrong type reads as absent; a body that is not the expected shape
// at all throws UpstreamError("mlflow", "BadResponse").
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "hpops/tracking.hpp"

namespace hpops::integrations::mlflow {

// MLflow's own cap on one page of runs/search and experiments/search.
inline constexpr int max_page_size = 1000;

Experiment parse_experiment(const nlohmann::json& experiment);
// info.run_id (run_uuid on old servers), info.run_name or the mlflow.runName
// tag, data.tags/params as maps, data.metrics as the latest value of each key.
Run parse_run(const nlohmann::json& run);
MetricPoint parse_metric_point(const nlohmann::json& metric);

template <class T>
struct Page {
    std::vector<T> items;
    std::string next_page_token;  // empty on the last page
};
Page<Experiment> parse_experiments_page(const nlohmann::json& body);  // experiments/search
Page<Run> parse_runs_page(const nlohmann::json& body);                // runs/search
Page<MetricPoint> parse_metric_history_page(const nlohmann::json& body);  // metrics/get-history
Run parse_get_run(const nlohmann::json& body);                        // runs/get: {"run": {...}}

// Parses a successful answer; `what` names the call for the error message.
nlohmann::json parse_body(std::string_view body, std::string_view what);

std::string search_experiments_body(std::string_view page_token);
// One page of runs/search for `query`, asking for page_size runs.
std::string search_runs_body(const std::vector<std::string>& experiment_ids, const RunQuery& query, int page_size,
                             std::string_view page_token);
std::string run_id_body(std::string_view run_id);  // runs/delete

}  // namespace hpops::integrations::mlflow
