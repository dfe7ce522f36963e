#include "handlers/training.hpp"

#include <algorithm>
#include <chrono>

#include "handlers/training_detail.hpp"
#include "handlers/training_query.hpp"
#include "handlers/training_table.hpp"
#include "hpops/errors.hpp"
#include "common/timestamps.hpp"

namespace hpops::handlers {
namespace {

bool is_not_found(const UpstreamError& error) {
    return error.code() == "RESOURCE_DOES_NOT_EXIST" || error.http_status() == 404;
}

// Only MLflow's own code: a 400 from a proxy or SageMaker's front end is not about the filter.
bool is_rejected_input(const UpstreamError& error) { return error.code() == "INVALID_PARAMETER_VALUE"; }

// MLflow answers a filter it cannot parse with INVALID_PARAMETER_VALUE; its
// message says what is wrong, so the user sees it next to the filter sent.
boost::asio::awaitable<std::vector<Run>> search_runs_checked(Tracking& mlflow, RunQuery query) {
    const std::string filter = query.filter;
    try {
        co_return co_await mlflow.search_runs(std::move(query));
    } catch (const UpstreamError& error) {
        if (!is_rejected_input(error)) throw;
        throw UserError("MLflow rejected the search " + code_span(filter, 300) + ": " +
                        mrkdwn_escape(clip(error.upstream_message(), 500)));
    }
}

}  // namespace

Tracking& require_tracking(CommandContext& context) {
    if (!context.clients.tracking)
        throw UserError("MLflow is not configured: set `mlflow.tracking_uri` in the hpops config (or MLFLOW_TRACKING_URI).");
    return *context.clients.tracking;
}

boost::asio::awaitable<Run> resolve_run(Tracking& mlflow, std::string ref, const ExperimentNames& experiments) {
    if (looks_like_run_id(ref)) {
        // Not found by id may still be a run named like one: fall through to names.
        try {
            co_return co_await mlflow.get_run(ref);
        } catch (const UpstreamError& error) {
            if (!is_not_found(error)) throw;
        }
    }
    // A named local, not a temporary in the co_await expression: GCC 12 destroys those twice.
    RunQuery by_name = run_name_query(ref);
    const std::vector<Run> matches = co_await search_runs_checked(mlflow, std::move(by_name));
    co_return pick_named_run(ref, matches, experiments);
}

boost::asio::awaitable<Reply> Training::handle(const Intent& intent, CommandContext& context) {
    Tracking& mlflow = require_tracking(context);
    const std::int64_t now = now_unix_ms();
    const std::vector<Experiment> experiments = co_await mlflow.search_experiments();
    RunListRequest request = build_run_request(intent.options, experiments, now);
    std::vector<Run> runs = co_await search_runs_checked(mlflow, request.query);
    if (!request.exact_model.empty())
        std::erase_if(runs, [&](const Run& run) {
            auto it = run.tags.find("model");
            return it == run.tags.end() || it->second != request.exact_model;
        });
    const bool more_match = runs.size() > static_cast<std::size_t>(request.limit);
    if (more_match) runs.resize(static_cast<std::size_t>(request.limit));

    RunsView view;
    // A code block of seed 001's columns is too wide for a chat pane; cards wrap.
    view.layout = context.platform == "slack" ? RunsLayout::cards : RunsLayout::table;
    view.now_ms = now;
    view.filters = request.filters;
    view.limit = request.limit;
    view.more_match = more_match;
    view.ui_url = mlflow.ui_url();
    co_return render_runs(runs, experiment_names(experiments), view);
}

boost::asio::awaitable<Reply> TrainingShow::handle(const Intent& intent, CommandContext& context) {
    Tracking& mlflow = require_tracking(context);
    const std::vector<Experiment> experiments = co_await mlflow.search_experiments();
    const ExperimentNames names = experiment_names(experiments);
    const Run run = co_await resolve_run(mlflow, intent.args.at(0), names);
    MetricHistories histories;
    for (auto key : trend_metrics) {
        const std::string name(key);
        if (!run.metrics.count(name)) continue;
        // A trend is a nicety: the run's page is still worth showing without it.
        try {
            histories[name] = co_await mlflow.metric_history(run.id, name);
        } catch (const UpstreamError&) {
        }
    }
    co_return render_run(run, names, histories, mlflow.ui_url(), now_unix_ms());
}

boost::asio::awaitable<Reply> TrainingCompare::handle(const Intent& intent, CommandContext& context) {
    if (intent.args.size() > max_compare_runs)
        throw UserError("Compare at most " + std::to_string(max_compare_runs) + " runs at a time; " +
                        std::to_string(intent.args.size()) + " were given.");
    Tracking& mlflow = require_tracking(context);
    const std::vector<Experiment> experiments = co_await mlflow.search_experiments();
    const ExperimentNames names = experiment_names(experiments);
    std::vector<Run> runs;
    for (const auto& ref : intent.args) {
        Run run = co_await resolve_run(mlflow, ref, names);
        auto same = std::find_if(runs.begin(), runs.end(), [&](const Run& r) { return r.id == run.id; });
        if (same != runs.end())
            throw UserError(code_span(ref, 100) + " is run " + code_span(run.id, 64) + ", already in the comparison; name different runs.");
        runs.push_back(std::move(run));
    }
    co_return render_compare(runs, names, now_unix_ms());
}

boost::asio::awaitable<Reply> TrainingDelete::handle(const Intent& intent, CommandContext& context) {
    Tracking& mlflow = require_tracking(context);
    const std::vector<Experiment> experiments = co_await mlflow.search_experiments();
    const ExperimentNames names = experiment_names(experiments);
    const Run run = co_await resolve_run(mlflow, intent.args.at(0), names);
    const std::string described = "training run " + clip(run_label(run), 100) + " (" + run.id + ") in experiment " +
                                  clip(experiment_label(names, run.experiment_id), 100);
    // The command table always confirms first; this guards a table edit that drops it.
    if (!intent.confirmed) throw ConfirmationNeeded("Delete " + described);
    co_await mlflow.delete_run(run.id);

    Reply reply;
    reply.visibility = Visibility::channel;  // a deleted run disappears for everyone
    // The summary goes to the audit row, so it names the run by id as well as by name.
    reply.summary = "Deleted " + described;
    reply.text("Deleted training run " + bold(run_label(run), 100) + " (" + code_span(run.id, 64) +
                   ") from experiment " + code_span(experiment_label(names, run.experiment_id), 100) + ".",
               Mark::removed);
    reply.context("By " + mention(context.actor.id, context.actor.name) + ". MLflow keeps a deleted run until `mlflow gc`; until then it can be "
                  "restored from the MLflow UI.");
    co_return reply;
}

}  // namespace hpops::handlers
