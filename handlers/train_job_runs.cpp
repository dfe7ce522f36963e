#include "handlers/train_job_runs.hpp"

#include <set>

#include "handlers/training_view.hpp"
#include "hpops/errors.hpp"

namespace hpops::handlers {

std::map<std::string, std::string> experiments_for_jobs(const std::vector<Experiment>& experiments,
                                                        const std::vector<std::string>& job_names) {
    const std::set<std::string> wanted(job_names.begin(), job_names.end());
    std::map<std::string, std::string> out;
    for (const auto& e : experiments)
        if (e.lifecycle_stage != "deleted" && wanted.count(e.name)) out[e.name] = e.id;
    return out;
}

boost::asio::awaitable<JobRuns> runs_for_jobs(Tracking* mlflow, std::vector<std::string> job_names) {
    JobRuns out;
    if (!mlflow) {
        out.note = "MLflow is not configured: no runs matched";
        co_return out;
    }
    std::string failure;
    // No co_await in a catch block (GCC 12): the failure is only kept there.
    try {
        auto listing = mlflow->search_experiments();
        const auto matched = experiments_for_jobs(co_await std::move(listing), job_names);
        for (const auto& [job, experiment_id] : matched) {
            RunQuery query;
            query.experiment_ids = {experiment_id};
            query.max_results = 1;  // newest first
            auto search = mlflow->search_runs(query);
            auto runs = co_await std::move(search);
            if (!runs.empty()) out.runs.emplace(job, std::move(runs.front()));
        }
    } catch (const UpstreamError& error) {
        failure = error.upstream_message();
    }
    if (!failure.empty()) {
        out.runs.clear();
        out.note = "MLflow could not be read (" + clip(failure, 80) + "): no runs matched";
    }
    co_return out;
}

std::string run_cell(const Run& run) { return clip(run_label(run), 26) + " (" + run.status + ")"; }

}  // namespace hpops::handlers
