#include "handlers/nodegroup_lifecycle_job.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "handlers/start_job.hpp"
#include "handlers/status_chips.hpp"
#include "hpops/config.hpp"
#include "hpops/errors.hpp"
#include "hpops/handler.hpp"

namespace hpops::handlers {

using json = nlohmann::json;

NodegroupLifecycleJob& nodegroup_lifecycle_job() {
    static NodegroupLifecycleJob instance;
    return instance;
}

std::string nodegroup_lifecycle_state(std::string_view op, const std::string& cluster, const NodeGroupChange& change,
                                      const std::string& nodegroup, const std::string& detail) {
    return json{{"op", op},
                {"cluster", cluster},
                {"nodegroup", nodegroup},
                {"status", change.nodegroup.status.empty() ? (op == "create" ? "CREATING" : "DELETING")
                                                           : change.nodegroup.status},
                {"detail", detail},
                {"request_id", change.request_id}}
        .dump();
}

std::chrono::milliseconds NodegroupLifecycleJob::deadline(const Config& config) const {
    return config.aws.follow_timeout;
}

boost::asio::awaitable<JobStep> NodegroupLifecycleJob::step(const JobRecord& job, JobContext& context) {
    json state = json::parse(job.state);
    if (!context.clients.node_groups) throw UserError("EKS is not configured: set aws.region");
    NodeGroups& eks = *context.clients.node_groups;
    const std::string cluster = state.at("cluster"), name = state.at("nodegroup");
    const auto again = context.config.aws.poll_interval;
    if (state.at("op") == "delete") {
        const auto names = co_await eks.list_nodegroups(cluster);
        if (std::find(names.begin(), names.end(), name) == names.end()) {
            state["status"] = "DELETED";
            co_return JobStep{JobStatus::done, state.dump(), {}, "gone"};
        }
    }
    const EksNodeGroup now = co_await eks.describe_nodegroup(cluster, name);
    state["status"] = now.status;
    if (now.status == "CREATING" || now.status == "DELETING" || now.status == "UPDATING")
        co_return JobStep{JobStatus::running, state.dump(), again, now.status};
    if (state.at("op") == "create" && now.status == "ACTIVE")
        co_return JobStep{JobStatus::done, state.dump(), {}, "ACTIVE"};
    co_return JobStep{JobStatus::failed, state.dump(), {}, now.status};
}

Reply NodegroupLifecycleJob::render(const JobRecord& job) const {
    const json state = json::parse(job.state, nullptr, false);
    if (!state.is_object()) return unreadable_job(job);
    Reply reply;
    reply.visibility = Visibility::channel;  // a fleet change is news for the channel
    const bool create = state.value("op", "") == "create";
    const std::string name = state.value("nodegroup", ""), status = state.value("status", "");
    const std::string detail = state.value("detail", "");
    const std::string what = std::string(create ? "Creating" : "Deleting") + " node group " + name;
    switch (job.status) {
        case JobStatus::running:
            reply.summary = what;
            reply.text(what + (detail.empty() ? "" : " (" + detail + ")") + "… EKS says " + status + ".",
                       Mark::working);
            break;
        case JobStatus::done:
            reply.summary = (create ? "Created " : "Deleted ") + name;
            reply.text(create ? "Created node group " + name + ": " + detail + "." : "Deleted node group " + name + ".",
                       Mark::done);
            break;
        case JobStatus::cancelled:
            reply.summary = "Stopped following " + name;
            reply.text("Stopped following: " + what + "; EKS carries on. Check with `/hp nodegroups`.", Mark::stopped);
            break;
        case JobStatus::failed:
            reply.summary = name + " " + status;
            if (status == "CREATING" || status == "DELETING")
                reply.text(what + ": " + job.outcome + " (" + status + "). Check with `/hp nodegroups`.", Mark::warning);
            else
                reply.text("Node group " + name + " is " + status + ".", Mark::failed);
            break;
    }
    reply.chips({{name + " " + status, job.status == JobStatus::done ? Status::ok : status_colour(status)}});
    reply.context("EKS `" + state.value("cluster", "") + "` · by " + mention(job.actor_id, job.actor_name) +
                  " · request " + state.value("request_id", "") + " · job " + std::to_string(job.id));
    return reply;
}

}  // namespace hpops::handlers
