#include "handlers/train_job_show.hpp"

#include "handlers/deploy_common.hpp"
#include "handlers/kube_custom.hpp"
#include "handlers/train_job_runs.hpp"
#include "handlers/train_jobs.hpp"
#include "handlers/training_view.hpp"
#include "hpops/errors.hpp"
#include "hpops/kube.hpp"

namespace hpops::handlers {
namespace {

using nlohmann::json;

constexpr int log_lines = 20;
// The label the Kubeflow training operator puts on each replica's pods.
constexpr const char* replica_type_label = "training.kubeflow.org/replica-type";

std::string pod_phase(const json& pod) {
    if (field(pod, "metadata").contains("deletionTimestamp")) return "Terminating";
    const std::string phase = field(pod, "status").value("phase", "");
    return phase.empty() ? "Pending" : phase;
}

// "OOMKilled (exit 137): message" from a containerStatus's terminated state.
std::string terminated_text(const json& terminated) {
    std::string text = terminated.value("reason", "Error") + " (exit " + std::to_string(terminated.value("exitCode", 0)) + ")";
    const std::string message = terminated.value("message", "");
    return message.empty() ? text : text + ": " + clip(message, 200);
}

std::string first_container(const json& pod) {
    for (const auto& c : list_field(field(pod, "spec"), "containers"))
        if (c.is_object()) return c.value("name", "");
    return "";
}

}  // namespace

const json* master_pod(const std::vector<const json*>& pods) {
    for (const json* pod : pods)
        if (label_of(*pod, replica_type_label) == "master") return pod;
    return pods.empty() ? nullptr : pods.front();
}

std::vector<std::string> termination_reasons(const json& pod) {
    std::vector<std::string> out;
    for (const auto& c : list_field(field(pod, "status"), "containerStatuses")) {
        const json& state = field(c, "state");
        const json& now = field(state, "terminated");
        const json& last = field(field(c, "lastState"), "terminated");
        // A container that ended well (exit 0) is no failure; one that is
        // waiting to run again after a crash shows its last run's end.
        const json& ended = !now.empty() ? now : last;
        if (ended.empty() || ended.value("exitCode", 0) == 0) continue;
        std::string text = "container `" + c.value("name", "") + "`: " + mrkdwn_escape(terminated_text(ended));
        if (now.empty()) text += " (last run; now " + field(state, "waiting").value("reason", "running again") + ")";
        out.push_back(std::move(text));
    }
    return out;
}

Reply render_train_job(const json& job, const std::vector<const json*>& pods, const std::optional<Run>& run,
                       const std::string& runs_note, const MasterLog& log, std::chrono::system_clock::time_point now) {
    const std::string state = job_state(job);
    Reply reply;
    reply.summary = job.value("kind", "") + " " + qualified(job) + ": " + state;
    reply.heading(job.value("kind", "") + " " + qualified(job) + " · " + state,
                  state == "Failed" ? Mark::failed : state == "Succeeded" ? Mark::done : Mark::none);
    std::string replica_sets;
    for (const auto& [name, n] : replica_specs(job))
        replica_sets += (replica_sets.empty() ? "" : ", ") + name + " × " + std::to_string(n);
    reply.fields({{"Replicas ready", replicas_text(job, pods)},
                  {"Replica sets", replica_sets.empty() ? "—" : replica_sets},
                  {"GPUs", std::to_string(gpus_total(job))},
                  {"Restarts", std::to_string(restarts_of(pods))},
                  {"Age", age_of(job, now)},
                  {"Queue", queue_of(job)},
                  {"MLflow run", run ? code_span(run_label(*run)) + " " + run->status + " · experiment " +
                                           code_span(name_of(job)) + " · `/hp training show " + run->id + "`"
                                     : runs_note.empty() ? "none matched (no MLflow experiment `" + name_of(job) + "`)"
                                                         : runs_note}});

    Table conditions{{"Condition", "Status", "Reason", "Since", "Message"}, {}};
    for (const auto& c : list_field(field(job, "status"), "conditions"))
        if (c.is_object())
            conditions.rows.push_back({c.value("type", ""), c.value("status", ""), c.value("reason", "—"),
                                       c.value("lastTransitionTime", "—"), clip(c.value("message", ""), 60)});
    if (conditions.rows.empty()) reply.text("_The operator has written no condition yet._");
    else reply.table(std::move(conditions));

    Table pod_table{{"Pod", "Phase", "Ready", "Restarts", "Node"}, {}};
    std::vector<Text> failures;
    for (const json* pod : pods) {
        int restarts = 0;
        for (const auto& c : list_field(field(*pod, "status"), "containerStatuses")) restarts += c.value("restartCount", 0);
        const std::string node = field(*pod, "spec").value("nodeName", "");
        pod_table.rows.push_back({name_of(*pod), pod_phase(*pod), condition_true(*pod, "Ready") ? "yes" : "no",
                                  std::to_string(restarts), node.empty() ? "—" : node});
        for (const auto& reason : termination_reasons(*pod))
            failures.push_back({"Pod `" + name_of(*pod) + "` " + reason, Mark::failed});
    }
    if (pod_table.rows.empty()) reply.text("_No pods: none started yet, or they were cleaned up._");
    else reply.table(std::move(pod_table));
    if (!failures.empty()) {
        reply.text("*Why pods ended*");
        reply.lines(std::move(failures));
    }

    if (log.pod.empty()) {
        reply.text("_No master pod, so no log to show._");
    } else if (!log.error.empty()) {
        reply.text("_The log of `" + log.pod + "` cannot be read through the API: " + mrkdwn_escape(clip(log.error, 160)) +
                       "._",
                   Mark::warning);
    } else if (log.text.empty()) {
        // The API server answers an empty log for a pod not yet on a node, too.
        reply.text("_`" + log.pod + "` has written nothing to its log yet._");
    } else {
        reply.text("*Last lines of `" + log.pod + "`*" + (log.container.empty() ? "" : " (`" + log.container + "`)"));
        reply.text("```" + log.text + "```");
    }
    reply.context(kind_of(job).operator_name + " · " + std::to_string(pods.size()) + " pods");
    return reply;
}

boost::asio::awaitable<Reply> TrainJobShow::handle(const Intent& intent, CommandContext& context) {
    Kube& kube = require_kube(context);
    const std::string cluster = kube_cluster_name(context.config.kubernetes, kube);
    const std::string& name = intent.args.at(0);
    const std::string ns = option_or_empty(intent.options, "namespace");
    auto reading = read_train_jobs(kube, ns, cluster);
    const TrainJobs jobs = co_await std::move(reading);
    const json& job = find_train_job(jobs, name, ns, cluster);
    const auto pods = pods_of(job, jobs.pods);

    MasterLog log;
    if (const json* master = master_pod(pods)) {
        log.pod = name_of(*master);
        log.container = first_container(*master);
        // A pod that never ran, or a cluster whose kubelets the API server
        // cannot reach, has no log: said in a line, never a failed command.
        try {
            auto reading_log = kube.logs(namespace_of(*master), log.pod, log.container, log_lines, false);
            log.text = co_await std::move(reading_log);
        } catch (const UpstreamError& error) {
            log.error = error.upstream_message().empty() ? error.what() : error.upstream_message();
        }
    }
    auto matching = runs_for_jobs(context.clients.tracking, {name_of(job)});
    const JobRuns runs = co_await std::move(matching);
    std::optional<Run> run;
    if (const auto it = runs.runs.find(name_of(job)); it != runs.runs.end()) run = it->second;
    co_return render_train_job(job, pods, run, runs.note, log, std::chrono::system_clock::now());
}

}  // namespace hpops::handlers
