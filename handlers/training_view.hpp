#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hpops/reply.hpp"
#include "hpops/tracking.hpp"

// Pure pieces shared by the training views (list, show, compare): colour rules
// from seed 001's Training History table, tag ordering, and formatting that
// keeps data of any size within chat limits. No I/O.
namespace hpops::handlers {

// Hugging Face Trainer metrics as MLflow records them.
inline constexpr std::string_view samples_metric = "train_samples_per_second";
inline constexpr std::string_view steps_metric = "train_steps_per_second";
inline constexpr std::string_view loss_metric = "loss";
inline constexpr std::string_view epoch_metric = "epoch";

// Seed 001's important tags: shown first, in this order, when a run has them.
inline constexpr std::array<std::string_view, 8> important_tags{
    "model", "dataset", "instance_type", "replica_count", "proc_per_node", "batch_size", "cutoff_len", "deepspeed_conf"};

// Data longer than this is cut with "…" wherever it appears in a list or table.
inline constexpr std::size_t max_value_chars = 40;

using ExperimentNames = std::map<std::string, std::string>;  // experiment id -> name
ExperimentNames experiment_names(const std::vector<Experiment>& experiments);
// The experiment's name, or its id when MLflow did not list it.
std::string experiment_label(const ExperimentNames& names, const std::string& id);

// Seed 001's colours. samples/s: >= 2.0 ok, >= 1.0 warn, below bad.
Status samples_colour(double samples_per_second);
// replica_count: >= 4 bad, >= 2 warn, below ok.
Status replica_colour(int replicas);
// Instance families: g5 ok, p4d ok, p3 warn, others unknown (see the .cpp for why).
Status instance_family_colour(std::string_view instance_type);
// "ml.g5.12xlarge" and "g5.12xlarge" -> "g5".
std::string instance_family(std::string_view instance_type);
// FINISHED ok, RUNNING / SCHEDULED warn, FAILED bad, KILLED warn.
Status run_status_colour(std::string_view status);

// One chip per coloured fact of a run: status, samples/s, replicas, instance type.
std::vector<Chip> run_chips(const Run& run);

// MLflow's own tags (mlflow.runName, mlflow.user, ...) are hidden from views.
bool is_system_tag(std::string_view key);
// A run's visible tag keys: important ones first in seed order, then the rest by name.
std::vector<std::string> ordered_tag_keys(const std::map<std::string, std::string>& tags);
// The union of visible tag keys over runs, in the same order: the dynamic columns.
std::vector<std::string> tag_columns(const std::vector<const Run*>& runs);

std::optional<double> metric(const Run& run, std::string_view key);
std::optional<int> replica_count(const Run& run);
// A whole number written exactly ("4"); nullopt for "4 nodes", "" or overflow.
std::optional<int> parse_whole_number(std::string_view text);
// The run's name, else its id.
std::string run_label(const Run& run);

// "42s", "45m 30s", "3h 05m", "2d 4h"; "—" for a negative span.
std::string format_duration(std::int64_t ms);
// "2025-08-18 00:30 UTC"; "—" for 0.
std::string format_time(std::int64_t epoch_ms);
// Slack's <!date^…> token, shown in each reader's own time zone; falls back to format_time.
std::string slack_time(std::int64_t epoch_ms);
// Duration of a finished run, or time so far ("3h 05m so far") of one still running.
std::string run_duration(const Run& run, std::int64_t now_ms);
// 2.184 -> "2.184", 12345.6 -> "12346", NaN -> "NaN".
std::string format_number(double value);

// ▁▂▃▄▅▆▇█ over the values, averaged down to at most `width` characters.
// Non-finite values are skipped; a flat series sits mid-height.
std::string sparkline(const std::vector<double>& values, std::size_t width = 24);

// One line (control characters become spaces), at most `max_chars` code
// points with "…" when cut. Walks only as far as it keeps, so 100 KB values cost little.
std::string clip(std::string_view text, std::size_t max_chars);
// Data as an inline `code` span: clipped, escaped, backticks that would end the span replaced.
std::string code_span(std::string_view raw, std::size_t max_chars = max_value_chars);
// Data in *bold*: clipped, escaped, asterisks that would end the emphasis replaced.
std::string bold(std::string_view raw, std::size_t max_chars = max_value_chars);

}  // namespace hpops::handlers
