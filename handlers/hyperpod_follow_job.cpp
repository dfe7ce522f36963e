#include "handlers/hyperpod_follow_job.hpp"

#include <nlohmann/json.hpp>

#include "handlers/start_job.hpp"
#include "handlers/status_chips.hpp"
#include "hpops/config.hpp"
#include "hpops/errors.hpp"
#include "hpops/handler.hpp"
#include "hpops/hyperpod.hpp"

namespace hpops::handlers {

using json = nlohmann::json;

HyperPodFollowJob& hyperpod_follow_job() {
    static HyperPodFollowJob instance;
    return instance;
}

std::string hyperpod_follow_state(std::string_view op, const std::string& hyperpod, const std::string& note,
                                  const std::string& group, int count, const std::string& what,
                                  const std::string& request_id) {
    return json{{"op", op},           {"hyperpod", hyperpod},     {"note", note},
                {"group", group},     {"count", count},           {"what", what},
                {"request_id", request_id}, {"cluster_status", "Updating"},
                {"group_status", ""}, {"current", 0},             {"target", 0}}
        .dump();
}

std::chrono::milliseconds HyperPodFollowJob::deadline(const Config& config) const { return config.aws.follow_timeout; }

boost::asio::awaitable<JobStep> HyperPodFollowJob::step(const JobRecord& job, JobContext& context) {
    json state = json::parse(job.state);
    if (!context.clients.hyperpod) throw UserError("HyperPod is not configured: set aws.region");
    const HyperPodCluster cluster = co_await context.clients.hyperpod->describe_cluster(state.at("hyperpod"));
    state["cluster_status"] = cluster.status;
    bool found = false;
    for (const auto& g : cluster.instance_groups)
        if (g.name == state.at("group").get<std::string>()) {
            found = true;
            state["group_status"] = g.status;
            state["current"] = g.current_count;
            state["target"] = g.target_count;
        }
    if (cluster.status != "InService" && cluster.status != "Failed")
        co_return JobStep{JobStatus::running, state.dump(), context.config.aws.poll_interval, cluster.status};
    const bool reached = cluster.status == "InService" && found &&
                         (state.at("op") == "add" || state.at("target").get<int>() == state.at("count").get<int>());
    co_return JobStep{reached ? JobStatus::done : JobStatus::failed, state.dump(), {}, "cluster " + cluster.status};
}

Reply HyperPodFollowJob::render(const JobRecord& job) const {
    const json state = json::parse(job.state, nullptr, false);
    if (!state.is_object()) return unreadable_job(job);
    Reply reply;
    reply.visibility = Visibility::channel;  // a fleet change is news for the channel
    const std::string what = state.value("what", ""), group = state.value("group", "");
    const std::string hyperpod = state.value("hyperpod", ""), cluster_status = state.value("cluster_status", "");
    const std::string counts = std::to_string(state.value("current", 0)) + "/" + std::to_string(state.value("target", 0));
    const bool add = state.value("op", "") == "add";
    switch (job.status) {
        case JobStatus::running:
            reply.summary = (add ? "Adding " : "Scaling ") + group;
            reply.text(std::string(add ? "Adding " : "Scaling ") + what + " on `" + hyperpod + "`… the cluster is " +
                           cluster_status + ".",
                       Mark::working);
            if (state.value("target", 0)) reply.progress("instances (current/target)", state.value("current", 0),
                                                         state.value("target", 0));
            break;
        case JobStatus::done:
            reply.summary = (add ? "Added " : "Scaled ") + group;
            reply.text(add ? "Added instance group " + what + " to `" + hyperpod + "`."
                           : "Scaled " + what + " (current/target " + counts + ").",
                       Mark::done);
            break;
        case JobStatus::cancelled:
            reply.summary = "Stopped following " + group;
            reply.text("Stopped following " + what + "; SageMaker carries on. Check with `/hp nodegroups`.",
                       Mark::stopped);
            break;
        case JobStatus::failed:
            reply.summary = (add ? "Adding " : "Scaling ") + group + " failed";
            if (cluster_status == "InService" || cluster_status == "Failed")
                reply.text(what + ": the cluster is " + cluster_status + " (" + counts + ").", Mark::failed);
            else
                reply.text(what + ": " + job.outcome + "; the cluster is still " + cluster_status + " (" + counts + ").",
                           Mark::warning);
            break;
    }
    reply.chips({{hyperpod + " " + cluster_status, status_colour(cluster_status)},
                 {group + " " + state.value("group_status", ""), status_colour(state.value("group_status", ""))}});
    const std::string note = state.value("note", "");
    reply.context("HyperPod `" + hyperpod + "`" + (note.empty() ? "" : " (" + note + ")") + " · by " +
                  mention(job.actor_id, job.actor_name) + " · request " + state.value("request_id", "") + " · job " +
                  std::to_string(job.id));
    return reply;
}

}  // namespace hpops::handlers
