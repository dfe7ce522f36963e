#include "handlers/queues.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include "handlers/deploy_common.hpp"
#include "handlers/kube_custom.hpp"
#include "handlers/listing.hpp"
#include "hpops/errors.hpp"

namespace hpops::handlers {
namespace {

using nlohmann::json;

int count_of(const json& object, const char* key) { return field(object, "status").value(key, 0); }
std::string cluster_queue_of(const json& local_queue) { return field(local_queue, "spec").value("clusterQueue", ""); }

// A quantity as the API server wrote it: "8", "36Gi", or a bare number.
std::string quantity_text(const json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_number()) return value.dump();
    return "0";
}

// {flavor: {resource: {total, borrowed}}} from flavorsUsage / flavorsReservation.
using FlavorTotals = std::map<std::string, std::map<std::string, json>>;
FlavorTotals flavor_totals(const json& status, const char* key) {
    FlavorTotals out;
    for (const auto& flavor : list_field(status, key))
        for (const auto& r : list_field(flavor, "resources")) out[flavor.value("name", "")][r.value("name", "")] = r;
    return out;
}

json total_of(const FlavorTotals& totals, const std::string& flavor, const std::string& resource) {
    const auto f = totals.find(flavor);
    if (f == totals.end()) return json::object();
    const auto r = f->second.find(resource);
    return r == f->second.end() ? json::object() : r->second;
}

// "8 (50%)", "10 (62%, 2 borrowed)": reserved against the nominal quota.
std::string reserved_text(const json& reserved, const std::string& quota) {
    const std::string total = quantity_text(reserved.value("total", json("0")));
    std::string out = total;
    std::vector<std::string> notes;
    const auto amount = parse_quantity(total), nominal = parse_quantity(quota);
    if (amount && nominal && *nominal > 0)
        notes.push_back(std::to_string(static_cast<int>(std::lround(*amount / *nominal * 100))) + "%");
    const std::string borrowed = quantity_text(reserved.value("borrowed", json("0")));
    if (const auto b = parse_quantity(borrowed); b && *b > 0) notes.push_back(borrowed + " borrowed");
    for (std::size_t i = 0; i < notes.size(); ++i) out += (i == 0 ? " (" : ", ") + notes[i];
    return notes.empty() ? out : out + ")";
}

// "team-a/training": a LocalQueue, or a Workload, by namespace and name.
std::string qualified_name(const json& object) { return namespace_of(object) + "/" + name_of(object); }

// What the reply shows: the ClusterQueues and LocalQueues `queue=` selects.
struct Selection {
    std::vector<const json*> cluster_queues;
    std::vector<const json*> local_queues;
};

std::string known_queues(const KueueObjects& objects) {
    std::vector<std::string> cqs, lqs;
    for (const auto& cq : objects.cluster_queues) cqs.push_back(name_of(cq));
    for (const auto& lq : objects.local_queues) lqs.push_back(qualified_name(lq));
    std::sort(cqs.begin(), cqs.end());
    std::sort(lqs.begin(), lqs.end());
    if (cqs.empty() && lqs.empty()) return "Kueue has no queues there yet.";
    return "ClusterQueues: " + (cqs.empty() ? "none" : comma_joined(cqs)) +
           "; LocalQueues: " + (lqs.empty() ? "none" : comma_joined(lqs)) + ".";
}

Selection select(const KueueObjects& objects, const std::string& wanted, const std::string& cluster) {
    Selection s;
    std::set<std::string> feeding;  // ClusterQueues of the selected LocalQueues
    for (const auto& lq : objects.local_queues) {
        const bool named = name_of(lq) == wanted || qualified_name(lq) == wanted;
        if (!wanted.empty() && !named) continue;
        s.local_queues.push_back(&lq);
        feeding.insert(cluster_queue_of(lq));
    }
    for (const auto& cq : objects.cluster_queues)
        if (wanted.empty() || name_of(cq) == wanted || feeding.count(name_of(cq))) s.cluster_queues.push_back(&cq);
    // A ClusterQueue asked for by name brings every LocalQueue that feeds it.
    if (!wanted.empty() && s.local_queues.empty())
        for (const auto& lq : objects.local_queues)
            if (cluster_queue_of(lq) == wanted) s.local_queues.push_back(&lq);
    if (!wanted.empty() && s.cluster_queues.empty() && s.local_queues.empty())
        throw UserError("No ClusterQueue or LocalQueue `" + wanted + "` on cluster `" + cluster + "`. " +
                        known_queues(objects));
    auto by_name = [](const json* a, const json* b) {
        return std::make_pair(namespace_of(*a), name_of(*a)) < std::make_pair(namespace_of(*b), name_of(*b));
    };
    std::sort(s.cluster_queues.begin(), s.cluster_queues.end(), by_name);
    std::sort(s.local_queues.begin(), s.local_queues.end(), by_name);
    return s;
}

// The oldest pending workload of each ClusterQueue, through the LocalQueue it was submitted to.
std::map<std::string, const json*> oldest_pending(const KueueObjects& objects) {
    std::map<std::string, std::string> queue_of;  // ns/localqueue -> ClusterQueue
    for (const auto& lq : objects.local_queues)
        queue_of[qualified_name(lq)] = cluster_queue_of(lq);
    std::map<std::string, const json*> out;
    for (const auto& w : objects.workloads) {
        if (!workload_pending(w)) continue;
        const auto it = queue_of.find(namespace_of(w) + "/" + field(w, "spec").value("queueName", ""));
        if (it == queue_of.end()) continue;
        const json*& oldest = out[it->second];
        // RFC 3339 times of one server, all in UTC: text order is time order.
        auto created = [](const json& o) { return field(o, "metadata").value("creationTimestamp", ""); };
        if (!oldest || created(w) < created(*oldest)) oldest = &w;
    }
    return out;
}

}  // namespace

