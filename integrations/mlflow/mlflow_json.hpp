#pragma once
// MLflow REST bodies, both ways. Answers are protobuf JSON: fields at their
// default are left out, int64 may come as strings, doubles as "NaN". A field
// of the wrong type reads as absent; a body that is not JSON, or not the
// expected shape at all, throws UpstreamError("mlflow", "BadResponse").
// A body of only whitespace reads as {}.
#include <string>
#include <string_view>
#include <vector>

#include "hpops/tracking.hpp"

namespace hpops::integrations::mlflow {

// MLflow's own cap on one page of runs/search and experiments/search.
inline constexpr int max_page_size = 1000;

template <class T>
struct Page {
    std::vector<T> items;
    std::string next_page_token;  // empty on the last page
};

// Answers are read from their text straight into hpops types, without a
// JSON tree (a 1,000-run runs/search page is 3.4 MB); errors name the call.
Page<Experiment> parse_experiments_page(std::string_view body);       // experiments/search
// info.run_id (run_uuid on old servers), info.run_name or the mlflow.runName
// tag, data.tags/params as maps, data.metrics as the latest value of each key.
Page<Run> parse_runs_page(std::string_view body);                     // runs/search
Page<MetricPoint> parse_metric_history_page(std::string_view body);   // metrics/get-history
Run parse_get_run(std::string_view body);                             // runs/get: {"run": {...}}
// For answers with nothing to read (runs/delete): still JSON, or BadResponse.
void check_json(std::string_view body, std::string_view what);

std::string search_experiments_body(std::string_view page_token);
// One page of runs/search for `query`, asking for page_size runs.
std::string search_runs_body(const std::vector<std::string>& experiment_ids, const RunQuery& query, int page_size,
                             std::string_view page_token);
std::string run_id_body(std::string_view run_id);  // runs/delete

}  // namespace hpops::integrations::mlflow
