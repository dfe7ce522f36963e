#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "handlers/training_view.hpp"

namespace hpops::handlers {

using MetricHistories = std::map<std::string, std::vector<MetricPoint>>;  // metric key -> points

// Metrics whose history `training show` draws, when the run logged them.
inline constexpr std::array<std::string_view, 4> trend_metrics{"loss", "eval_loss", "train_samples_per_second",
                                                               "train_steps_per_second"};

// Rows and fields shown at most in one reply; the rest are counted.
inline constexpr std::size_t max_metric_rows = 25;
inline constexpr std::size_t max_detail_fields = 30;  // params, and tags, each
inline constexpr std::size_t max_compare_rows = 40;
inline constexpr std::size_t max_compare_runs = 6;   // wider tables wrap into noise in Slack

// The run's page in the MLflow UI; empty when no UI URL is known.
std::string run_url(const std::string& ui_url, const Run& run);

// `/hp training show RUN`: metrics (last value, trend), params, tags, timings, link.
Reply render_run(const Run& run, const ExperimentNames& experiments, const MetricHistories& histories,
                 const std::string& ui_url, std::int64_t now_ms);

// `/hp training compare RUN RUN…`: side by side, differing params and tags
// first and marked ≠, throughput relative to the first run.
Reply render_compare(const std::vector<Run>& runs, const ExperimentNames& experiments, std::int64_t now_ms);

}  // namespace hpops::handlers
