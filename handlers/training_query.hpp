#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "hpops/tracking.hpp"

// Pure: turning `/hp training …` options into an MLflow search, and a RUN
// argument into one run. Errors are UserError with what to type instead.
namespace hpops::handlers {

inline constexpr int default_run_limit = 20;
inline constexpr int max_run_limit = 200;

// "" -> 20; "1".."200" -> that; anything else -> UserError.
int parse_run_limit(std::string_view text);

// finished|running|failed|killed|scheduled, any case -> "attributes.status = 'FAILED'".
std::string status_clause(std::string_view status);

// "30m", "24h", "7d", "2w" before `now_ms`, or a UTC date "2026-11-01" /
// "2026-11-01T08:30" -> epoch ms. A time in the future or bad syntax -> UserError.
std::int64_t parse_since(std::string_view since, std::int64_t now_ms);

// An MLflow search clause matching `value` exactly: `key = 'value'`, or
// `key = "value"` when it holds a single quote. MLflow strips the outer quotes
// without unescaping, so a value with both kinds of quote has no exact form:
// that one becomes a LIKE pattern with `_` for each quote, and `exact` is false
// so the caller filters the results itself.
struct Clause {
    std::string text;
    bool exact = true;
};
Clause equals_clause(std::string_view key, std::string_view value);

// The experiment called `name` (exactly, else the only case-insensitive match),
// or with that id. Unknown -> UserError listing the known ones.
const Experiment& find_experiment(const std::vector<Experiment>& experiments, std::string_view name);

struct RunListRequest {
    RunQuery query;           // max_results is limit + 1: the extra run says more match
    int limit = default_run_limit;
    std::string filters;      // the options as typed, for the reply ("status=failed since=7d")
    std::string exact_model;  // non-empty when MLflow's answer must be filtered on tags.model
};

// From intent options experiment=, status=, since=, model=, limit=.
RunListRequest build_run_request(const std::map<std::string, std::string>& options,
                                 const std::vector<Experiment>& experiments, std::int64_t now_ms);

// MLflow run ids are 32 lower-case hex characters.
bool looks_like_run_id(std::string_view text);

// The search for runs named `name`, across every experiment. A few more than
// one, so an ambiguous name can list its matches.
RunQuery run_name_query(std::string_view name);

// The one run among `matches` named `name` (MLflow's LIKE fallback may return
// near misses). None -> UserError "no run"; several -> UserError listing them.
const Run& pick_named_run(std::string_view name, const std::vector<Run>& matches,
                          const std::map<std::string, std::string>& experiment_names);

}  // namespace hpops::handlers
