#include "handlers/digest_commands.hpp"

#include <algorithm>
#include <chrono>

#include "handlers/aws_targets.hpp"
#include "handlers/digest_job.hpp"
#include "handlers/digest_rules.hpp"
#include "handlers/digest_sections.hpp"
#include "handlers/listing.hpp"
#include "handlers/training_query.hpp"
#include "hpops/errors.hpp"
#include "hpops/job.hpp"
#include "hpops/store.hpp"
#include "schedules/next_firing.hpp"
#include "schedules/time_zones.hpp"

namespace hpops::handlers {
namespace {

std::optional<DigestSchedule> find_schedule(CommandContext& context, const std::string& name) {
    for (auto& s : all_digest_schedules(context.config, context.store))
        if (s.name == name) return s;
    return std::nullopt;
}

DigestScheduleStore& require_schedule_store(CommandContext& context) {
    if (auto* kept = context.store.digest_schedules()) return *kept;
    throw UserError("This hpops keeps no digest schedules (its store has none); put them in the config's `digests`.");
}

// When it fires next, as its readers read the time; "never" when it does not.
std::string next_text(const DigestSchedule& s) {
    try {
        const auto& zone = schedules::find_zone(s.timezone);
        const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
        const auto next = schedules::next_firing(schedules::parse_cron(s.cron), zone, now);
        return next ? local_time_text(next->time_since_epoch().count(), s.timezone) : "never";
    } catch (const UserError& e) {
        return std::string("unreadable: ") + e.what();
    }
}

std::string sections_text(const std::vector<std::string>& sections) {
    std::string out;
    for (const auto& s : sections) out += (out.empty() ? "" : ",") + s;
    return out.empty() ? "all" : out;
}

}  // namespace

boost::asio::awaitable<Reply> DigestNow::handle(const Intent& intent, CommandContext& context) {
    const std::int64_t now = now_unix_ms();
    std::vector<std::string> sections = parse_digest_sections(option(intent, "sections"));
    std::string title = "Digest";
    std::string zone = "UTC";  // a schedule's digest reads its times in the schedule's zone
    if (!intent.args.empty()) {
        const auto schedule = find_schedule(context, intent.args[0]);
        if (!schedule) throw UserError("No digest named `" + intent.args[0].substr(0, 40) + "`; `/hp digests` lists them.");
        if (sections.empty()) sections = schedule->sections;
        title += " " + schedule->name;
        zone = schedule->timezone;
    }
    const std::string since = option(intent, "since");
    const std::int64_t since_ms = since.empty() ? now - 24 * 3'600'000 : parse_since(since, now);
    DigestInputs inputs{context.clients, &context.store, context.jobs ? &context.jobs->store() : nullptr,
                        context.config, since_ms, now};
    auto building = build_digest_sections(inputs, sections);
    DigestView view;
    view.sections = co_await std::move(building);
    view.build_ms = now_unix_ms() - now;
    view.title = title;
    view.when = local_time_text(now / 1000, zone);
    view.period = "since " + local_time_text(since_ms / 1000, zone);
    Reply reply = render_digest(view);
    reply.visibility = Visibility::channel;
    co_return reply;
}

boost::asio::awaitable<Reply> DigestScheduleCommand::handle(const Intent& intent, CommandContext& context) {
    DigestScheduleStore& kept = require_schedule_store(context);
    DigestSchedule schedule;
    schedule.name = intent.args.at(0);
    schedule.cron = intent.args.at(1);
    schedule.timezone = option(intent, "tz").empty() ? "UTC" : option(intent, "tz");
    schedule.channel = option(intent, "channel").empty() ? context.channel : option(intent, "channel");
    schedule.sections = parse_digest_sections(option(intent, "sections"));
    schedule.created_by = context.actor.id;
    schedule.created_unix_ms = now_unix_ms();
    if (const auto existing = find_schedule(context, schedule.name); existing && existing->from_config)
        throw UserError("`" + schedule.name + "` is the config file's schedule; change it there, or choose another name.");
    if (auto problem = digest_schedule_problem(schedule, context.config.digests.min_interval); !problem.empty())
        throw UserError(problem);
    kept.put_digest_schedule(schedule);
    Reply reply;
    reply.summary = "Digest " + schedule.name + " scheduled";
    reply.text("Digest `" + schedule.name + "` posts in " + schedule.channel + " at `" + schedule.cron + "` (" +
                   schedule.timezone + "): " + sections_text(schedule.sections) + ". Next: " + next_text(schedule) + ".",
               Mark::done);
    reply.context("`/hp digest off " + schedule.name + "` stops it; `/hp digest now " + schedule.name + "` shows it now.");
    reply.visibility = Visibility::channel;
    co_return reply;
}

boost::asio::awaitable<Reply> Digests::handle(const Intent&, CommandContext& context) {
    const std::vector<DigestSchedule> all = all_digest_schedules(context.config, context.store);
    Reply reply;
    reply.summary = std::to_string(all.size()) + " digest schedules";
    reply.heading("Digests");
    if (all.empty()) {
        reply.text("None scheduled. `/hp digest schedule daily \"0 9 * * 1-5\" tz=Europe/Berlin` posts one on "
                   "weekday mornings; `/hp digest now` shows it now.");
        co_return reply;
    }
    Table table{{"name", "cron", "zone", "channel", "sections", "next", "from"}, {}};
    for (const auto& s : all)
        table.rows.push_back({s.name, s.cron, s.timezone, s.channel, sections_text(s.sections), next_text(s),
                              s.from_config ? "config" : "chat"});
    reply.table(std::move(table));
    co_return reply;
}

boost::asio::awaitable<Reply> DigestOff::handle(const Intent& intent, CommandContext& context) {
    const std::string& name = intent.args.at(0);
    const auto existing = find_schedule(context, name);
    if (!existing) throw UserError("No digest named `" + name.substr(0, 40) + "`; `/hp digests` lists them.");
    if (existing->from_config)
        throw UserError("`" + name + "` is the config file's schedule; remove it there (digests.schedules).");
    require_schedule_store(context).delete_digest_schedule(name);
    Reply reply;
    reply.summary = "Digest " + name + " stopped";
    reply.text("Digest `" + name + "` will not be posted again.", Mark::done);
    reply.visibility = Visibility::channel;
    co_return reply;
}

}  // namespace hpops::handlers
