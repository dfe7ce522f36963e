#include "handlers/train_jobs_list.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "handlers/deploy_common.hpp"
#include "handlers/kube_custom.hpp"
#include "handlers/listing.hpp"
#include "hpops/errors.hpp"

namespace hpops::handlers {
namespace {

using nlohmann::json;

std::string lower(std::string text) {
    for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

const char* const states[] = {"pending", "created", "running", "restarting", "suspending", "suspended", "succeeded",
                              "failed"};

std::string checked_status(const std::string& status) {
    const std::string wanted = lower(status);
    if (wanted.empty() || std::find(std::begin(states), std::end(states), wanted) != std::end(states)) return wanted;
    throw UserError("`status=" + status + "`: use one of " +
                    comma_joined(std::vector<std::string>(std::begin(states), std::end(states))) + ".");
}

Status chip_status(const std::string& state) {
    if (state == "Failed") return Status::bad;
    if (state == "Running" || state == "Succeeded") return Status::ok;
    return Status::warn;
}

}  // namespace

Reply render_train_jobs(const TrainJobs& jobs, const JobRuns& runs, const TrainJobsView& view,
                        std::chrono::system_clock::time_point now) {
    const std::string wanted = checked_status(view.status);
    Table table{{"Job", "Kind", "State", "Replicas", "Restarts", "Age", "Queue", "MLflow run"}, {}};
    std::map<std::string, int> by_state;
    std::size_t shown_total = 0, matching = 0;
    for (const auto& job : jobs.jobs) {
        const std::string state = job_state(job);
        if (!wanted.empty() && lower(state) != wanted) continue;
        ++matching;
        ++by_state[state];
        if (shown_total >= view.limit) continue;
        ++shown_total;
        const auto pods = pods_of(job, jobs.pods);
        const auto run = runs.runs.find(name_of(job));
        table.rows.push_back({qualified(job), job.value("kind", ""), state, replicas_text(job, pods),
                              std::to_string(restarts_of(pods)), age_of(job, now), queue_of(job),
                              run == runs.runs.end() ? "—" : run_cell(run->second)});
    }

    Reply reply;
    const std::string where = view.ns.empty() ? "every namespace" : "`" + view.ns + "`";
    reply.heading("Training jobs · " + view.cluster + (view.ns.empty() ? "" : " · " + view.ns));
    if (table.rows.empty()) {
        reply.text("No " + (wanted.empty() ? std::string() : wanted + " ") + "PyTorchJob or HyperPodPyTorchJob in " +
                   where + " on cluster `" + view.cluster + "`.");
    } else {
        reply.table(std::move(table));
        std::vector<Chip> chips;
        for (const auto& [state, n] : by_state) chips.push_back({state + " " + std::to_string(n), chip_status(state)});
        reply.chips(std::move(chips));
    }
    reply.summary = std::to_string(matching) + " training jobs on " + view.cluster;
    std::string footer = reply.summary;
    if (shown_total < matching) footer += " (newest " + std::to_string(shown_total) + " shown; `limit=` shows more)";
    for (const TrainJobKind* kind : jobs.missing)
        footer += " · " + kind->operator_name + " is not installed (no " + kind->resource.api_version() + " API)";
    if (!runs.note.empty()) footer += " · " + runs.note;
    reply.context(footer);
    return reply;
}

boost::asio::awaitable<Reply> TrainJobsList::handle(const Intent& intent, CommandContext& context) {
    Kube& kube = require_kube(context);
    TrainJobsView view;
    view.cluster = kube_cluster_name(context.config.kubernetes, kube);
    view.ns = option_or_empty(intent.options, "namespace");
    view.status = option_or_empty(intent.options, "status");
    checked_status(view.status);  // before any call
    view.limit = parse_list_limit(option_or_empty(intent.options, "limit"));
    auto reading = read_train_jobs(kube, view.ns, view.cluster);
    TrainJobs jobs = co_await std::move(reading);
    // Newest first, as every listing shows them: RFC 3339 times of one server sort as text.
    std::stable_sort(jobs.jobs.begin(), jobs.jobs.end(), [](const json& a, const json& b) {
        return field(a, "metadata").value("creationTimestamp", "") > field(b, "metadata").value("creationTimestamp", "");
    });
    // Only the jobs shown are matched: a call to MLflow each.
    std::vector<std::string> names;
    for (const auto& job : jobs.jobs)
        if (names.size() < view.limit && (view.status.empty() || lower(job_state(job)) == lower(view.status)))
            names.push_back(name_of(job));
    auto matching = runs_for_jobs(context.clients.tracking, names);
    const JobRuns runs = co_await std::move(matching);
    co_return render_train_jobs(jobs, runs, view, std::chrono::system_clock::now());
}

}  // namespace hpops::handlers
