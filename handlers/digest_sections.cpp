#include "handlers/digest_sections.hpp"

#include <algorithm>
#include <map>

#include "handlers/digest_gpu_hours.hpp"
#include "handlers/digest_rules.hpp"
#include "handlers/digest_training.hpp"
#include "handlers/fleet_reading.hpp"
#include "handlers/listing.hpp"
#include "hpops/alert.hpp"
#include "hpops/config.hpp"
#include "hpops/errors.hpp"
#include "hpops/handler.hpp"
#include "hpops/hyperpod.hpp"
#include "hpops/job.hpp"
#include "hpops/kube.hpp"
#include "hpops/store.hpp"

namespace hpops::handlers {
namespace {

// A digest reads a region's whole fleet; past this many clusters it names the rest.
constexpr std::size_t max_clusters = 5;
constexpr std::size_t max_section_rows = 30;
// The commands that change capacity, as the audit names them.
const std::vector<std::string> capacity_commands{"scale nodegroup", "scale instancegroup", "nodegroup create",
                                                 "nodegroup delete", "instancegroup add"};

// Who changed capacity in the period, from the audit.
void add_changes(DigestSection& section, const DigestInputs& in) {
    if (!in.store) return;
    std::vector<std::string> changes;
    for (const auto& row : in.store->recent_audit(500)) {
        if (row.time_unix_ms < in.since_unix_ms || row.time_unix_ms > in.until_unix_ms || row.outcome != "ok") continue;
        if (std::find(capacity_commands.begin(), capacity_commands.end(), row.command) == capacity_commands.end())
            continue;
        changes.push_back("`" + row.arguments + "` by " + mention(row.actor_id, row.actor_name) + ", " +
                          age_text(row.time_unix_ms, in.until_unix_ms) + " ago");
    }
    if (changes.empty()) {
        section.lines.push_back("No capacity changes from chat in the period.");
        return;
    }
    const std::size_t shown = std::min<std::size_t>(changes.size(), 8);
    section.lines.push_back("Changes in the period (" + std::to_string(changes.size()) + ", newest first):");
    for (std::size_t i = 0; i < shown; ++i) section.lines.push_back("• " + changes[i]);
}

boost::asio::awaitable<DigestSection> fleet(const DigestInputs& in) {
    DigestSection section{"fleet", "Fleet", {}, {{"group", "cluster", "instance type", "capacity", "status"}, {}}, {}};
    if (!in.clients.node_groups && !in.clients.hyperpod) {
        section.problem = "AWS is not configured (aws.region)";
        co_return section;
    }
    FleetReading reading;
    try {
        reading = co_await read_fleet(in.clients, in.config, max_clusters);
    } catch (const UpstreamError& e) {
        section.problem = e.service() + " did not answer: " + e.code();
        co_return section;
    }
    if (reading.eks_clusters > max_clusters)
        section.lines.push_back("EKS: " + std::to_string(reading.eks_clusters) + " clusters; the first " +
                                std::to_string(max_clusters) + " are shown.");
    for (const auto& g : reading.groups)
        section.table.rows.push_back({g.group, (g.kind == "eks" ? "EKS " : "HyperPod ") + g.cluster, g.instance_types,
                                      g.capacity, g.status});
    cap_rows(section, max_section_rows, "groups", "`/hp nodegroups`");
    if (section.table.rows.empty()) section.lines.push_back("No node groups or instance groups.");
    add_changes(section, in);
    co_return section;
}

// HyperPod nodes that are not Running, by cluster.
boost::asio::awaitable<void> add_hyperpod_nodes(DigestSection& section, HyperPodClusters& hyperpod) {
    std::vector<HyperPodCluster> clusters = co_await hyperpod.list_clusters();
    if (clusters.size() > max_clusters) clusters.resize(max_clusters);
    for (const auto& c : clusters) {
        const std::vector<HyperPodNode> nodes = co_await hyperpod.list_cluster_nodes(c.name);
        std::vector<std::string> unwell;
        for (const auto& n : nodes)
            if (n.status != "Running") unwell.push_back(n.instance_id + " (" + n.instance_group + ") " + n.status);
        if (unwell.empty()) {
            section.lines.push_back("HyperPod `" + c.name + "`: all " + std::to_string(nodes.size()) + " nodes Running.");
            continue;
        }
        section.lines.push_back("HyperPod `" + c.name + "`: " + std::to_string(unwell.size()) + " of " +
                                std::to_string(nodes.size()) + " nodes not Running:");
        for (std::size_t i = 0; i < std::min<std::size_t>(5, unwell.size()); ++i) section.lines.push_back("• " + unwell[i]);
    }
}

// Deployments hpops made that have fewer ready replicas than asked.
boost::asio::awaitable<void> add_deployments(DigestSection& section, Kube& kube, const Config& config) {
    const std::string ns = config.kubernetes.namespace_name.empty() ? kube.default_namespace()
                                                                   : config.kubernetes.namespace_name;
    KubeListOptions options;
    options.label_selector = "app.kubernetes.io/managed-by=hpops";
    auto listing = kube.list(kube::deployments, ns, options);
    const KubeList deployments = co_await std::move(listing);
    std::vector<std::string> short_of;
    for (const auto& d : deployments.items) {
        const auto spec = d.value("spec", nlohmann::json::object());
        const auto status = d.value("status", nlohmann::json::object());
        const int wanted = spec.value("replicas", 1), ready = status.value("readyReplicas", 0);
        if (ready < wanted)
            short_of.push_back(d["metadata"].value("name", "?") + ": " + std::to_string(ready) + "/" +
                               std::to_string(wanted) + " ready");
    }
    if (short_of.empty()) {
        section.lines.push_back("Models in `" + ns + "`: all " + std::to_string(deployments.items.size()) + " ready.");
        co_return;
    }
    section.lines.push_back("Models in `" + ns + "` not ready:");
    for (std::size_t i = 0; i < std::min<std::size_t>(5, short_of.size()); ++i) section.lines.push_back("• " + short_of[i]);
}

// Cluster launches under way, and those that failed in the period.
void add_launches(DigestSection& section, const DigestInputs& in) {
    if (!in.jobs) return;
    for (const auto& job : in.jobs->recent_jobs(std::nullopt, in.since_unix_ms, 200)) {
        if (job.kind != "cluster_stack") continue;
        if (job.status == JobStatus::running) section.lines.push_back("Under way: `" + job.target + "` (job " + std::to_string(job.id) + ").");
        else if (job.status == JobStatus::failed)
            section.lines.push_back("Failed: `" + job.target + "`: " + job.outcome.substr(0, 160) + " (job " +
                                    std::to_string(job.id) + ").");
    }
}

boost::asio::awaitable<DigestSection> health(const DigestInputs& in) {
    DigestSection section{"health", "Health", {}, {}, {}};
    std::vector<std::string> unread;
    if (in.clients.hyperpod) {
        try {
            co_await add_hyperpod_nodes(section, *in.clients.hyperpod);
        } catch (const UpstreamError& e) {
            unread.push_back("HyperPod did not answer (" + e.code() + ")");
        }
    }
    if (in.clients.kube) {
        try {
            co_await add_deployments(section, *in.clients.kube, in.config);
        } catch (const std::exception& e) {
            unread.push_back(std::string("Kubernetes did not answer (") + std::string(e.what()).substr(0, 120) + ")");
        }
    }
    add_launches(section, in);
    if (!in.clients.hyperpod && !in.clients.kube && !in.jobs) section.problem = "neither AWS nor Kubernetes is configured";
    else if (section.lines.empty() && !unread.empty()) section.problem = unread.front();
    else
        for (const auto& u : unread) section.lines.push_back(u + ".");
    co_return section;
}

boost::asio::awaitable<DigestSection> alerts(const DigestInputs& in) {
    DigestSection section{"alerts", "Alerts", {}, {}, {}};
    if (!in.clients.alerts) {
        section.problem = "alerts are not configured (the `alerts` section)";
        co_return section;
    }
    const std::vector<StoredAlert> firing = co_await in.clients.alerts->list_alerts(AlertStatus::firing, 0, 1000);
    const std::vector<StoredAlert> resolved =
        co_await in.clients.alerts->list_alerts(AlertStatus::resolved, in.since_unix_ms, 1000);
    std::map<std::pair<std::string, std::string>, int> by_channel;
    for (const auto& a : firing) ++by_channel[{a.channel.empty() ? "(no channel)" : a.channel, a.severity.empty() ? "none" : a.severity}];
    if (firing.empty()) section.lines.push_back("Nothing firing.");
    else {
        section.table = {{"channel", "severity", "firing"}, {}};
        for (const auto& [key, n] : by_channel) section.table.rows.push_back({key.first, key.second, std::to_string(n)});
        cap_rows(section, 10, "channels and severities", "`/hp alerts`");
        std::vector<StoredAlert> longest = firing;
        std::sort(longest.begin(), longest.end(), [](const auto& a, const auto& b) { return a.starts_unix_ms < b.starts_unix_ms; });
        section.lines.push_back("Firing longest:");
        for (std::size_t i = 0; i < std::min<std::size_t>(3, longest.size()); ++i)
            section.lines.push_back("• *" + longest[i].name + "* (" + longest[i].severity + ") for " +
                                    age_text(longest[i].starts_unix_ms, in.until_unix_ms) +
                                    (longest[i].summary.empty() ? "" : ": " + longest[i].summary.substr(0, 120)));
    }
    std::map<std::string, int> resolved_names;
    for (const auto& a : resolved)
        if (a.ends_unix_ms >= in.since_unix_ms && a.ends_unix_ms <= in.until_unix_ms) ++resolved_names[a.name];
    int resolved_count = 0;
    std::string names;
    for (const auto& [name, n] : resolved_names) {
        resolved_count += n;
        if (names.size() < 200) names += (names.empty() ? "" : ", ") + name + (n > 1 ? " ×" + std::to_string(n) : "");
    }
    section.lines.push_back(resolved_count == 0 ? "None resolved in the period."
                                                : std::to_string(resolved_count) + " resolved in the period: " + names + ".");
    co_return section;
}

}  // namespace

void cap_rows(DigestSection& section, std::size_t max, const std::string& what, const std::string& see_all) {
    const std::size_t rows = section.table.rows.size();
    if (rows <= max) return;
    section.table.rows.resize(max);
    section.lines.insert(section.lines.begin(), std::to_string(rows - max) + " more " + what + " than shown: " + see_all +
                                                    " lists them all.");
}

void cap_lines(DigestSection& section, std::string_view prefix, std::size_t max, const std::string& what) {
    std::size_t seen = 0;
    const auto last = std::remove_if(section.lines.begin(), section.lines.end(), [&](const std::string& line) {
        return line.starts_with(prefix) && ++seen > max;
    });
    section.lines.erase(last, section.lines.end());
    if (seen > max) section.lines.push_back("… and " + std::to_string(seen - max) + " more " + what + ".");
}

boost::asio::awaitable<std::vector<DigestSection>> build_digest_sections(DigestInputs inputs,
                                                                         std::vector<std::string> names) {
    std::vector<DigestSection> built;
    for (const auto& known : digest_section_names()) {
        if (!names.empty() && std::find(names.begin(), names.end(), known) == names.end()) continue;
        DigestSection section;
        if (known == "fleet") section = co_await fleet(inputs);
        else if (known == "health") section = co_await health(inputs);
        else if (known == "alerts") section = co_await alerts(inputs);
        else if (known == "training") section = co_await training_section(inputs);
        else if (known == "gpu-hours") section = gpu_hours_section(inputs);
        built.push_back(std::move(section));
    }
    co_return built;
}

}  // namespace hpops::handlers
