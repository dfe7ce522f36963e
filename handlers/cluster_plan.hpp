#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "handlers/approval_rules.hpp"
#include "hpops/cloudformation.hpp"

namespace hpops::handlers {

// One HyperPod instance group a launch will create.
struct PlannedGroup {
    std::string name;
    std::string instance_type;
    int count = 0;
};

// The instance groups in a launch's stack parameters: hpops's template's
// InstanceGroupName/InstanceType/InstanceCount (a name not given is the
// template's default), or the JSON arrays of AWS's InstanceGroupSettings1..N.
// Groups a parameter cannot be read from are left out (the confirmation then
// shows the parameters as given).
std::vector<PlannedGroup> planned_groups(const std::vector<StackParameter>& parameters,
                                         const TemplateSummary& summary);

// The instances' cost per hour from the price table (USD per instance-hour,
// keys as HyperPod spells types, ml.g5.8xlarge). `hourly` is empty when any
// type has no price; `unpriced` names those types.
struct CostEstimate {
    std::optional<double> hourly;
    std::vector<std::string> unpriced;
};
CostEstimate estimate_cost(const std::vector<PlannedGroup>& groups, const std::map<std::string, double>& prices);

// "≈ $4.90 an hour ($117.60 a day) for the instances, ...", or why it is unknown.
std::string cost_text(const CostEstimate& estimate);
// "≈ $4.90 an hour", or "cost unknown": for the job's message.
std::string hourly_text(const CostEstimate& estimate);

// The launch as a change in capacity, for approvals.rules: every group's
// instances and GPUs (unknown when a type's are), and the estimate's cost.
CapacityChange launch_change(const std::string& cluster, const std::vector<PlannedGroup>& groups,
                             const CostEstimate& cost);

}  // namespace hpops::handlers
