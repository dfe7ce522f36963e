#include "handlers/cluster_logs.hpp"

#include <algorithm>
#include <set>

#include "handlers/aws_targets.hpp"
#include "handlers/cluster_common.hpp"
#include "handlers/cluster_stack_job.hpp"
#include "handlers/listing.hpp"
#include "handlers/stack_progress.hpp"
#include "hpops/errors.hpp"

namespace hpops::handlers {
namespace {

// Pages of 100 read for a log: the newest 2,000 events.
constexpr int max_pages = 20;

// The events every job of this cluster kept, oldest first, each once.
std::vector<StackEvent> kept_events(const std::vector<JobRecord>& jobs) {
    std::vector<StackEvent> events;
    std::set<std::string> seen;
    for (const auto& job : jobs)
        for (auto& e : kept_stack_events(job.state))
            if (seen.insert(e.event_id).second) events.push_back(std::move(e));
    std::stable_sort(events.begin(), events.end(),
                     [](const StackEvent& a, const StackEvent& b) { return a.timestamp < b.timestamp; });
    return events;
}

bool is_gone(const UpstreamError& e) {
    return e.code() == "ValidationError" && e.upstream_message().find("does not exist") != std::string::npos;
}

}  // namespace

boost::asio::awaitable<Reply> ClusterLogs::handle(const Intent& intent, CommandContext& context) {
    const std::string& name = intent.args.at(0);
    const std::size_t last = parse_list_limit(option(intent, "last"), "last");
    const ClusterScope scope = cluster_scope(context, intent, name);
    CloudFormation& cfn = scope.cloudformation();
    const std::vector<JobRecord> jobs = cluster_jobs(context, name);

    std::vector<StackEvent> live;
    bool found = false;
    try {
        std::string token;
        for (int page = 0; page < max_pages; ++page) {
            StackEventsPage events = co_await cfn.describe_stack_events(name, token);
            found = true;
            for (auto& e : events.events) live.push_back(std::move(e));
            token = std::move(events.next_token);
            if (token.empty()) break;
        }
    } catch (const UpstreamError& e) {
        if (!is_gone(e)) throw;
    }
    if (found) {
        std::reverse(live.begin(), live.end());
        co_return render_stack_log(live, name, last);
    }
    if (jobs.empty())
        throw UserError("No stack named `" + name + "` in " + scope.region + ", and hpops kept no events "
                        "for one; `/hp clusters` lists them.");
    Reply reply = render_stack_log(kept_events(jobs), name, last);
    reply.context("The stack is gone; these are the events hpops kept while it followed it.");
    co_return reply;
}

}  // namespace hpops::handlers
