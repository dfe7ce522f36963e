// `/hp training` rendering cost: one captured-looking runs/search answer of
// 1,000 runs is parsed the way the MLflow client parses it, then rendered as
// Slack would get it (cards -> Block Kit pages -> wire JSON) and as a terminal
// would (table -> plain text). Prints mean and p99 per iteration in ms.
//
//   training_render_bench [iterations=200] [runs=1000]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "handlers/training_table.hpp"
#include "integrations/mlflow/mlflow_json.hpp"
#include "integrations/slack/block_kit_renderer.hpp"
#include "integrations/text/plain_text_renderer.hpp"

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// 2026-11-23 14:50 UTC: "now" for durations of running runs.
constexpr std::int64_t now_ms = 1795445400000;

json key_value(const std::string& key, const std::string& value) { return {{"key", key}, {"value", value}}; }

// One run as an MLflow 3 server answers runs/search for an HF Trainer job on
// HyperPod: seed 001's tags, MLflow's own tags, ~30 Trainer params, the
// latest value of each logged metric.
json run_json(int i) {
    static const char* statuses[] = {"FINISHED", "FINISHED", "FINISHED", "RUNNING", "FAILED", "KILLED"};
    static const char* instances[] = {"ml.g5.12xlarge", "ml.p4d.24xlarge", "ml.p3.16xlarge", "ml.g5.48xlarge"};
    static const char* models[] = {"Qwen-Qwen3-0.6B", "meta-llama-Llama-3.1-8B", "mistralai-Mistral-7B-v0.3"};
    char id[33];
    std::snprintf(id, sizeof id, "%032x", 0x5eed0000 + i);
    const std::int64_t start = now_ms - static_cast<std::int64_t>(i) * 3'600'000;
    const std::string status = statuses[i % 6];
    const std::string name = "run_20261123_" + std::to_string(100000 + i);

    json tags = json::array({key_value("model", models[i % 3]), key_value("dataset", i % 2 ? "identity" : "alpaca_en"),
                             key_value("instance_type", instances[i % 4]),
                             key_value("replica_count", std::to_string(1 + i % 6)), key_value("proc_per_node", "8"),
                             key_value("batch_size", std::to_string(2 << (i % 3))), key_value("cutoff_len", "2048"),
                             key_value("deepspeed_conf", "examples/deepspeed/ds_z3_config.json"),
                             key_value("mlflow.runName", name), key_value("mlflow.user", "ubuntu"),
                             key_value("mlflow.source.name", "/app/src/llamafactory/launcher.py"),
                             key_value("mlflow.source.type", "LOCAL"),
                             key_value("mlflow.log-model.history", std::string(400, 'h')),
                             key_value("hyperpod_job", "hyperpodpytorchjob-" + std::to_string(i % 40)),
                             key_value("git_sha", "3f2a9c1d" + std::to_string(i))});
    json params = json::array();
    for (const char* p : {"learning_rate", "weight_decay", "adam_beta1", "adam_beta2", "adam_epsilon", "max_grad_norm",
                          "num_train_epochs", "max_steps", "lr_scheduler_type", "warmup_ratio", "warmup_steps",
                          "logging_steps", "save_steps", "seed", "bf16", "fp16", "gradient_accumulation_steps",
                          "per_device_train_batch_size", "per_device_eval_batch_size", "dataloader_num_workers",
                          "optim", "report_to", "output_dir", "run_name", "deepspeed", "gradient_checkpointing",
                          "ddp_timeout", "eval_strategy", "save_strategy", "remove_unused_columns"})
        params.push_back(key_value(p, std::string(p).size() % 3 ? "1e-4" : "saves/qwen3/full/sft/" + std::to_string(i)));
    json metrics = json::array();
    auto add_metric = [&](const char* key, double value) {
        metrics.push_back({{"key", key}, {"value", value}, {"timestamp", start + 1'000'000}, {"step", 120}});
    };
    if (status != "RUNNING") {
        add_metric("train_samples_per_second", 0.3 + (i % 11) * 0.25);
        add_metric("train_steps_per_second", 0.04 + (i % 7) * 0.05);
        add_metric("train_runtime", 2730.1 + i);
        add_metric("train_loss", 2.7 - (i % 9) * 0.05);
    }
    add_metric("loss", 2.6095 - (i % 13) * 0.01);
    add_metric("epoch", 1.0);
    add_metric("learning_rate", 1e-5);
    add_metric("grad_norm", 0.8 + (i % 5) * 0.1);
    json info = {{"run_id", id},          {"run_uuid", id},
                 {"run_name", name},      {"experiment_id", std::to_string(1 + i % 5)},
                 {"user_id", "ubuntu"},   {"status", status},
                 {"start_time", start},   {"artifact_uri", "s3://hp-mlflow/artifacts/" + std::string(id)},
                 {"lifecycle_stage", "active"}};
    if (status != "RUNNING") info["end_time"] = start + 2'730'123;
    return {{"info", info}, {"data", {{"metrics", metrics}, {"params", params}, {"tags", tags}}}, {"inputs", json::object()}};
}

