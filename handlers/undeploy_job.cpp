#include "handlers/undeploy_job.hpp"

#include <nlohmann/json.hpp>

#include "handlers/deploy_common.hpp"
#include "handlers/start_job.hpp"
#include "hpops/config.hpp"
#include "hpops/errors.hpp"
#include "hpops/handler.hpp"

namespace hpops::handlers {
namespace {

using json = nlohmann::json;

std::string joined(const json& kinds) {
    std::string out;
    for (const auto& k : kinds) out += (out.empty() ? "" : ", ") + k.get<std::string>();
    return out;
}

}  // namespace

UndeployJob& undeploy_job() {
    static UndeployJob instance;
    return instance;
}

std::string undeploy_state(const std::string& name, const std::string& ns, const std::vector<KubeResource>& removed,
                           const std::string& left, const std::string& server) {
    json resources = json::array(), kinds = json::array();
    for (const auto& r : removed) {
        resources.push_back(resource_json(r));
        kinds.push_back(r.kind);
    }
    return json{{"name", name},         {"ns", ns},          {"server", server},
                {"left", left},         {"removed", resources}, {"remaining", kinds}}
        .dump();
}

std::chrono::milliseconds UndeployJob::deadline(const Config& config) const { return config.kubernetes.rollout_timeout; }

boost::asio::awaitable<JobStep> UndeployJob::step(const JobRecord& job, JobContext& context) {
    json state = json::parse(job.state);
    Kube& kube = require_kube(context.clients);
    const std::string name = state.at("name"), ns = state.at("ns");
    json remaining = json::array();
    for (const auto& r : state.at("removed")) {
        const KubeResource resource = resource_of(r);
        auto lookup = kube.get(resource, ns, name);
        if (co_await std::move(lookup)) remaining.push_back(resource.kind);
    }
    state["remaining"] = remaining;
    if (remaining.empty()) co_return JobStep{JobStatus::done, state.dump(), {}, "gone"};
    co_return JobStep{JobStatus::running, state.dump(), context.config.kubernetes.poll_interval,
                      "waiting for " + joined(remaining)};
}

Reply UndeployJob::render(const JobRecord& job) const {
    const json state = json::parse(job.state, nullptr, false);
    if (!state.is_object()) return unreadable_job(job);
    const std::string name = state.value("name", ""), ns = state.value("ns", ""), left = state.value("left", "");
    const std::string where = "`" + name + "` from `" + ns + "`";
    json removed_kinds = json::array();
    for (const auto& r : state.value("removed", json::array())) removed_kinds.push_back(r.value("kind", ""));
    const std::string remaining = joined(state.value("remaining", json::array()));
    Reply reply;
    reply.visibility = Visibility::channel;
    switch (job.status) {
        case JobStatus::running:
            reply.summary = "Removing " + name;
            reply.text("Removing " + where + ": waiting for " + remaining + " to go (its finalizers run first).",
                       Mark::working);
            break;
        case JobStatus::done:
            reply.summary = "Removed " + name;
            reply.text("Removed " + where + ": " + joined(removed_kinds) + ".", Mark::removed);
            break;
        case JobStatus::cancelled:
            reply.summary = "Stopped following " + name;
            reply.text("Stopped following the removal of " + where + "; Kubernetes carries on. Check with `/hp models`.",
                       Mark::stopped);
            break;
        case JobStatus::failed:
            reply.summary = "Removing " + name + " unfinished";
            reply.text(where + ": " + remaining + " still there (" + job.outcome +
                           "). Its finalizers may be waiting on the operator; check with `/hp models`.",
                       Mark::warning);
            break;
    }
    if (!left.empty()) reply.text("Left alone (not managed by hpops): " + left + " `" + name + "`.");
    reply.context("by " + mention(job.actor_id, job.actor_name) + " · " + state.value("server", "") + " · job " +
                  std::to_string(job.id));
    return reply;
}

}  // namespace hpops::handlers
