#pragma once
// Two-person approval (approvals.rules in the config): which changes need a
// second person, and the one gate every capacity-changing handler passes
// before it changes anything.
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "hpops/config.hpp"
#include "hpops/intent.hpp"

namespace hpops::handlers {

// What a change does to capacity, for the rules' thresholds. Signed: a
// scale-down is negative; the rules compare sizes.
struct CapacityChange {
    std::string cluster;
    int instances = 0;
    std::optional<int> gpus;            // nullopt: the instance type's GPUs are unknown
    std::optional<double> hourly_cost;  // nullopt: no price for the type
};

// `before` to `after` instances of `type` on `cluster`, priced from the table.
CapacityChange capacity_change(std::string cluster, const std::string& type, int before, int after,
                               const std::map<std::string, double>& prices);

// Why a second person must approve `command` making `change`, and the role
// they need: the first rule that covers it. A threshold the change cannot be
// measured against (GPUs or price unknown) counts as reached: an unknown
// size is never waved through as small.
struct ApprovalNeed {
    std::string why;  // "rule `prod-gpus`: a change of 16 GPUs (at least 8 need a second person)"
    Role approver = Role::operator_;
};
std::optional<ApprovalNeed> approval_needed(const ApprovalsConfig& approvals, std::string_view command,
                                            const CapacityChange& change);

// For a dry run: why the change would need a second person, if it would.
std::optional<std::string> approval_why(const Config& config, const Intent& intent, const CapacityChange& change);

// The gate: throws ConfirmationNeeded(question) while the requester has not
// confirmed a change that asks for it (`confirm_reason`) or that a rule
// covers, and again, naming the rule, while a covered change has no second
// person's approval. Returns when the change may go ahead.
void ask_before_change(const Intent& intent, const Config& config, const std::optional<std::string>& confirm_reason,
                       const std::string& question, const CapacityChange& change);

}  // namespace hpops::handlers
