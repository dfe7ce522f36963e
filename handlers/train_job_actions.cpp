#include "handlers/train_job_actions.hpp"

#include "handlers/approval_rules.hpp"
#include "handlers/deploy_common.hpp"
#include "handlers/kube_custom.hpp"
#include "handlers/train_jobs.hpp"
#include "hpops/errors.hpp"
#include "hpops/kube.hpp"

namespace hpops::handlers {
namespace {

using nlohmann::json;

// The job a command names, with what the messages say about it.
struct JobTarget {
    json job;
    const TrainJobKind* kind = nullptr;
    std::string cluster, label;  // label: "PyTorchJob `team-a/llama-sft`"
};

boost::asio::awaitable<JobTarget> find_target(Kube& kube, const Intent& intent, const CommandContext& context) {
    JobTarget t;
    t.cluster = kube_cluster_name(context.config.kubernetes, kube);
    const std::string ns = option_or_empty(intent.options, "namespace");
    auto reading = read_train_jobs(kube, ns, t.cluster);
    const TrainJobs jobs = co_await std::move(reading);
    t.job = find_train_job(jobs, intent.args.at(0), ns, t.cluster);
    t.kind = &kind_of(t.job);
    t.label = t.kind->resource.kind + " `" + qualified(t.job) + "`";
    co_return t;
}

// Every change to a training job asks first (the command table says the handler asks).
const std::optional<std::string> confirm_reason = "a change to a training job";

// What the change does to the GPUs the job holds, for approvals.rules.
CapacityChange job_change(const JobTarget& t, int sign) {
    return CapacityChange{t.cluster, sign * replicas_total(t.job), sign * gpus_total(t.job), std::nullopt};
}

std::string holding(const JobTarget& t) {
    return std::to_string(replicas_total(t.job)) + " replicas, " + std::to_string(gpus_total(t.job)) + " GPUs";
}

void require_suspendable(const JobTarget& t, const std::string& verb) {
    if (t.kind->suspendable) return;
    throw UserError(t.label + " cannot be " + verb + ": " + t.kind->operator_name +
                        " publishes no suspend field, so hpops writes none. `/hp trainjobs delete " + name_of(t.job) +
                        "` stops it and removes its pods.",
                    "trainjobs show " + name_of(t.job));
}

// Server-side apply of spec.runPolicy.suspend alone: hpops owns that field
// and no other, and the operator does the rest.
boost::asio::awaitable<void> set_suspend(Kube& kube, const JobTarget& t, bool suspend) {
    json patch = {{"apiVersion", t.kind->resource.api_version()},
                  {"kind", t.kind->resource.kind},
                  {"metadata", {{"name", name_of(t.job)}, {"namespace", namespace_of(t.job)}}},
                  {"spec", {{"runPolicy", {{"suspend", suspend}}}}}};
    auto applying = kube.apply(t.kind->resource, namespace_of(t.job), std::move(patch));
    co_await std::move(applying);
}

Reply done_reply(Mark mark, std::string text) {
    Reply reply = message_reply(mark, std::move(text), Visibility::channel);
    return reply;
}

}  // namespace

boost::asio::awaitable<Reply> TrainJobSuspend::handle(const Intent& intent, CommandContext& context) {
    Kube& kube = require_kube(context);
    auto finding = find_target(kube, intent, context);
    const JobTarget t = co_await std::move(finding);
    require_suspendable(t, "suspended");
    if (job_finished(t.job))
        throw UserError(t.label + " has already " + job_state(t.job) + ": nothing runs to suspend.");
    if (job_suspended_in_spec(t.job)) throw UserError(t.label + " is already suspended.");
    // Asked once the job is found and can be suspended; a rule may want a second person too.
    ask_before_change(intent, context.config, confirm_reason,
                      "suspend " + t.label + " on `" + t.cluster + "`: its pods (" + holding(t) + ") stop.",
                      job_change(t, -1));
    auto applying = set_suspend(kube, t, true);
    co_await std::move(applying);
    co_return done_reply(Mark::stopped, "Suspended " + t.label + ": " + t.kind->operator_name +
                                            " deletes its pods (" + holding(t) + "); `/hp trainjobs resume " +
                                            name_of(t.job) + "` starts them again.");
}

boost::asio::awaitable<Reply> TrainJobResume::handle(const Intent& intent, CommandContext& context) {
    Kube& kube = require_kube(context);
    auto finding = find_target(kube, intent, context);
    const JobTarget t = co_await std::move(finding);
    require_suspendable(t, "suspended or resumed");
    if (!job_suspended_in_spec(t.job))
        throw UserError(t.label + " is not suspended (it is " + job_state(t.job) + ").");
    ask_before_change(intent, context.config, confirm_reason,
                      "resume " + t.label + " on `" + t.cluster + "`: its pods (" + holding(t) + ") start again.",
                      job_change(t, 1));
    auto applying = set_suspend(kube, t, false);
    co_await std::move(applying);
    co_return done_reply(Mark::done, "Resumed " + t.label + ": " + t.kind->operator_name + " creates its pods (" +
                                         holding(t) + ") again. `/hp trainjobs show " + name_of(t.job) +
                                         "` shows how they come up.");
}

boost::asio::awaitable<Reply> TrainJobDelete::handle(const Intent& intent, CommandContext& context) {
    Kube& kube = require_kube(context);
    auto finding = find_target(kube, intent, context);
    const JobTarget t = co_await std::move(finding);
    ask_before_change(intent, context.config, confirm_reason,
                      "delete " + t.label + " on `" + t.cluster + "`" +
                          (job_finished(t.job) ? "." : ": its pods (" + holding(t) + ") stop."),
                      job_change(t, job_finished(t.job) ? 0 : -1));
    // Background: the API server deletes the job now, the garbage collector its pods after.
    auto removing = kube.remove(t.kind->resource, namespace_of(t.job), name_of(t.job), "Background");
    const bool removed = co_await std::move(removing);
    if (!removed) co_return done_reply(Mark::removed, t.label + " was already gone.");
    co_return done_reply(Mark::removed, "Deleted " + t.label + "; its pods go with it. Its MLflow runs stay.");
}

}  // namespace hpops::handlers
