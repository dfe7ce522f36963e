#include "handlers/digest_training.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "handlers/training_view.hpp"
#include "hpops/config.hpp"
#include "hpops/errors.hpp"
#include "hpops/handler.hpp"
#include "hpops/tracking.hpp"

namespace hpops::handlers {
namespace {

// Two periods of runs: more than a busy team starts in a week, read at once.
constexpr int max_runs = 2000;

std::string rate(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f", v);
    return text;
}

struct ExperimentTally {
    int finished = 0, failed = 0, running = 0;
    std::vector<std::string> failed_names;
    std::optional<std::pair<double, std::string>> best, worst;  // samples/s, run name
};

// Mean samples/s of a model's finished runs.
struct Mean {
    double sum = 0;
    int n = 0;
    double value() const { return n ? sum / n : 0; }
};

// The model a run trained: seed 001's `model` tag, else its experiment.
std::string model_of(const Run& run, const ExperimentNames& names) {
    const auto tag = run.tags.find("model");
    return tag != run.tags.end() && !tag->second.empty() ? tag->second : experiment_label(names, run.experiment_id);
}

}  // namespace

boost::asio::awaitable<DigestSection> training_section(const DigestInputs& in) {
    DigestSection section{"training", "Training", {}, {{"experiment", "finished", "failed", "running", "samples/s best",
                                                       "samples/s worst"}, {}}, {}};
    if (!in.clients.tracking) {
        section.problem = "MLflow is not configured (mlflow.tracking_uri)";
        co_return section;
    }
    Tracking& mlflow = *in.clients.tracking;
    const std::int64_t length = std::max<std::int64_t>(in.until_unix_ms - in.since_unix_ms, 60'000);
    std::vector<Experiment> experiments;
    std::vector<Run> runs;
    try {
        experiments = co_await mlflow.search_experiments();
        RunQuery query;
        query.filter = "attributes.start_time >= " + std::to_string(in.since_unix_ms - length);
        query.max_results = max_runs;
        auto searching = mlflow.search_runs(std::move(query));
        runs = co_await std::move(searching);
    } catch (const UpstreamError& e) {
        section.problem = "MLflow did not answer: " + e.code();
        co_return section;
    }
    const ExperimentNames names = experiment_names(experiments);
    std::map<std::string, ExperimentTally> tallies;
    std::map<std::string, Mean> now_by_model, before_by_model;
    for (const Run& run : runs) {
        if (run.start_time_ms > in.until_unix_ms) continue;
        const bool current = run.start_time_ms >= in.since_unix_ms;
        const auto samples = metric(run, samples_metric);
        if (run.status == "FINISHED" && samples) {
            Mean& mean = (current ? now_by_model : before_by_model)[model_of(run, names)];
            mean.sum += *samples;
            ++mean.n;
        }
        if (!current) continue;
        ExperimentTally& t = tallies[experiment_label(names, run.experiment_id)];
        if (run.status == "FINISHED") ++t.finished;
        else if (run.status == "FAILED") {
            ++t.failed;
            t.failed_names.push_back(run.name);
        }
        else if (run.status == "RUNNING") ++t.running;
        if (run.status == "FINISHED" && samples) {
            if (!t.best || *samples > t.best->first) t.best = {{*samples, run.name}};
            if (!t.worst || *samples < t.worst->first) t.worst = {{*samples, run.name}};
        }
    }
    if (runs.size() >= static_cast<std::size_t>(max_runs))
        section.lines.push_back("More than " + std::to_string(max_runs) + " runs in two periods: the newest are counted.");
    for (const auto& [experiment, t] : tallies) {
        auto best = t.best ? rate(t.best->first) + " " + t.best->second : std::string("—");
        auto worst = t.worst ? rate(t.worst->first) + " " + t.worst->second : std::string("—");
        section.table.rows.push_back({experiment, std::to_string(t.finished), std::to_string(t.failed),
                                      std::to_string(t.running), best, worst});
        if (!t.failed_names.empty()) {
            std::string failed;
            for (std::size_t i = 0; i < std::min<std::size_t>(3, t.failed_names.size()); ++i)
                failed += (failed.empty() ? "" : ", ") + ("`" + t.failed_names[i] + "`");
            section.lines.push_back("Failed in " + experiment + ": " + failed +
                                    (t.failed_names.size() > 3 ? " and " + std::to_string(t.failed_names.size() - 3) + " more" : ""));
        }
    }
    // The busiest experiments first; a digest shows a few.
    std::stable_sort(section.table.rows.begin(), section.table.rows.end(), [](const auto& a, const auto& b) {
        auto runs = [](const std::vector<std::string>& row) { return std::stoi(row[1]) + std::stoi(row[2]) + std::stoi(row[3]); };
        return runs(a) > runs(b);
    });
    cap_rows(section, 15, "experiments", "`/hp training since=" + std::to_string(std::max<std::int64_t>(1, length / 3'600'000)) + "h`");
    cap_lines(section, "Failed in ", 5, "experiments with failed runs");
    if (tallies.empty()) section.lines.push_back("No runs started in the period.");
    const double share = in.config.digests.regression_share;
    for (const auto& [model, now] : now_by_model) {
        const auto before = before_by_model.find(model);
        if (before == before_by_model.end() || before->second.value() <= 0) continue;
        const double drop = (before->second.value() - now.value()) / before->second.value();
        if (drop > share)
            section.lines.push_back("Regression: `" + model + "` " + rate(now.value()) + " samples/s, down " +
                                    std::to_string(static_cast<int>(std::lround(drop * 100))) + "% from " +
                                    rate(before->second.value()) + " the period before.");
    }
    cap_lines(section, "Regression: ", 5, "regressions");
    co_return section;
}

}  // namespace hpops::handlers
