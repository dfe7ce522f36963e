#pragma once
// What a deploy adds to the fleet, for its confirmation and the approval
// rules: GPUs, the instances of the requested type they amount to, and the
// GPUs' share of those instances' hourly price.
#include <map>
#include <string>

#include "handlers/approval_rules.hpp"

namespace hpops::handlers {

// `gpus` GPUs on instances of `type` (empty when the deploy names none) on
// `cluster`. Instances round up: 6 GPUs of 4-GPU instances need 2. The cost
// is the GPUs' share (6 of 8 GPUs: 3/4 of two instances' price), what the
// deploy takes from the fleet even when it shares nodes with others.
CapacityChange deploy_change(std::string cluster, const std::string& type, int gpus,
                             const std::map<std::string, double>& prices);

// "8 nvidia.com/gpu ≈ 2 × g5.12xlarge, ≈ +$11.34 an hour", or why the cost
// is unknown (no instance type, a type without GPUs or without a price).
std::string deploy_cost_text(const CapacityChange& change, const std::string& type, int gpus);

}  // namespace hpops::handlers
