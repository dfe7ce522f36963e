#include "bot/digests_config.hpp"

#include <algorithm>
#include <yaml-cpp/yaml.h>

#include "handlers/digest_rules.hpp"

namespace hpops::bot {

using namespace std::chrono_literals;

void read_digests(YamlWalker& w, const ConfigField& root, DigestsConfig& out) {
    const ConfigField d = w.child(root, "digests");
    if (!w.section(d, {"grace", "min_interval", "regression_share", "capacity_interval", "capacity_retention",
                       "schedules"}))
        return;
    if (auto v = w.read_number(w.child(d, "regression_share"), 0.01, 0.99)) out.regression_share = *v;
    if (auto v = w.read_duration(w.child(d, "grace"), 0ms, 7 * 24h)) out.grace = *v;
    if (auto v = w.read_duration(w.child(d, "min_interval"), 1min, 7 * 24h)) out.min_interval = *v;
    if (auto v = w.read_duration(w.child(d, "capacity_interval"), 0ms, 24h)) {
        if (*v > 0ms && *v < 10s) w.problem(w.child(d, "capacity_interval"), "at least 10s, or 0 for no sampling");
        else out.capacity_interval = *v;
    }
    if (auto v = w.read_duration(w.child(d, "capacity_retention"), 1h, 3 * 365 * 24h)) out.capacity_retention = *v;
    if (out.capacity_retention < out.capacity_interval)
        w.problem(w.child(d, "capacity_retention"), "shorter than capacity_interval: no sample would be kept");
    const ConfigField list = w.child(d, "schedules");
    if (!list.present()) return;
    if (!list.value.IsSequence()) {
        w.problem(list, "expected a list of schedules, each with name, cron, tz, channel and sections");
        return;
    }
    for (std::size_t i = 0; i < list.value.size(); ++i) {
        const ConfigField item{list.path + "[" + std::to_string(i) + "]", list.value[i], list.value[i].Mark()};
        if (!w.section(item, {"name", "cron", "tz", "channel", "sections"})) continue;
        DigestScheduleConfig s;
        if (auto v = w.read_string(w.child(item, "name"))) s.name = std::move(*v);
        if (auto v = w.read_string(w.child(item, "cron"))) s.cron = std::move(*v);
        if (auto v = w.read_string(w.child(item, "tz"))) s.timezone = std::move(*v);
        if (auto v = w.read_string(w.child(item, "channel"))) s.channel = std::move(*v);
        s.sections = w.read_string_list(w.child(item, "sections"), "a list such as [fleet, alerts]");
        const DigestSchedule schedule{s.name, s.cron, s.timezone, s.channel, s.sections, {}, 0, true};
        if (auto problem = handlers::digest_schedule_problem(schedule, out.min_interval); !problem.empty())
            w.problem(item, problem);
        else if (std::any_of(out.schedules.begin(), out.schedules.end(), [&](const auto& o) { return o.name == s.name; }))
            w.problem(item, "a second schedule named `" + s.name + "`");
        else
            out.schedules.push_back(std::move(s));
    }
}

}  // namespace hpops::bot
