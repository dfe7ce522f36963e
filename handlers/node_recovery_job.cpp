#include "handlers/node_recovery_job.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "handlers/hyperpod_nodes.hpp"
#include "handlers/start_job.hpp"
#include "hpops/config.hpp"
#include "hpops/errors.hpp"
#include "hpops/handler.hpp"
#include "hpops/hyperpod.hpp"

namespace hpops::handlers {

using json = nlohmann::json;

namespace {

// A reboot can be over between two polls: after this many polls that find the
// instance Running and never saw it leave, the job ends, saying so.
constexpr int quiet_running_polls = 3;

std::string node_text(const json& state, const char* key) { return "`" + kube_node_name(state.value(key, "")) + "`"; }

}  // namespace

NodeRecoveryJob& node_recovery_job() {
    static NodeRecoveryJob instance;
    return instance;
}

std::string node_recovery_state(const NodeRecoveryStart& s) {
    return json{{"action", s.action},       {"hyperpod", s.hyperpod},       {"note", s.note},
                {"node", s.node},           {"original", s.node},           {"group", s.group},
                {"instance_type", s.instance_type}, {"request_id", s.request_id}, {"api", s.api},
                {"status", s.status},       {"message", ""},                {"transition_seen", false},
                {"running_polls", 0},       {"group_nodes", s.group_nodes}}
        .dump();
}

std::chrono::milliseconds NodeRecoveryJob::deadline(const Config& config) const { return config.aws.follow_timeout; }

boost::asio::awaitable<JobStep> NodeRecoveryJob::step(const JobRecord& job, JobContext& context) {
    json state = json::parse(job.state);
    if (!context.clients.hyperpod) throw UserError("HyperPod is not configured: set aws.region");
    HyperPodClusters& sagemaker = *context.clients.hyperpod;
    const std::string hyperpod = state.at("hyperpod");
    const auto poll = context.config.aws.poll_interval;
    const std::string followed = state.at("node");
    std::optional<HyperPodNode> node = co_await sagemaker.describe_cluster_node(hyperpod, followed);
    if (!node) {
        if (state.at("action") != "replace" || state.at("node") != state.at("original")) {
            state["status"] = "NotFound";
            co_return JobStep{JobStatus::failed, state.dump(), {}, "the instance left the cluster"};
        }
        // The replaced instance is gone: its successor is the group's node the
        // group did not have before.
        state["transition_seen"] = true;
        state["status"] = "Replaced";
        const auto before = state.at("group_nodes").get<std::vector<std::string>>();
        std::vector<HyperPodNode> nodes = co_await sagemaker.list_cluster_nodes(hyperpod);
        for (const auto& n : nodes)
            if (n.instance_group == state.at("group").get<std::string>() &&
                std::find(before.begin(), before.end(), n.instance_id) == before.end()) {
                state["node"] = n.instance_id;
                state["status"] = n.status;
            }
        co_return JobStep{JobStatus::running, state.dump(), poll, "instance " + state.at("status").get<std::string>()};
    }
    state["status"] = node->status;
    state["message"] = node->status_message;
    if (node->status == "Failure" || node->status == "NotFound")
        co_return JobStep{JobStatus::failed, state.dump(), {}, "instance " + node->status};
    if (node->status != "Running") {
        state["transition_seen"] = true;
        co_return JobStep{JobStatus::running, state.dump(), poll, "instance " + node->status};
    }
    const bool replaced = state.at("node") != state.at("original");
    state["running_polls"] = state.value("running_polls", 0) + 1;
    if (state.at("transition_seen").get<bool>() || replaced || state.at("running_polls").get<int>() >= quiet_running_polls)
        co_return JobStep{JobStatus::done, state.dump(), {}, "instance Running"};
    co_return JobStep{JobStatus::running, state.dump(), poll, "instance Running; waiting for the " +
                                                               state.at("action").get<std::string>() + " to show"};
}

Reply NodeRecoveryJob::render(const JobRecord& job) const {
    const json state = json::parse(job.state, nullptr, false);
    if (!state.is_object()) return unreadable_job(job);
    Reply reply;
    reply.visibility = Visibility::channel;  // a node going away is news for the channel
    const bool reboot = state.value("action", "") == "reboot";
    const std::string original = node_text(state, "original"), current = node_text(state, "node");
    const std::string status = state.value("status", ""), message = state.value("message", "");
    const std::string where = " (" + state.value("group", "") + ", " + state.value("instance_type", "") + ")";
    const std::string why = message.empty() ? "" : ": " + message;
    switch (job.status) {
        case JobStatus::running:
            reply.summary = std::string(reboot ? "Rebooting " : "Replacing ") + original;
            reply.text(std::string(reboot ? "Rebooting " : "Replacing ") + original + where + "… the instance" +
                           (current != original ? " replacing it, " + current + "," : "") + " is " + status + ".",
                       Mark::working);
            break;
        case JobStatus::done:
            reply.summary = std::string(reboot ? "Rebooted " : "Replaced ") + original;
            if (reboot)
                reply.text("Rebooted " + original + where + ": Running again" +
                               (state.value("transition_seen", false) ? "." : " (SageMaker never showed it rebooting "
                                                                              "between polls)."),
                           Mark::done);
            else
                reply.text("Replaced " + original + where + " with " + current + ": Running.", Mark::done);
            break;
        case JobStatus::cancelled:
            reply.summary = "Stopped following " + original;
            reply.text("Stopped following the " + state.value("action", "") + " of " + original +
                           "; SageMaker carries on. Check with `/hp health`.",
                       Mark::stopped);
            break;
        case JobStatus::failed:
            reply.summary = std::string(reboot ? "Reboot of " : "Replacement of ") + original + " failed";
            reply.text(std::string(reboot ? "Reboot of " : "Replacement of ") + original + where + ": " +
                           (status == "Running" || status.empty() ? job.outcome : "the instance is " + status + why) +
                           ".",
                       Mark::failed);
            break;
    }
    const std::string note = state.value("note", "");
    reply.context("HyperPod `" + state.value("hyperpod", "") + "`" + (note.empty() ? "" : " (" + note + ")") +
                  " · by " + mention(job.actor_id, job.actor_name) + " · " + state.value("api", "") + " request " +
                  state.value("request_id", "") + " · job " + std::to_string(job.id));
    return reply;
}

}  // namespace hpops::handlers
