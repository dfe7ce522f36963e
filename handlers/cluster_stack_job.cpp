#include "handlers/cluster_stack_job.hpp"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <set>

#include "handlers/cluster_common.hpp"
#include "handlers/cluster_readiness.hpp"
#include "handlers/listing.hpp"
#include "handlers/stack_progress.hpp"
#include "handlers/start_job.hpp"
#include "hpops/config.hpp"
#include "hpops/errors.hpp"
#include "hpops/handler.hpp"

namespace hpops::handlers {
namespace {

using json = nlohmann::json;

// A stack of a few hundred resources writes about three events each; the
// oldest beyond this are dropped from the state (AWS keeps them 90 days).
constexpr std::size_t max_kept_events = 2000;
// Pages of 100 read in one step: as many as the state keeps, so a burst of
// events between two steps (a big nested stack rolling back) leaves no gap of
// unread ones behind the newest; a step stays bounded all the same.
constexpr int max_pages_per_step = static_cast<int>(max_kept_events / 100);

json event_json(const StackEvent& e) {
    return {{"id", e.event_id}, {"t", e.timestamp},   {"lid", e.logical_id}, {"pid", e.physical_id},
            {"type", e.resource_type}, {"st", e.status}, {"why", e.status_reason}};
}

StackEvent event_of(const json& j) {
    return {j.value("id", ""),   j.value("t", ""),  j.value("lid", ""), j.value("pid", ""),
            j.value("type", ""), j.value("st", ""), j.value("why", "")};
}

std::vector<StackEvent> events_of(const json& state) {
    std::vector<StackEvent> events;
    if (!state.contains("events") || !state["events"].is_array()) return events;
    for (const auto& e : state["events"])
        if (e.is_object()) events.push_back(event_of(e));
    return events;
}

// The events a follow counts: a teardown's start at the stack's last
// DELETE_IN_PROGRESS; those before it are the launch's.
std::vector<StackEvent> followed_events(const json& state, const std::string& stack, bool teardown) {
    std::vector<StackEvent> events = events_of(state);
    if (!teardown) return events;
    const auto begun = std::find_if(events.rbegin(), events.rend(), [&](const StackEvent& e) {
        return e.logical_id == stack && e.status == "DELETE_IN_PROGRESS";
    });
    if (begun != events.rend()) events.erase(events.begin(), std::prev(begun.base()));
    return events;
}

json checks_json(const std::vector<ReadinessCheck>& checks) {
    json out = json::array();
    for (const auto& c : checks)
        out.push_back({{"what", c.what}, {"passed", c.passed}, {"failed", c.failed}, {"detail", c.detail}});
    return out;
}

std::vector<ReadinessCheck> checks_of(const json& state) {
    std::vector<ReadinessCheck> checks;
    if (!state.contains("checks") || !state["checks"].is_array()) return checks;
    for (const auto& c : state["checks"])
        if (c.is_object())
            checks.push_back({c.value("what", ""), c.value("passed", false), c.value("failed", false),
                              c.value("detail", "")});
    return checks;
}

// A launch that rolls back has failed, whether or not the rollback is over.
bool launch_failed(std::string_view status) {
    return status.starts_with("ROLLBACK") || status.ends_with("_FAILED") || status.starts_with("DELETE");
}

}  // namespace

ClusterStackJob& cluster_stack_job() {
    static ClusterStackJob instance;
    return instance;
}

std::string cluster_target(const std::string& stack_name) { return "cluster " + stack_name; }

std::string cluster_stack_state(std::string_view op, const Stack& stack, const std::string& region, int resources,
                                const std::string& plan) {
    return json{{"op", op},           {"stack", stack.name}, {"stack_id", stack.id}, {"region", region},
                {"resources", resources}, {"started_ms", now_unix_ms()}, {"status", stack.status},
                {"events", json::array()}, {"plan", plan}}
        .dump();
}

std::vector<StackEvent> kept_stack_events(const std::string& state) {
    const json parsed = json::parse(state, nullptr, false);
    return parsed.is_object() ? events_of(parsed) : std::vector<StackEvent>{};
}

std::chrono::milliseconds ClusterStackJob::deadline(const Config& config) const {
    return config.clusters.launch_timeout;
}

boost::asio::awaitable<JobStep> ClusterStackJob::step(const JobRecord& job, JobContext& context) {
    json state = json::parse(job.state);
    // Where the launch was asked for, which may not be aws.region.
    const std::string region = cluster_job_region(job, context.config);
    const Clients clients = clients_in(context.clients, context.config, region);
    if (!clients.cloudformation) throw UserError("CloudFormation is not configured: set aws.region");
    CloudFormation& cfn = *clients.cloudformation;
    const bool teardown = state.at("op") == "delete";
    const std::string stack = state.at("stack"), id = state.at("stack_id");

    // New events come first in each page; stop at the first one already kept.
    std::set<std::string> known;
    for (const auto& e : state["events"]) known.insert(e.value("id", ""));
    std::vector<StackEvent> fresh;
    std::string token;
    bool reached_known = false;
    for (int page = 0; page < max_pages_per_step && !reached_known; ++page) {
        StackEventsPage events = co_await cfn.describe_stack_events(id, token);
        for (auto& e : events.events) {
            if (known.contains(e.event_id)) {
                reached_known = true;
                break;
            }
            fresh.push_back(std::move(e));
        }
        token = std::move(events.next_token);
        if (token.empty()) break;
    }
    for (auto e = fresh.rbegin(); e != fresh.rend(); ++e) state["events"].push_back(event_json(*e));
    auto& kept = state["events"];
    if (kept.size() > max_kept_events) kept.erase(kept.begin(), kept.begin() + (kept.size() - max_kept_events));

    const StackProgress progress =
        stack_progress(followed_events(state, stack, teardown), stack, state.value("resources", 0), teardown);
    if (!progress.stack_status.empty()) state["status"] = progress.stack_status;
    const std::string status = state.value("status", "");
    const std::string note = std::to_string(fresh.size()) + " new events; " + (status.empty() ? "no status yet" : status) +
                             ", " + std::to_string(progress.done) + "/" + std::to_string(progress.total);
    if (teardown) {
        if (status == "DELETE_COMPLETE") co_return JobStep{JobStatus::done, state.dump(), {}, note};
        if (status == "DELETE_FAILED") co_return JobStep{JobStatus::failed, state.dump(), {}, note};
    } else {
        if (launch_failed(status)) co_return JobStep{JobStatus::failed, state.dump(), {}, note};
        if (status == "CREATE_COMPLETE") {
            // Step 2: what the stack made is up and running.
            std::optional<Stack> made = co_await cfn.describe_stack(id);
            if (!made) co_return JobStep{JobStatus::failed, state.dump(), {}, "the stack is gone"};
            auto checking = check_cluster_readiness(clients, std::move(*made), region,
                                                    context.config.clusters.configure_kubernetes);
            const std::vector<ReadinessCheck> checks = co_await std::move(checking);
            state["checks"] = checks_json(checks);
            std::string summary;
            for (const auto& c : checks) summary += "; " + c.what + (c.passed ? ": yes" : ": " + c.detail);
            const bool all = std::all_of(checks.begin(), checks.end(), [](const auto& c) { return c.passed; });
            const bool broken = std::any_of(checks.begin(), checks.end(), [](const auto& c) { return c.failed; });
            if (all) co_return JobStep{JobStatus::done, state.dump(), {}, note + summary};
            if (broken) co_return JobStep{JobStatus::failed, state.dump(), {}, note + summary};
            co_return JobStep{JobStatus::running, state.dump(), context.config.clusters.poll_interval, note + summary};
        }
    }
    co_return JobStep{JobStatus::running, state.dump(), context.config.clusters.poll_interval, note};
}

Reply ClusterStackJob::render(const JobRecord& job) const {
    const json state = json::parse(job.state, nullptr, false);
    if (!state.is_object()) return unreadable_job(job);
    const bool teardown = state.value("op", "") == "delete";
    const std::string stack = state.value("stack", "");
    StackProgress progress =
        stack_progress(followed_events(state, stack, teardown), stack, state.value("resources", 0), teardown);
    if (progress.stack_status.empty()) progress.stack_status = state.value("status", "");
    // A rollback under way has already failed the launch: the job ended on it.
    if (job.status == JobStatus::failed && launch_failed(progress.stack_status)) progress.finished = true;
    const std::int64_t started = state.value("started_ms", job.created_unix_ms);
    const std::int64_t until = job.status == JobStatus::running ? now_unix_ms() : job.finished_unix_ms;
    Reply reply = render_stack_progress(progress, stack, started, until, teardown);
    if (job.status == JobStatus::cancelled) {
        reply.summary = "Stopped following " + stack;
        reply.text("Stopped following; CloudFormation carries on. Check with `/hp cluster status " + stack + "`.",
                   Mark::stopped);
    } else if (job.status == JobStatus::failed && !progress.finished && !job.outcome.empty()) {
        reply.text("Stopped following: " + job.outcome + ". Check with `/hp cluster status " + stack + "`.",
                   Mark::warning);
    }
    if (const auto checks = checks_of(state); !checks.empty()) {
        reply.lines(readiness_lines(checks).items);
        if (job.status == JobStatus::done) {
            reply.summary = stack + " is ready";
            reply.text("`" + stack + "` is ready: `/hp cluster status " + stack + "`.", Mark::done);
        }
    }
    const std::string plan = state.value("plan", "");
    if (!plan.empty() && !teardown) reply.context(plan);
    reply.context("CloudFormation `" + stack + "` in " + state.value("region", "") + " · by " +
                  mention(job.actor_id, job.actor_name) + " · job " + std::to_string(job.id) + " · `/hp cluster logs " +
                  stack + "`");
    return reply;
}

}  // namespace hpops::handlers
