#include "handlers/approval_rules.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "common/text.hpp"
#include "handlers/instance_types.hpp"
#include "hpops/errors.hpp"

namespace hpops::handlers {
namespace {

bool listed_or_any(const std::vector<std::string>& list, std::string_view value) {
    return list.empty() || std::find(list.begin(), list.end(), value) != list.end();
}

// The threshold the change reaches, said as the request shows it; nullopt
// when it reaches none of the rule's.
std::optional<std::string> reached(const ApprovalRule& rule, const CapacityChange& change) {
    if (rule.min_gpus == 0 && rule.min_hourly_cost == 0) return "every such change";
    if (rule.min_gpus > 0) {
        if (!change.gpus) return "a change whose GPUs are unknown (at least " + std::to_string(rule.min_gpus) + " need it)";
        if (std::abs(*change.gpus) >= rule.min_gpus)
            return "a change of " + std::to_string(std::abs(*change.gpus)) + " GPUs (at least " +
                   std::to_string(rule.min_gpus) + " need it)";
    }
    if (rule.min_hourly_cost > 0) {
        if (!change.hourly_cost)
            return "a change whose cost is unknown (at least " + dollars(rule.min_hourly_cost) + " an hour need it)";
        if (std::abs(*change.hourly_cost) >= rule.min_hourly_cost)
            return "a change of " + dollars(std::abs(*change.hourly_cost)) + " an hour (at least " +
                   dollars(rule.min_hourly_cost) + " an hour need it)";
    }
    return std::nullopt;
}

}  // namespace

CapacityChange capacity_change(std::string cluster, const std::string& type, int before, int after,
                               const std::map<std::string, double>& prices) {
    CapacityChange change{std::move(cluster), after - before, std::nullopt, std::nullopt};
    if (const auto per = accelerators_per_instance(type)) change.gpus = change.instances * *per;
    if (const auto price = hourly_price(prices, type)) change.hourly_cost = change.instances * *price;
    return change;
}

std::optional<ApprovalNeed> approval_needed(const ApprovalsConfig& approvals, std::string_view command,
                                            const CapacityChange& change) {
    for (const ApprovalRule& rule : approvals.rules) {
        if (!listed_or_any(rule.commands, command) || !listed_or_any(rule.clusters, change.cluster)) continue;
        if (const auto why = reached(rule, change))
            return ApprovalNeed{"rule `" + rule.name + "`: " + *why, rule.approver};
    }
    return std::nullopt;
}

std::optional<std::string> approval_why(const Config& config, const Intent& intent, const CapacityChange& change) {
    if (const auto need = approval_needed(config.approvals, intent.command, change)) return need->why;
    return std::nullopt;
}

void ask_before_change(const Intent& intent, const Config& config, const std::optional<std::string>& confirm_reason,
                       const std::string& question, const CapacityChange& change) {
    const auto need = approval_needed(config.approvals, intent.command, change);
    if (!need) {
        if (!intent.confirmed && confirm_reason) throw ConfirmationNeeded(question);
        return;
    }
    if (!intent.confirmed || intent.approved_by.empty()) throw ConfirmationNeeded(question, need->why, need->approver);
}

}  // namespace hpops::handlers
