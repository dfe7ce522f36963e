#include "handlers/digest_job.hpp"

#include <date/tz.h>
#include <nlohmann/json.hpp>

#include "handlers/listing.hpp"
#include "handlers/start_job.hpp"
#include "hpops/config.hpp"
#include "hpops/handler.hpp"
#include "schedules/time_zones.hpp"

namespace hpops::handlers {
namespace {

using json = nlohmann::json;

json section_json(const DigestSection& s) {
    return {{"name", s.name},   {"title", s.title},          {"lines", s.lines},
            {"columns", s.table.columns}, {"rows", s.table.rows}, {"problem", s.problem}};
}

DigestSection section_of(const json& j) {
    DigestSection s;
    s.name = j.value("name", "");
    s.title = j.value("title", "");
    s.lines = j.value("lines", std::vector<std::string>{});
    s.table.columns = j.value("columns", std::vector<std::string>{});
    s.table.rows = j.value("rows", std::vector<std::vector<std::string>>{});
    s.problem = j.value("problem", "");
    return s;
}

}  // namespace

DigestJob& digest_job() {
    static DigestJob instance;
    return instance;
}

std::string digest_claim(const std::string& schedule, std::int64_t fire_unix) {
    return "digest " + schedule + " " + std::to_string(fire_unix);
}

std::string local_time_text(std::int64_t unix_seconds, const std::string& timezone) {
    try {
        const auto& zone = schedules::find_zone(timezone);
        const date::zoned_seconds at(&zone, date::sys_seconds(std::chrono::seconds(unix_seconds)));
        return date::format("%a %d %b %H:%M %Z", at);
    } catch (const std::exception&) {
        return date::format("%a %d %b %H:%M UTC", date::sys_seconds(std::chrono::seconds(unix_seconds)));
    }
}

JobRecord digest_firing_job(const DigestSchedule& schedule, std::int64_t fire_unix, std::int64_t late_s,
                            std::int64_t since_unix_ms) {
    JobRecord job;
    job.kind = std::string(DigestJob::kind);
    job.state = json{{"schedule", schedule.name}, {"timezone", schedule.timezone}, {"fire_unix", fire_unix},
                     {"late_s", late_s},          {"sections", schedule.sections}, {"since_ms", since_unix_ms}}
                    .dump();
    job.target = "digest " + schedule.name;
    job.actor_id = schedule.created_by;
    job.actor_name = schedule.from_config ? "the config's schedule" : "";
    job.message.platform = "slack";
    job.message.channel = schedule.channel;
    job.claim = digest_claim(schedule.name, fire_unix);
    return job;
}

std::chrono::milliseconds DigestJob::deadline(const Config&) const { return std::chrono::minutes(10); }

boost::asio::awaitable<JobStep> DigestJob::step(const JobRecord& job, JobContext& context) {
    json state = json::parse(job.state);
    const std::int64_t started = now_unix_ms();
    const std::int64_t until = state.value("fire_unix", std::int64_t{0}) * 1000;
    DigestInputs inputs{context.clients, context.store, context.jobs, context.config, state.value("since_ms", std::int64_t{0}),
                        until > 0 ? until : started};
    auto building = build_digest_sections(inputs, state.value("sections", std::vector<std::string>{}));
    const std::vector<DigestSection> sections = co_await std::move(building);
    state["built"] = json::array();
    for (const auto& s : sections) state["built"].push_back(section_json(s));
    state["build_ms"] = now_unix_ms() - started;
    co_return JobStep{JobStatus::done, state.dump(), {}, std::to_string(sections.size()) + " sections"};
}

Reply DigestJob::render(const JobRecord& job) const {
    const json state = json::parse(job.state, nullptr, false);
    if (!state.is_object()) return unreadable_job(job);
    const std::string zone = state.value("timezone", "UTC");
    const std::int64_t fire = state.value("fire_unix", std::int64_t{0});
    DigestView view;
    view.title = "Digest " + state.value("schedule", "");
    view.when = local_time_text(fire, zone);
    if (const std::int64_t late = state.value("late_s", std::int64_t{0}); late > 0)
        view.late = "Due " + view.when + "; posted " + age_text(0, late * 1000) + " late, after hpops was down.";
    view.period = "since " + local_time_text(state.value("since_ms", std::int64_t{0}) / 1000, zone);
    if (state.contains("built") && state["built"].is_array())
        for (const auto& s : state["built"])
            if (s.is_object()) view.sections.push_back(section_of(s));
    view.build_ms = state.contains("build_ms") ? state.value("build_ms", std::int64_t{0}) : -1;
    Reply reply = render_digest(view);
    if (job.status == JobStatus::failed) reply.text("The digest could not be built: " + job.outcome, Mark::failed);
    return reply;
}

Reply render_digest(const DigestView& view) {
    Reply reply;
    reply.summary = view.title + " · " + view.when;
    reply.heading(view.title + " · " + view.when);
    if (!view.late.empty()) reply.text(view.late, Mark::warning);
    if (view.build_ms < 0) {
        reply.text("Building the digest…", Mark::working);
        return reply;
    }
    for (const auto& s : view.sections) {
        reply.text("*" + s.title + "*");
        if (!s.problem.empty()) {
            reply.text(s.title + " could not be read: " + s.problem + ".", Mark::warning);
            continue;
        }
        if (!s.table.rows.empty()) reply.table(s.table);
        std::vector<Text> lines;
        for (const auto& l : s.lines) lines.push_back({l});
        if (!lines.empty()) reply.lines(std::move(lines));
    }
    reply.context("Period " + view.period + " · built in " + std::to_string(view.build_ms) + " ms · `/hp digests`");
    return reply;
}

}  // namespace hpops::handlers
