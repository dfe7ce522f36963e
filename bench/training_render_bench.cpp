// `/hp training` rendering cost: one runs/search answer of 1,000 runs is
// parsed the way the MLflow client parses it, then rendered as Slack would
// get it (cards -> Block Kit pages -> wire JSON) and as a terminal would
// (table -> plain text). Prints mean and p99 per iteration in ms.
//
// The answer is built from bench/data/mlflow_runs_search.json: 10 runs of
// seed 001 as an MLflow 3.17 server answered runs/search (captured from
// tests/peers/mlflow_peer.py --seed), copied with fresh ids, names and start
// times up to the run count, and written out the way MLflow writes it
// (json.dumps with indent=2, keys in proto order).
//
//   training_render_bench [iterations=200] [runs=1000] [sample=bench/data/mlflow_runs_search.json]
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/timing_stats.hpp"
#include "bot/slack/block_kit_renderer.hpp"
#include "bot/terminal/plain_text_renderer.hpp"
#include "handlers/training_table.hpp"
#include "integrations/mlflow/mlflow_json.hpp"

namespace {

using nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

// 2025-08-26 12:00 UTC, just after the sample's latest run: "now" for durations of running runs.
constexpr std::int64_t now_ms = 1756209600000;

std::string read_file(const char* path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "training_render_bench: cannot read %s\n", path);
        std::exit(2);
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Copy i of a sample run: its own id, a name that says which copy, and a
// start (and end, and metric times) one hour earlier per copy round.
ordered_json copy_of(ordered_json run, int i, int round) {
    char id[33];
    std::snprintf(id, sizeof id, "%032x", 0x5eed0000 + i);
    const std::int64_t shift = static_cast<std::int64_t>(round) * 3'600'000;
    ordered_json& info = run["info"];
    info["run_uuid"] = info["run_id"] = id;
    info["run_name"] = info["run_name"].get<std::string>() + "-" + std::to_string(round);
    for (const char* key : {"start_time", "end_time"})
        if (info.contains(key)) info[key] = info[key].get<std::int64_t>() - shift;
    for (ordered_json& tag : run["data"]["tags"])
        if (tag["key"] == "mlflow.runName") tag["value"] = info["run_name"];
    if (run["data"].contains("metrics"))
        for (ordered_json& metric : run["data"]["metrics"])
            metric["timestamp"] = metric["timestamp"].get<std::int64_t>() - shift;
    return run;
}

std::string runs_search_answer(const std::string& sample_text, int runs) {
    const ordered_json sample = ordered_json::parse(sample_text)["runs"];
    ordered_json body = {{"runs", ordered_json::array()}, {"next_page_token", "eyJvZmZzZXQiOiAxMDAwfQ=="}};
    for (int i = 0; i < runs; ++i)
        body["runs"].push_back(copy_of(sample[static_cast<std::size_t>(i) % sample.size()], i,
                                       i / static_cast<int>(sample.size())));
    return body.dump(2);
}

using hpops::bench::Stats;
using hpops::bench::stats;

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// CPU time of this thread: on a shared machine, wall time also counts the
// time other processes had the core.
double thread_cpu_ms() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
    const int iterations = argc > 1 ? std::max(1, std::atoi(argv[1])) : 200;
    const int run_count = argc > 2 ? std::max(1, std::atoi(argv[2])) : 1000;
    const std::string body =
        runs_search_answer(read_file(argc > 3 ? argv[3] : HPOPS_BENCH_SOURCE_DIR "/data/mlflow_runs_search.json"),
                           run_count);
    const hpops::handlers::ExperimentNames experiments{
        {"1", "hyperpodpytorchjob-2xy"}, {"2", "llama-factory-sft"}, {"3", "qwen3-eval"}};

    std::vector<double> parse, block_kit, text, total, total_cpu, tree;
    std::size_t wire_bytes = 0, text_bytes = 0, pages = 0;
    for (int it = 0; it < iterations; ++it) {
        const double cpu0 = thread_cpu_ms();
        const auto t0 = Clock::now();
        const auto page = hpops::integrations::mlflow::parse_runs_page(body);
        const double t_parse = ms_since(t0);
        if (page.items.size() != static_cast<std::size_t>(run_count) || page.items.back().id.empty()) {
            std::fprintf(stderr, "training_render_bench: read %zu runs, expected %d\n", page.items.size(), run_count);
            return 1;
        }

        const auto t1 = Clock::now();
        hpops::handlers::RunsView view;
        view.now_ms = now_ms;
        view.limit = 200;
        view.filters = "limit=1000";
        view.ui_url = "https://mlflow.example.com";
        const auto slack_pages = hpops::bot::render_block_kit(hpops::handlers::render_runs(page.items, experiments, view));
        wire_bytes = 0;
        for (const auto& p : slack_pages) wire_bytes += hpops::bot::to_wire(p).size();
        pages = slack_pages.size();
        const double t_block_kit = ms_since(t1);

        const auto t2 = Clock::now();
        view.layout = hpops::handlers::RunsLayout::table;
        text_bytes = hpops::bot::render_plain_text(hpops::handlers::render_runs(page.items, experiments, view)).size();
        const double t_text = ms_since(t2);

        parse.push_back(t_parse);
        block_kit.push_back(t_block_kit);
        text.push_back(t_text);
        total.push_back(ms_since(t0));
        total_cpu.push_back(thread_cpu_ms() - cpu0);
    }
    // For comparison only, in a loop of its own (freeing a tree that size
    // leaves the heap in a state that would slow the steps above).
    for (int it = 0; it < iterations; ++it) {
        const auto t_tree = Clock::now();
        const auto dom = nlohmann::json::parse(body);
        tree.push_back(ms_since(t_tree));
    }

    std::printf("training_render_bench: %d runs, %zu bytes of runs/search JSON, %d iterations\n", run_count,
                body.size(), iterations);
    std::printf("  output: %zu Block Kit page(s), %zu wire bytes; %zu bytes of text\n", pages, wire_bytes, text_bytes);
    auto line = [](const char* what, const std::vector<double>& samples) {
        const Stats s = stats(samples);
        std::printf("  %-28s mean %8.3f ms   p99 %8.3f ms\n", what, s.mean_ms, s.p99_ms);
    };
    line("JSON text -> hpops::Run", parse);
    line("render cards -> Block Kit", block_kit);
    line("render table -> text", text);
    line("total per iteration", total);
    line("total, thread CPU time", total_cpu);
    line("(JSON text -> nlohmann tree)", tree);
    const Stats wall = stats(total), cpu = stats(total_cpu);
    auto verdict = [](double ms) { return ms < 10.0 ? "met" : "NOT met"; };
    std::printf("  target < 10 ms: wall mean %s, wall p99 %s, CPU p99 %s\n", verdict(wall.mean_ms),
                verdict(wall.p99_ms), verdict(cpu.p99_ms));
    return 0;
}
