#include "handlers/deploy_cost.hpp"

#include <cstdio>

#include "handlers/instance_types.hpp"

namespace hpops::handlers {

CapacityChange deploy_change(std::string cluster, const std::string& type, int gpus,
                             const std::map<std::string, double>& prices) {
    CapacityChange change{std::move(cluster), 0, gpus, std::nullopt};
    const auto per = type.empty() ? std::nullopt : accelerators_per_instance(type);
    if (!per || *per == 0) return change;
    change.instances = (gpus + *per - 1) / *per;
    if (const auto price = hourly_price(prices, type)) change.hourly_cost = *price * gpus / *per;
    return change;
}

std::string deploy_cost_text(const CapacityChange& change, const std::string& type, int gpus) {
    const std::string asked = std::to_string(gpus) + " nvidia.com/gpu";
    if (type.empty()) return asked + ", cost unknown: no `instance-type=` to price the GPUs by";
    if (change.instances == 0)
        return asked + " on " + type + ", cost unknown: hpops does not know `" + type + "` to have GPUs";
    const std::string instances = asked + " ≈ " + std::to_string(change.instances) + " × " + type;
    if (!change.hourly_cost) return instances + ", cost unknown: no price for `" + type + "` in `clusters.hourly_prices`";
    char dollars[32];
    std::snprintf(dollars, sizeof dollars, "%.2f", *change.hourly_cost);
    return instances + ", ≈ +$" + std::string(dollars) + " an hour";
}

}  // namespace hpops::handlers
