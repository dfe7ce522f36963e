// Instance types: prices under either spelling, and GPUs per instance, from
// the EC2 accelerated-computing instance table
// (https://aws.amazon.com/ec2/instance-types/#Accelerated_Computing) as of
// 2025. HyperPod's ml.* types are the same machines.
#include "handlers/instance_types.hpp"

#include <array>
#include <utility>

namespace hpops::handlers {
namespace {

constexpr std::array<std::pair<std::string_view, int>, 56> table{{
    {"g4dn.xlarge", 1},     {"g4dn.2xlarge", 1},    {"g4dn.4xlarge", 1},    {"g4dn.8xlarge", 1},
    {"g4dn.16xlarge", 1},   {"g4dn.12xlarge", 4},   {"g4dn.metal", 8},      {"g5.xlarge", 1},
    {"g5.2xlarge", 1},      {"g5.4xlarge", 1},      {"g5.8xlarge", 1},      {"g5.16xlarge", 1},
    {"g5.12xlarge", 4},     {"g5.24xlarge", 4},     {"g5.48xlarge", 8},     {"g6.xlarge", 1},
    {"g6.2xlarge", 1},      {"g6.4xlarge", 1},      {"g6.8xlarge", 1},      {"g6.16xlarge", 1},
    {"g6.12xlarge", 4},     {"g6.24xlarge", 4},     {"g6.48xlarge", 8},     {"g6e.xlarge", 1},
    {"g6e.2xlarge", 1},     {"g6e.4xlarge", 1},     {"g6e.8xlarge", 1},     {"g6e.16xlarge", 1},
    {"g6e.12xlarge", 4},    {"g6e.24xlarge", 4},    {"g6e.48xlarge", 8},    {"p3.2xlarge", 1},
    {"p3.8xlarge", 4},      {"p3.16xlarge", 8},     {"p3dn.24xlarge", 8},   {"p4d.24xlarge", 8},
    {"p4de.24xlarge", 8},   {"p5.48xlarge", 8},     {"p5e.48xlarge", 8},    {"p5en.48xlarge", 8},
    {"p6-b200.48xlarge", 8}, {"trn1.2xlarge", 1},   {"trn1.32xlarge", 16},  {"trn1n.32xlarge", 16},
    {"trn2.48xlarge", 16},  {"inf2.xlarge", 1},     {"inf2.8xlarge", 1},    {"inf2.24xlarge", 6},
    {"inf2.48xlarge", 12},  {"g5g.xlarge", 1},      {"g5g.2xlarge", 1},     {"g5g.4xlarge", 1},
    {"g5g.8xlarge", 1},     {"g5g.16xlarge", 2},    {"g5g.metal", 2},       {"p5.4xlarge", 1},
}};

bool accelerated_family(std::string_view type) {
    for (std::string_view prefix : {"g", "p", "trn", "inf", "dl"})
        if (type.starts_with(prefix) && type.size() > prefix.size() &&
            (type[prefix.size()] >= '0' && type[prefix.size()] <= '9'))
            return true;
    return false;
}

}  // namespace

std::optional<int> accelerators_per_instance(std::string_view type) {
    if (type.starts_with("ml.")) type.remove_prefix(3);
    for (const auto& [name, count] : table)
        if (name == type) return count;
    if (accelerated_family(type)) return std::nullopt;
    return 0;
}

std::optional<double> hourly_price(const std::map<std::string, double>& prices, const std::string& type) {
    if (const auto own = prices.find(type); own != prices.end()) return own->second;
    const std::string other = type.starts_with("ml.") ? type.substr(3) : "ml." + type;
    if (const auto named = prices.find(other); named != prices.end()) return named->second;
    return std::nullopt;
}

}  // namespace hpops::handlers
