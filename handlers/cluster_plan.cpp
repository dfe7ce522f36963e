#include "handlers/cluster_plan.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "common/text.hpp"
#include "handlers/instance_types.hpp"

namespace hpops::handlers {
namespace {

const std::string* parameter_named(const std::vector<StackParameter>& parameters, std::string_view key) {
    for (const auto& p : parameters)
        if (p.key == key) return &p.value;
    return nullptr;
}

}  // namespace

std::vector<PlannedGroup> planned_groups(const std::vector<StackParameter>& parameters,
                                         const TemplateSummary& summary) {
    std::vector<PlannedGroup> groups;
    // AWS's template: InstanceGroupSettings1, 2, ... each a JSON array of groups.
    for (int n = 1; n <= 20; ++n) {
        const std::string* settings = parameter_named(parameters, "InstanceGroupSettings" + std::to_string(n));
        if (!settings) continue;
        const auto parsed = nlohmann::json::parse(*settings, nullptr, false);
        const auto list = parsed.is_array() ? parsed : nlohmann::json::array({parsed});
        for (const auto& g : list) {
            if (!g.is_object() || !g.contains("InstanceType") || !g["InstanceType"].is_string()) continue;
            const auto& count = g.value("InstanceCount", nlohmann::json(0));
            groups.push_back({g.value("InstanceGroupName", "group-" + std::to_string(n)), g["InstanceType"],
                              count.is_number_integer() ? count.get<int>() : 0});
        }
    }
    // hpops's template: one group.
    const std::string* type = parameter_named(parameters, "InstanceType");
    const std::string* count = parameter_named(parameters, "InstanceCount");
    if (type && count) {
        std::string name = "instance group";
        for (const auto& declared : summary.parameters)
            if (declared.key == "InstanceGroupName" && declared.has_default) name = declared.default_value;
        if (const std::string* given = parameter_named(parameters, "InstanceGroupName")) name = *given;
        int n = 0;
        for (char c : *count) n = (c >= '0' && c <= '9' && n < 100'000) ? n * 10 + (c - '0') : n;
        groups.push_back({name, *type, n});
    }
    return groups;
}

CostEstimate estimate_cost(const std::vector<PlannedGroup>& groups, const std::map<std::string, double>& prices) {
    CostEstimate estimate;
    double total = 0;
    for (const auto& g : groups) {
        if (const auto price = hourly_price(prices, g.instance_type)) total += *price * g.count;
        else estimate.unpriced.push_back(g.instance_type);
    }
    if (estimate.unpriced.empty() && !groups.empty()) estimate.hourly = total;
    return estimate;
}

std::string hourly_text(const CostEstimate& estimate) {
    return estimate.hourly ? "≈ " + dollars(*estimate.hourly) + " an hour" : "cost unknown";
}

std::string cost_text(const CostEstimate& estimate) {
    if (estimate.hourly)
        return hourly_text(estimate) + " (" + dollars(*estimate.hourly * 24) +
               " a day) for the instances, from the price table (`clusters.hourly_prices`); EKS, the NAT gateway "
               "and storage come on top";
    if (estimate.unpriced.empty()) return "unknown: no instance group could be read from the parameters";
    std::string types;
    for (const auto& t : estimate.unpriced) types += (types.empty() ? "`" : ", `") + t + "`";
    return "unknown: no price for " + types + " in `clusters.hourly_prices`";
}

CapacityChange launch_change(const std::string& cluster, const std::vector<PlannedGroup>& groups,
                             const CostEstimate& cost) {
    CapacityChange change{cluster, 0, 0, cost.hourly};
    for (const PlannedGroup& g : groups) {
        change.instances += g.count;
        const auto per = accelerators_per_instance(g.instance_type);
        if (!per) change.gpus.reset();
        else if (change.gpus) *change.gpus += g.count * *per;
    }
    return change;
}

}  // namespace hpops::handlers
