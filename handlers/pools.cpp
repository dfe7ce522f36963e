#include "handlers/pools.hpp"

#include <algorithm>
#include <tuple>

#include "handlers/deploy_common.hpp"
#include "handlers/kube_custom.hpp"
#include "handlers/listing.hpp"
#include "hpops/errors.hpp"

namespace hpops::handlers {
namespace {

using nlohmann::json;

constexpr const char* capacity_type_label = "karpenter.sh/capacity-type";
// The values karpenter.sh/capacity-type takes, in the order shown.
const std::vector<std::string> all_capacity_types{"spot", "on-demand", "reserved"};

const json& spec_field(const json& object) { return field(object, "spec"); }
const json& disruption_of(const json& pool) { return field(spec_field(pool), "disruption"); }

std::string text_of(const json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

std::vector<std::string> pool_names(const std::vector<json>& pools) {
    std::vector<std::string> names;
    for (const auto& p : pools) names.push_back(name_of(p));
    std::sort(names.begin(), names.end());
    return names;
}

int claims_of(const std::string& pool, const std::vector<json>& claims) {
    return static_cast<int>(std::count_if(claims.begin(), claims.end(), [&](const json& c) { return pool_of(c) == pool; }));
}

}  // namespace

std::string capacity_types_text(const json& pool) {
    for (const auto& r : list_field(spec_field(field(spec_field(pool), "template")), "requirements")) {
        if (r.value("key", "") != capacity_type_label) continue;
        const std::string op = r.value("operator", "");
        const auto values = r.value("values", std::vector<std::string>{});
        if (op == "In") return comma_joined(values);
        if (op == "Exists") return "any";
        if (op == "NotIn") {
            std::vector<std::string> left;
            for (const auto& t : all_capacity_types)
                if (std::find(values.begin(), values.end(), t) == values.end()) left.push_back(t);
            return comma_joined(left);
        }
        if (op == "DoesNotExist") return "none";
    }
    return "on-demand (default)";
}

std::string limits_text(const json& pool) {
    std::string out;
    for (const auto& [resource, value] : field(spec_field(pool), "limits").items())
        out += (out.empty() ? "" : ", ") + resource + " " + text_of(value);
    return out.empty() ? "none" : out;
}

std::string consolidation_text(const json& pool) {
    const json& disruption = disruption_of(pool);
    const std::string policy = disruption.value("consolidationPolicy", "WhenEmptyOrUnderutilized");
    const std::string after = disruption.value("consolidateAfter", "");
    if (after == "Never") return policy + ", never";
    return after.empty() ? policy : policy + " after " + after;
}

std::string budgets_text(const json& pool) {
    std::string out;
    for (const auto& b : list_field(disruption_of(pool), "budgets")) {
        const std::string nodes = b.value("nodes", "10%");
        std::string one = nodes + (nodes.ends_with('%') ? " of nodes" : " nodes");
        if (b.contains("schedule"))
            one += " at `" + b.value("schedule", "") + "` for " + b.value("duration", "?");
        if (b.contains("reasons")) one += " (" + comma_joined(b.value("reasons", std::vector<std::string>{})) + ")";
        out += (out.empty() ? "" : "; ") + one;
    }
    return out.empty() ? "10% of nodes (default)" : out;
}

std::string pool_of(const json& claim) { return label_of(claim, "karpenter.sh/nodepool"); }

std::vector<std::string> node_claim_row(const json& claim, std::chrono::system_clock::time_point now) {
    auto label = [&](const char* key) {
        const std::string value = label_of(claim, key);
        return value.empty() ? std::string("?") : value;
    };
    const std::string node = field(claim, "status").value("nodeName", "");
    return {name_of(claim), pool_of(claim), label("node.kubernetes.io/instance-type"),
            label("topology.kubernetes.io/zone"), label(capacity_type_label), node.empty() ? "—" : node,
            age_of(claim, now), condition_true(claim, "Ready") ? "Ready" : "not ready"};
}

std::vector<PoolSummary> pool_summaries(const std::vector<json>& pools, const std::vector<json>& claims) {
    std::vector<PoolSummary> out;
    for (const auto& p : pools)
        out.push_back({name_of(p), claims_of(name_of(p), claims), capacity_types_text(p), limits_text(p)});
    std::sort(out.begin(), out.end(), [](const PoolSummary& a, const PoolSummary& b) { return a.name < b.name; });
    return out;
}

Reply render_pools(const std::vector<json>& pools, const std::vector<json>& claims, const std::string& selected,
                   const std::string& cluster, std::chrono::system_clock::time_point now) {
    const std::vector<std::string> names = pool_names(pools);
    if (!selected.empty() && std::find(names.begin(), names.end(), selected) == names.end())
        throw UserError("No NodePool `" + selected + "` on cluster `" + cluster + "`. " +
                        (names.empty() ? "Karpenter has no NodePools there yet." : "NodePools: " + comma_joined(names) + "."));
    std::vector<const json*> shown;
    for (const auto& p : pools)
        if (selected.empty() || name_of(p) == selected) shown.push_back(&p);
    std::sort(shown.begin(), shown.end(), [](const json* a, const json* b) { return name_of(*a) < name_of(*b); });

    Reply reply;
    reply.heading("Karpenter node pools · " + cluster + (selected.empty() ? "" : " · " + selected));
    Table table{{"NodePool", "Nodes", "Capacity types", "Consolidation"}, {}};
    // Limits and budgets run longer than a table cell: a line per pool.
    std::vector<Text> settings;
    for (const json* p : shown) {
        table.rows.push_back({name_of(*p), std::to_string(claims_of(name_of(*p), claims)), capacity_types_text(*p),
                              consolidation_text(*p)});
        settings.push_back({"*" + name_of(*p) + "*: limits " + limits_text(*p) + " · disruption budgets " +
                            budgets_text(*p)});
    }
    if (table.rows.empty()) {
        reply.text("No NodePool on cluster `" + cluster + "` yet.");
    } else {
        reply.table(std::move(table));
        reply.lines(std::move(settings));
    }

    Table held{{"NodeClaim", "NodePool", "Instance type", "Zone", "Capacity", "Node", "Age", "Ready"}, {}};
    int ready_claims = 0;
    for (const auto& c : claims) {
        if (!selected.empty() && pool_of(c) != selected) continue;
        held.rows.push_back(node_claim_row(c, now));
        ready_claims += condition_true(c, "Ready") ? 1 : 0;
    }
    std::sort(held.rows.begin(), held.rows.end(),
              [](const auto& a, const auto& b) { return std::tie(a[1], a[0]) < std::tie(b[1], b[0]); });
    const std::size_t claim_count = held.rows.size();
    if (held.rows.empty()) reply.text("_No NodeClaims: the pools hold no nodes now._");
    else reply.table(std::move(held));

    reply.summary = std::to_string(shown.size()) + " NodePools, " + std::to_string(claim_count) + " NodeClaims (" +
                    std::to_string(ready_claims) + " ready)";
    reply.context(reply.summary + " · Karpenter on `" + cluster + "`");
    return reply;
}

boost::asio::awaitable<Reply> Pools::handle(const Intent& intent, CommandContext& context) {
    Kube& kube = require_kube(context);
    const std::string cluster = kube_cluster_name(context.config.kubernetes, kube);
    auto pool_listing = list_operator_kind(kube, karpenter::node_pools, "Karpenter", cluster);
    const std::vector<nlohmann::json> pools = co_await std::move(pool_listing);
    auto claim_listing = list_operator_kind(kube, karpenter::node_claims, "Karpenter", cluster);
    const std::vector<nlohmann::json> claims = co_await std::move(claim_listing);
    co_return render_pools(pools, claims, option_or_empty(intent.options, "pool"), cluster,
                           std::chrono::system_clock::now());
}

}  // namespace hpops::handlers
