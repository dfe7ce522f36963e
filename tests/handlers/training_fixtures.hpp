#pragma once
// Runs shaped like seed 001's MLflow data, for the training tests; the
// in-memory Tracking they run against is tests/support/fake_tracking.hpp.
#include <boost/asio/awaitable.hpp>
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hpops/errors.hpp"
#include "hpops/tracking.hpp"
#include "tests/support/fake_tracking.hpp"

namespace hpops::testing {

// 2024-08-18 00:30:49 UTC, the seed's run_20250818_003049 era.
inline constexpr std::int64_t seed_start_ms = 1723941049000;

inline std::string hex_id(int n) {
    static const char* digits = "0123456789abcdef";
    std::string id(32, '0');
    for (int i = 31; i >= 0 && n > 0; --i, n /= 16) id[static_cast<std::size_t>(i)] = digits[n % 16];
    return id;
}

// The seed's example run: hyperpodpytorchjob-2xy / run_20250818_003049.
inline Run seed_run(int n = 1) {
    Run run;
    run.id = hex_id(n);
    run.name = "run_" + std::to_string(20250818003049LL + n);
    run.experiment_id = "1";
    run.status = "FINISHED";
    run.start_time_ms = seed_start_ms + n * 60'000LL;
    run.end_time_ms = run.start_time_ms + 2'730'123;  // 45m 30s
    run.tags = {{"model", "Qwen-Qwen3-0.6B"},     {"dataset", "identity"},   {"instance_type", "ml.g5.12xlarge"},
                {"replica_count", "2"},           {"proc_per_node", "1"},    {"batch_size", "4"},
                {"cutoff_len", "2048"},           {"deepspeed_conf", "ds_z0_config.json"},
                {"mlflow.runName", run.name},     {"mlflow.user", "ubuntu"}, {"team", "llm"}};
    run.params = {{"learning_rate", "1e-4"}, {"num_train_epochs", "1"}};
    run.metrics = {{"train_samples_per_second", 2.184}, {"train_steps_per_second", 0.288}, {"loss", 2.6095}, {"epoch", 1.0}};
    return run;
}

// A run built to break limits: thousands of tags and params with 100 KB values.
inline Run huge_run() {
    Run run = seed_run(7);
    const std::string big(100 * 1024, 'x');
    for (int i = 0; i < 5000; ++i) run.tags["tag_" + std::to_string(i)] = i % 500 == 0 ? big : "v" + std::to_string(i);
    run.tags["model"] = big + "<&>`*";
    run.tags[std::string(300, 'k')] = big;
    for (int i = 0; i < 3000; ++i) run.params["param_" + std::to_string(i)] = i % 300 == 0 ? big : "p";
    for (int i = 0; i < 500; ++i) run.metrics["metric_" + std::to_string(i)] = i;
    run.name = std::string(2000, 'n');
    return run;
}

inline std::vector<Experiment> seed_experiments() {
    return {{"1", "hyperpodpytorchjob-2xy", "active"}, {"2", "llama-sft", "active"}, {"3", "old-trials", "deleted"}};
}

// The in-memory MLflow, holding the seed's experiments.
inline FakeTracking seed_tracking() {
    FakeTracking tracking;
    tracking.experiments = seed_experiments();
    return tracking;
}

}  // namespace hpops::testing