std::string captured_response(int runs) {
    json body = {{"runs", json::array()}, {"next_page_token", ""}};
    for (int i = 0; i < runs; ++i) body["runs"].push_back(run_json(i));
    return body.dump();
}

struct Stats {
    double mean_ms = 0, p99_ms = 0;
};

Stats stats(std::vector<double> samples) {
    std::sort(samples.begin(), samples.end());
    double sum = 0;
    for (double s : samples) sum += s;
    const std::size_t p99 = std::min(samples.size() - 1, static_cast<std::size_t>(samples.size() * 0.99));
    return {sum / static_cast<double>(samples.size()), samples[p99]};
}

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    const int iterations = argc > 1 ? std::max(1, std::atoi(argv[1])) : 200;
    const int run_count = argc > 2 ? std::max(1, std::atoi(argv[2])) : 1000;
    const std::string body = captured_response(run_count);
    hpops::handlers::ExperimentNames experiments;
    for (int e = 1; e <= 5; ++e) experiments[std::to_string(e)] = "hyperpodpytorchjob-" + std::to_string(e);

    std::vector<double> parse_json, to_runs, block_kit, text, total;
    std::size_t wire_bytes = 0, text_bytes = 0, pages = 0;
    for (int it = 0; it < iterations; ++it) {
        const auto t0 = Clock::now();
        const json dom = hpops::integrations::mlflow::parse_body(body, "runs/search");
        const double t_json = ms_since(t0);
        const auto t_dom = Clock::now();
        const auto page = hpops::integrations::mlflow::parse_runs_page(dom);
        const double t_runs = ms_since(t_dom);

        const auto t1 = Clock::now();
        hpops::handlers::RunsView view;
        view.now_ms = now_ms;
        view.limit = 200;
        view.filters = "limit=1000";
        view.ui_url = "https://mlflow.example.com";
        const auto slack_pages = hpops::integrations::render_block_kit(hpops::handlers::render_runs(page.items, experiments, view));
        wire_bytes = 0;
        for (const auto& p : slack_pages) wire_bytes += hpops::integrations::to_wire(p).size();
        pages = slack_pages.size();
        const double t_block_kit = ms_since(t1);

        const auto t2 = Clock::now();
        view.layout = hpops::handlers::RunsLayout::table;
        text_bytes = hpops::integrations::render_plain_text(hpops::handlers::render_runs(page.items, experiments, view)).size();
        const double t_text = ms_since(t2);

        parse_json.push_back(t_json);
        to_runs.push_back(t_runs);
        block_kit.push_back(t_block_kit);
        text.push_back(t_text);
        total.push_back(ms_since(t0));
    }

    std::printf("training_render_bench: %d runs, %zu bytes of runs/search JSON, %d iterations\n", run_count,
                body.size(), iterations);
    std::printf("  output: %zu Block Kit page(s), %zu wire bytes; %zu bytes of text\n", pages, wire_bytes, text_bytes);
    auto line = [](const char* what, const std::vector<double>& samples) {
        const Stats s = stats(samples);
        std::printf("  %-28s mean %8.3f ms   p99 %8.3f ms\n", what, s.mean_ms, s.p99_ms);
    };
    line("JSON text -> DOM", parse_json);
    line("DOM -> hpops::Run (client)", to_runs);
    line("render cards -> Block Kit", block_kit);
    line("render table -> text", text);
    line("total per iteration", total);
    const Stats s = stats(total);
    std::printf("  target < 10 ms: %s\n", s.p99_ms < 10.0 ? "met (p99)" : s.mean_ms < 10.0 ? "met (mean only)" : "NOT met");
    return 0;
}
