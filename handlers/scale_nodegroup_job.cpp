#include "handlers/scale_nodegroup_job.hpp"

#include <nlohmann/json.hpp>

#include "handlers/start_job.hpp"
#include "handlers/status_chips.hpp"
#include "hpops/config.hpp"
#include "hpops/errors.hpp"
#include "hpops/handler.hpp"

namespace hpops::handlers {
namespace {

using json = nlohmann::json;

ScalingConfig target_of(const json& state) {
    const json& t = state.at("target");
    return ScalingConfig{t.at("min").get<int>(), t.at("max").get<int>(), t.at("desired").get<int>()};
}

}  // namespace

ScaleNodegroupJob& scale_nodegroup_job() {
    static ScaleNodegroupJob instance;
    return instance;
}

std::string scale_nodegroup_state(const std::string& cluster, const std::string& cluster_note,
                                  const std::string& nodegroup, const EksUpdate& update, const std::string& change,
                                  const ScalingConfig& target) {
    return json{{"cluster", cluster},
                {"cluster_note", cluster_note},
                {"nodegroup", nodegroup},
                {"update_id", update.id},
                {"update_status", update.status.empty() ? "InProgress" : update.status},
                {"errors", update.errors},
                {"describe_update_works", !update.id.empty()},
                {"change", change},
                {"target", {{"min", target.min_size}, {"max", target.max_size}, {"desired", target.desired_size}}},
                {"request_id", update.request_id}}
        .dump();
}

std::chrono::milliseconds ScaleNodegroupJob::deadline(const Config& config) const { return config.aws.follow_timeout; }

boost::asio::awaitable<JobStep> ScaleNodegroupJob::step(const JobRecord& job, JobContext& context) {
    json state = json::parse(job.state);
    if (!context.clients.node_groups) throw UserError("EKS is not configured: set aws.region");
    NodeGroups& eks = *context.clients.node_groups;
    const std::string cluster = state.at("cluster"), name = state.at("nodegroup");
    // DescribeUpdate says when EKS is done; where it cannot describe the
    // update, the node group's own status does.
    if (state.at("describe_update_works").get<bool>()) {
        try {
            EksUpdate update = co_await eks.describe_update(cluster, name, state.at("update_id"));
            state["update_status"] = update.status;
            state["errors"] = update.errors;
            if (update.status == "InProgress")
                co_return JobStep{JobStatus::running, state.dump(), context.config.aws.poll_interval, "InProgress"};
            co_return JobStep{update.status == "Successful" ? JobStatus::done : JobStatus::failed, state.dump(), {},
                              "update " + update.status};
        } catch (const UpstreamError& error) {
            if (error.code() != "ResourceNotFoundException" && error.http_status() != 404) throw;
            state["describe_update_works"] = false;
        }
    }
    const EksNodeGroup current = co_await eks.describe_nodegroup(cluster, name);
    if (current.status == "ACTIVE" && current.scaling == target_of(state)) {
        state["update_status"] = "Successful";
        co_return JobStep{JobStatus::done, state.dump(), {}, "node group ACTIVE at the target"};
    }
    co_return JobStep{JobStatus::running, state.dump(), context.config.aws.poll_interval, "node group " + current.status};
}

Reply ScaleNodegroupJob::render(const JobRecord& job) const {
    const json state = json::parse(job.state, nullptr, false);
    if (!state.is_object()) return unreadable_job(job);
    Reply reply;
    reply.visibility = Visibility::channel;  // a fleet change is news for the channel
    const std::string name = state.value("nodegroup", ""), change = state.value("change", "");
    const std::string update_id = state.value("update_id", ""), status = state.value("update_status", "");
    switch (job.status) {
        case JobStatus::running:
            reply.summary = "Scaling " + name;
            reply.text("Scaling " + change + " (update `" + update_id + "`)…", Mark::working);
            break;
        case JobStatus::done:
            reply.summary = "Scaled " + name;
            reply.text("Scaled " + change + ".", Mark::done);
            break;
        case JobStatus::cancelled:
            reply.summary = "Stopped following " + name;
            reply.text("Stopped following " + change + "; EKS carries on with update `" + update_id +
                           "`. Check with `/hp nodegroups`.",
                       Mark::stopped);
            break;
        case JobStatus::failed: {
            reply.summary = "Scaling " + name + " " + (status == "InProgress" ? "unfinished" : status);
            std::string errors;
            for (const auto& e : state.value("errors", json::array())) errors += "\n• " + e.get<std::string>();
            if (status == "InProgress" || status.empty())
                reply.text(change + ": " + job.outcome + " (update `" + update_id + "`, " + status +
                               "). Check with `/hp nodegroups`.",
                           Mark::warning);
            else
                reply.text("Scaling " + change + " ended " + status + "." + errors, Mark::failed);
            break;
        }
    }
    reply.chips({{name + " " + status, status_colour(status)}});
    const std::string note = state.value("cluster_note", "");
    reply.context("EKS `" + state.value("cluster", "") + "`" + (note.empty() ? "" : " (" + note + ")") + " · by " +
                  mention(job.actor_id, job.actor_name) + " · request " + state.value("request_id", "") + " · job " +
                  std::to_string(job.id));
    return reply;
}

}  // namespace hpops::handlers
