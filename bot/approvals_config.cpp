#include "bot/approvals_config.hpp"

#include <yaml-cpp/yaml.h>

#include "hpops/command_spec.hpp"

namespace hpops::bot {

using namespace std::chrono_literals;

void read_approvals(YamlWalker& w, const ConfigField& root, ApprovalsConfig& out) {
    const ConfigField a = w.child(root, "approvals");
    if (!w.section(a, {"ttl", "rules"})) return;
    if (auto v = w.read_duration(w.child(a, "ttl"), 1s, 7 * 24h))
        out.ttl = std::chrono::duration_cast<std::chrono::seconds>(*v);
    const ConfigField list = w.child(a, "rules");
    if (!list.present()) return;
    if (!list.value.IsSequence()) {
        w.problem(list, "expected a list of rules, each with commands, clusters, min_gpus, min_hourly_cost, approver");
        return;
    }
    for (std::size_t i = 0; i < list.value.size(); ++i) {
        const ConfigField item{list.path + "[" + std::to_string(i) + "]", list.value[i], list.value[i].Mark()};
        if (!w.section(item, {"name", "commands", "clusters", "min_gpus", "min_hourly_cost", "approver"})) continue;
        ApprovalRule rule;
        rule.name = w.read_string(w.child(item, "name")).value_or("rule " + std::to_string(i + 1));
        rule.commands = w.read_string_list(w.child(item, "commands"));
        for (const std::string& command : rule.commands) {
            const CommandSpec* spec = find_command(command);
            if (!spec) w.problem(w.child(item, "commands"), "no command `" + command + "` (see /hp help)");
            else if (!spec->mutating) w.problem(w.child(item, "commands"), "`" + command + "` changes nothing");
        }
        rule.clusters = w.read_string_list(w.child(item, "clusters"));
        if (auto v = w.read_int(w.child(item, "min_gpus"), 0, 100'000)) rule.min_gpus = static_cast<int>(*v);
        if (auto v = w.read_number(w.child(item, "min_hourly_cost"), 0, 1e7)) rule.min_hourly_cost = *v;
        if (auto v = w.read_role(w.child(item, "approver"))) {
            if (*v < Role::operator_) w.problem(w.child(item, "approver"), "an approver is at least an operator");
            else rule.approver = *v;
        }
        out.rules.push_back(std::move(rule));
    }
}

}  // namespace hpops::bot
