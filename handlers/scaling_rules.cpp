#include "handlers/scaling_rules.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "handlers/instance_types.hpp"
#include "hpops/errors.hpp"

namespace hpops::handlers {

int parse_count(const std::string& key, const std::string& text, const LimitsConfig& limits) {
    long long value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size())
        throw UserError("`" + key + "=" + text + "` is not a whole number.");
    if (value < limits.min_count || value > limits.max_count)
        throw UserError("`" + key + "=" + text + "` is outside the allowed range " + std::to_string(limits.min_count) +
                        ".." + std::to_string(limits.max_count) + ".");
    return static_cast<int>(value);
}

ScalingConfig merge_scaling(const ScalingConfig& current, const std::map<std::string, std::string>& options,
                            const LimitsConfig& limits) {
    ScalingConfig target = current;
    bool any = false;
    for (const auto& [key, field] : {std::pair{"min", &ScalingConfig::min_size}, std::pair{"max", &ScalingConfig::max_size},
                                     std::pair{"desired", &ScalingConfig::desired_size}}) {
        if (auto it = options.find(key); it != options.end()) {
            target.*field = parse_count(key, it->second, limits);
            any = true;
        }
    }
    if (!any) throw UserError("Say what to change: `min=`, `max=` or `desired=`.");
    if (target.min_size > target.max_size)
        throw UserError("min (" + std::to_string(target.min_size) + ") would exceed max (" +
                        std::to_string(target.max_size) + ").");
    if (target.desired_size < target.min_size || target.desired_size > target.max_size)
        throw UserError("desired (" + std::to_string(target.desired_size) + ") must be between min (" +
                        std::to_string(target.min_size) + ") and max (" + std::to_string(target.max_size) + ").");
    if (target.max_size < 1) throw UserError("max must be at least 1 (EKS requires it).");
    return target;
}

std::string describe_change(const std::string& name, const ScalingConfig& from, const ScalingConfig& to) {
    auto part = [](const char* label, int a, int b) { return std::string(label) + " " + std::to_string(a) + " → " + std::to_string(b); };
    return name + ": " + part("desired", from.desired_size, to.desired_size) + ", " + part("min", from.min_size, to.min_size) +
           ", " + part("max", from.max_size, to.max_size);
}

std::string change_cost_text(const std::string& type, int before, int after,
                             const std::map<std::string, double>& prices) {
    const int delta = after - before;
    const std::string sign = delta < 0 ? "−" : "+";
    const std::string instances = sign + std::to_string(std::abs(delta)) + " × " + (type.empty() ? "?" : type);
    const auto price = hourly_price(prices, type);
    if (!price) return instances + ", cost unknown: no price for `" + type + "` in `clusters.hourly_prices`";
    char dollars[32];
    std::snprintf(dollars, sizeof dollars, "%.2f", std::abs(delta) * *price);
    return instances + ", ≈ " + sign + "$" + dollars + " an hour";
}

bool is_dry_run(const std::map<std::string, std::string>& options) {
    const auto it = options.find("dry-run");
    if (it == options.end() || it->second == "no") return false;
    if (it->second == "yes") return true;
    throw UserError("`dry-run` takes yes or no, not `" + it->second.substr(0, 20) + "`.");
}

std::string dry_run_text(const std::string& change, const std::string& cost, const std::optional<std::string>& why,
                         const std::optional<std::string>& approval) {
    return "Dry run, nothing changed: `" + change + "`; " + cost + "." +
           (why ? " Done for real, it would ask for confirmation: " + *why + "." : "") +
           (approval ? " It would need a second person's approval: " + *approval + "." : "");
}

std::optional<std::string> confirmation_reason(int current, int target, const LimitsConfig& limits) {
    if (target == 0 && current > 0) return "this scales to zero";
    if (current > 0 && target < current) {
        const double share = static_cast<double>(current - target) / current;
        if (share > limits.scale_down_confirm_share + 1e-9)
            return "this removes " + std::to_string(static_cast<int>(std::lround(share * 100))) + "% of the capacity";
    }
    return std::nullopt;
}

namespace {

// Hand-written rather than std::regex: names come from chat, and std::regex
// recurses once per character of its input.
bool lower_or_digit(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool alnum(char c) { return lower_or_digit(c) || (c >= 'A' && c <= 'Z'); }

// [A-Za-z0-9][A-Za-z0-9_-]{0,62}: EKS's and SageMaker's group name rule.
bool valid_group_name(std::string_view name) {
    if (name.empty() || name.size() > 63 || !alnum(name.front())) return false;
    for (char c : name)
        if (!alnum(c) && c != '_' && c != '-') return false;
    return true;
}

// [a-z][a-z0-9-]*.[a-z0-9]+ : "g5.12xlarge".
bool valid_ec2_type(std::string_view type) {
    const std::size_t dot = type.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == type.size()) return false;
    const std::string_view family = type.substr(0, dot), size = type.substr(dot + 1);
    if (family.front() < 'a' || family.front() > 'z') return false;
    for (char c : family)
        if (!lower_or_digit(c) && c != '-') return false;
    for (char c : size)
        if (!lower_or_digit(c)) return false;
    return true;
}

// (ml.)?<EC2 type>: "ml.g5.12xlarge" for SageMaker; "ml.large" is an EC2-shaped type too.
bool valid_instance_type(std::string_view type) {
    return valid_ec2_type(type) || (type.starts_with("ml.") && valid_ec2_type(type.substr(3)));
}

}  // namespace

void check_group_name(const std::string& what, const std::string& name) {
    if (!valid_group_name(name))
        throw UserError("`" + name.substr(0, 80) + "` is not a valid " + what +
                        " name: letters, digits, - and _, starting with a letter or digit, at most 63 characters.");
}

void check_instance_type(const std::string& type) {
    if (type.size() > 40 || !valid_instance_type(type))
        throw UserError("`" + type.substr(0, 60) + "` is not an instance type (like `g5.12xlarge` or `ml.g5.12xlarge`).");
}

}  // namespace hpops::handlers
