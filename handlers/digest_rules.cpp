#include "handlers/digest_rules.hpp"

#include <algorithm>
#include <cctype>

#include "common/text_similarity.hpp"
#include "hpops/errors.hpp"
#include "schedules/next_firing.hpp"
#include "schedules/time_zones.hpp"

namespace hpops::handlers {
namespace {

bool is_name(std::string_view name) {
    return !name.empty() && name.size() <= 40 && std::isalpha(static_cast<unsigned char>(name[0])) &&
           std::all_of(name.begin(), name.end(), [](char c) {
               return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
           });
}

std::string duration_text(std::chrono::seconds d) {
    if (d.count() % 86400 == 0) return std::to_string(d.count() / 86400) + "d";
    if (d.count() % 3600 == 0) return std::to_string(d.count() / 3600) + "h";
    if (d.count() % 60 == 0) return std::to_string(d.count() / 60) + "m";
    return std::to_string(d.count()) + "s";
}

}  // namespace

std::vector<DigestSchedule> all_digest_schedules(const Config& config, Store& store) {
    std::vector<DigestSchedule> all;
    for (const auto& s : config.digests.schedules)
        all.push_back({s.name, s.cron, s.timezone, s.channel, s.sections, {}, 0, true});
    if (auto* kept = store.digest_schedules())
        for (auto& s : kept->digest_schedules())
            if (std::none_of(all.begin(), all.end(), [&](const auto& c) { return c.name == s.name; }))
                all.push_back(std::move(s));
    return all;
}

const std::vector<std::string_view>& digest_section_names() {
    static const std::vector<std::string_view> names{"fleet", "health", "alerts", "training", "gpu-hours"};
    return names;
}

std::vector<std::string> parse_digest_sections(std::string_view text) {
    std::vector<std::string> sections;
    const auto& known = digest_section_names();
    std::size_t start = 0;
    while (start < text.size()) {
        const auto comma = text.find(',', start);
        const std::string_view name = text.substr(start, (comma == text.npos ? text.size() : comma) - start);
        start = comma == text.npos ? text.size() : comma + 1;
        if (name.empty()) continue;
        if (std::find(known.begin(), known.end(), name) == known.end()) {
            std::string message = "`" + std::string(name.substr(0, 30)) + "` is not a digest section";
            if (const auto near = closest_match(name, known); !near.empty()) message += "; did you mean `" + near + "`?";
            throw UserError(message + " (fleet, health, alerts, training, gpu-hours)");
        }
        if (std::find(sections.begin(), sections.end(), name) == sections.end()) sections.emplace_back(name);
    }
    return sections;
}

std::optional<std::chrono::seconds> closest_firings(const std::string& cron, const std::string& timezone) {
    const schedules::CronExpression expression = [&] {
        try {
            return schedules::parse_cron(cron);
        } catch (const UserError& e) {
            throw UserError("the cron `" + cron.substr(0, 60) + "`: " + e.what());
        }
    }();
    const auto& zone = schedules::find_zone(timezone);
    auto at = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    const auto until = at + std::chrono::hours(24 * 366);
    std::optional<std::chrono::sys_seconds> previous;
    std::optional<std::chrono::seconds> closest;
    // Enough firings to meet every pattern a year holds, few enough to answer at once.
    for (int i = 0; i < 2000 && at < until; ++i) {
        const auto next = schedules::next_firing(expression, zone, at);
        if (!next) break;
        if (previous && (!closest || *next - *previous < *closest)) closest = *next - *previous;
        previous = at = *next;
    }
    return closest;
}

std::string digest_schedule_problem(const DigestSchedule& schedule, std::chrono::milliseconds min_interval) {
    if (!is_name(schedule.name))
        return "`" + schedule.name.substr(0, 40) + "` is not a schedule name: a letter, then letters, digits, - or _";
    if (schedule.channel.empty()) return "`" + schedule.name + "` needs a channel";
    try {
        for (const auto& section : schedule.sections) (void)parse_digest_sections(section);
        const auto closest = closest_firings(schedule.cron, schedule.timezone);
        const auto floor = std::chrono::duration_cast<std::chrono::seconds>(min_interval);
        if (closest && *closest < floor)
            return "`" + schedule.cron + "` fires " + duration_text(*closest) + " apart at its closest; a digest comes "
                   "at most every " + duration_text(floor) + " (digests.min_interval)";
    } catch (const UserError& e) {
        return e.what();
    }
    return {};
}

}  // namespace hpops::handlers
