#include "handlers/clusters_list.hpp"

#include <map>
#include <set>

#include "handlers/cluster_common.hpp"
#include "handlers/cluster_stack_job.hpp"
#include "hpops/hyperpod.hpp"
#include "hpops/node_groups.hpp"

namespace hpops::handlers {

boost::asio::awaitable<Reply> ClustersList::handle(const Intent& intent, CommandContext& context) {
    const ClusterScope scope = cluster_scope(context, intent);
    const Clients& clients = scope.clients;
    CloudFormation& cfn = scope.cloudformation();
    // What CloudFormation says of every stack now (DELETE_COMPLETE included, as AWS keeps them a while).
    std::map<std::string, StackSummary> stacks;
    auto listing = cfn.list_stacks({});
    std::vector<StackSummary> all = co_await std::move(listing);
    for (auto& s : all) {
        auto& kept = stacks[s.name];
        if (kept.name.empty() || s.creation_time > kept.creation_time) kept = std::move(s);
    }
    Table table{{"Cluster", "Source", "Status", "Since"}, {}};
    std::set<std::string> launched;
    std::set<std::string> elsewhere;  // regions hpops launched in besides this one
    if (context.jobs) {
        for (const auto& job : context.jobs->store().recent_jobs(std::nullopt, 0, 500)) {
            if (job.kind != ClusterStackJob::kind || !job.target.starts_with("cluster ")) continue;
            const std::string name = job.target.substr(8);
            if (launched.contains(name)) continue;  // newest job first
            if (const std::string region = cluster_job_region(job, context.config); region != scope.region) {
                elsewhere.insert(region);
                continue;
            }
            launched.insert(name);
            const auto live = stacks.find(name);
            const std::string status = live != stacks.end() ? live->second.status : "gone";
            const std::string since = live != stacks.end() ? live->second.creation_time.substr(0, 10) : "";
            // A table is preformatted text, where a mention would show as its code: the name instead.
            table.rows.push_back({name, "launched by " + (job.actor_name.empty() ? job.actor_id : job.actor_name),
                                  status, since});
        }
    }
    for (const auto& [name, s] : stacks)
        if (!launched.contains(name) && s.status != "DELETE_COMPLETE")
            table.rows.push_back({name, "stack", s.status, s.creation_time.substr(0, 10)});
    if (clients.hyperpod) {
        const std::vector<HyperPodCluster> hyperpods = co_await clients.hyperpod->list_clusters();
        for (const auto& c : hyperpods)
            if (!launched.contains(c.name)) table.rows.push_back({c.name, "HyperPod", c.status, ""});
    }
    if (clients.node_groups) {
        const std::vector<std::string> eks = co_await clients.node_groups->list_clusters();
        // hpops's template names a launch's EKS cluster NAME-eks: it is that launch's, not another cluster.
        for (const auto& name : eks)
            if (!launched.contains(name) && !(name.ends_with("-eks") && launched.contains(name.substr(0, name.size() - 4))))
                table.rows.push_back({name, "EKS", "", ""});
    }

    Reply reply;
    reply.summary = std::to_string(table.rows.size()) + " clusters";
    reply.heading("Clusters in " + scope.region);
    if (table.rows.empty()) reply.text("None yet. `/hp cluster launch NAME` starts one.");
    else reply.table(std::move(table));
    for (const auto& region : elsewhere)
        reply.context("hpops launched clusters in " + region + " too: `/hp clusters region=" + region + "`.");
    co_return reply;
}

}  // namespace hpops::handlers