std::optional<double> parse_quantity(std::string_view text) {
    double number = 0;
    const char* end = text.data() + text.size();
    auto [rest, ec] = std::from_chars(text.data(), end, number, std::chars_format::fixed);
    if (ec != std::errc{} || rest == text.data()) return std::nullopt;
    const std::string_view suffix(rest, static_cast<std::size_t>(end - rest));
    if ((suffix.starts_with('e') || suffix.starts_with('E')) && suffix.size() > 1) {
        int exponent = 0;
        auto [after, ec2] = std::from_chars(suffix.data() + 1, end, exponent);
        if (ec2 != std::errc{} || after != end || std::abs(exponent) > 30) return std::nullopt;
        return number * std::pow(10.0, exponent);
    }
    static const std::pair<std::string_view, double> scales[] = {
        {"", 1},       {"n", 1e-9},   {"u", 1e-6},   {"m", 1e-3},   {"k", 1e3},    {"M", 1e6},
        {"G", 1e9},    {"T", 1e12},   {"P", 1e15},   {"E", 1e18},   {"Ki", 0x1p10}, {"Mi", 0x1p20},
        {"Gi", 0x1p30}, {"Ti", 0x1p40}, {"Pi", 0x1p50}, {"Ei", 0x1p60}};
    for (const auto& [name, scale] : scales)
        if (suffix == name) return number * scale;
    return std::nullopt;
}

bool workload_pending(const json& workload) {
    if (!field(workload, "spec").value("active", true)) return false;
    return condition_of(workload, "Finished").value("status", "") != "True" &&
           condition_of(workload, "QuotaReserved").value("status", "") != "True";
}

std::string pending_reason(const json& workload) {
    for (const char* type : {"QuotaReserved", "Admitted"}) {
        const json& c = condition_of(workload, type);
        if (c.value("status", "") == "False" && !c.value("message", "").empty()) return c.value("message", "");
    }
    return "no reason given yet (Kueue has not tried to admit it)";
}

std::vector<std::vector<std::string>> quota_rows(const json& cq) {
    const json& status = field(cq, "status");
    const FlavorTotals reserved = flavor_totals(status, "flavorsReservation");
    const FlavorTotals used = flavor_totals(status, "flavorsUsage");
    std::vector<std::vector<std::string>> rows;
    for (const auto& group : list_field(field(cq, "spec"), "resourceGroups"))
        for (const auto& flavor : list_field(group, "flavors"))
            for (const auto& r : list_field(flavor, "resources")) {
                const std::string f = flavor.value("name", ""), name = r.value("name", "");
                const std::string quota = quantity_text(r.value("nominalQuota", json("0")));
                rows.push_back({name_of(cq), f, name, quota, reserved_text(total_of(reserved, f, name), quota),
                                quantity_text(total_of(used, f, name).value("total", json("0")))});
            }
    return rows;
}

