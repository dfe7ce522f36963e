#pragma once
#include <map>
#include <optional>
#include <string>

#include "hpops/config.hpp"
#include "hpops/node_groups.hpp"

namespace hpops::handlers {

// Pure rules for scaling, shared by EKS node groups and HyperPod instance
// groups; tests and benchmarks call them without a backend.

// A count option ("desired=3") within the configured bounds; throws UserError.
int parse_count(const std::string& key, const std::string& text, const LimitsConfig& limits);

// The requested min/max/desired merged over the current config, checked:
// counts within bounds and min <= desired <= max. Throws UserError.
ScalingConfig merge_scaling(const ScalingConfig& current, const std::map<std::string, std::string>& options,
                            const LimitsConfig& limits);

// "spot-ng: desired 4 → 1, max 8 → 8"
std::string describe_change(const std::string& name, const ScalingConfig& from, const ScalingConfig& to);

// Why a change needs a human's confirmation, if it does: scaling to zero, or
// down by more than the configured share of current capacity.
std::optional<std::string> confirmation_reason(int current, int target, const LimitsConfig& limits);

// What a change of `before` to `after` instances of `type` costs an hour, from
// clusters.hourly_prices: "+2 × g5.12xlarge, ≈ +$11.34 an hour"; with no
// price for the type, it says so rather than guess.
std::string change_cost_text(const std::string& type, int before, int after,
                             const std::map<std::string, double>& prices);

// `dry-run=yes` (or no, or absent); another value is a UserError.
bool is_dry_run(const std::map<std::string, std::string>& options);

// The answer to a dry run: the change, its cost, and whether it would ask
// for confirmation and for a second person's approval; nothing was changed.
std::string dry_run_text(const std::string& change, const std::string& cost, const std::optional<std::string>& why,
                         const std::optional<std::string>& approval = std::nullopt);

// EKS node group / HyperPod instance group names: letters, digits, - and _,
// starting with a letter or digit, at most 63 characters. Throws UserError.
void check_group_name(const std::string& what, const std::string& name);
// "m5.large", "ml.g5.12xlarge". Throws UserError.
void check_instance_type(const std::string& type);

}  // namespace hpops::handlers