Reply render_queues(const KueueObjects& objects, const std::string& selected, const std::string& cluster,
                    std::chrono::system_clock::time_point now) {
    const Selection s = select(objects, selected, cluster);
    const auto oldest = oldest_pending(objects);
    Reply reply;
    reply.heading("Kueue queues · " + cluster + (selected.empty() ? "" : " · " + selected));

    Table queues{{"ClusterQueue", "Cohort", "Pending", "Admitted", "Oldest pending"}, {}};
    Table quota{{"ClusterQueue", "Flavor", "Resource", "Quota", "Reserved", "In use"}, {}};
    std::vector<Text> reasons;
    int pending = 0, admitted = 0;
    for (const json* cq : s.cluster_queues) {
        const std::string name = name_of(*cq);
        const auto it = oldest.find(name);
        const json* first = it == oldest.end() ? nullptr : it->second;
        const std::string first_name = first ? qualified_name(*first) : "";
        pending += count_of(*cq, "pendingWorkloads");
        admitted += count_of(*cq, "admittedWorkloads");
        queues.rows.push_back({name, field(*cq, "spec").value("cohort", "—"),
                               std::to_string(count_of(*cq, "pendingWorkloads")),
                               std::to_string(count_of(*cq, "admittedWorkloads")),
                               first ? first_name + " (" + age_of(*first, now) + ")" : "—"});
        for (auto& row : quota_rows(*cq)) quota.rows.push_back(std::move(row));
        if (first)
            reasons.push_back({"*" + name + "*: `" + first_name + "` waiting " + age_of(*first, now) + ": " +
                                   mrkdwn_escape(pending_reason(*first)),
                               Mark::warning});
    }
    if (queues.rows.empty()) {
        reply.text("No ClusterQueue" + (selected.empty() ? " on cluster `" + cluster + "` yet." : " feeds `" + selected + "`."));
    } else {
        reply.table(std::move(queues));
        if (quota.rows.empty()) reply.text("_No quota set._");
        else reply.table(std::move(quota));
    }
    if (!reasons.empty()) {
        reply.text("*Oldest pending, and why*");
        reply.lines(std::move(reasons));
    }
    Table locals{{"LocalQueue", "ClusterQueue", "Pending", "Admitted"}, {}};
    for (const json* lq : s.local_queues)
        locals.rows.push_back({qualified_name(*lq),
                               cluster_queue_of(*lq),
                               std::to_string(count_of(*lq, "pendingWorkloads")),
                               std::to_string(count_of(*lq, "admittedWorkloads"))});
    if (!locals.rows.empty()) reply.table(std::move(locals));

    reply.summary = std::to_string(s.cluster_queues.size()) + " ClusterQueues: " + std::to_string(pending) +
                    " pending, " + std::to_string(admitted) + " admitted";
    reply.context(reply.summary + ", " + std::to_string(s.local_queues.size()) + " LocalQueues · Kueue on `" +
                  cluster + "`");
    return reply;
}

boost::asio::awaitable<Reply> Queues::handle(const Intent& intent, CommandContext& context) {
    Kube& kube = require_kube(context);
    const std::string cluster = kube_cluster_name(context.config.kubernetes, kube);
    KueueObjects objects;
    auto cqs = list_operator_kind(kube, kueue::cluster_queues, "Kueue", cluster);
    objects.cluster_queues = co_await std::move(cqs);
    auto lqs = list_operator_kind(kube, kueue::local_queues, "Kueue", cluster);
    objects.local_queues = co_await std::move(lqs);
    auto wls = list_operator_kind(kube, kueue::workloads, "Kueue", cluster);
    objects.workloads = co_await std::move(wls);
    co_return render_queues(objects, option_or_empty(intent.options, "queue"), cluster,
                            std::chrono::system_clock::now());
}

}  // namespace hpops::handlers
