#include "handlers/jobs.hpp"

#include <charconv>

#include "handlers/listing.hpp"
#include "handlers/training_query.hpp"
#include "hpops/errors.hpp"
#include "common/timestamps.hpp"

namespace hpops::handlers {
namespace {

Jobs& require_jobs(CommandContext& context) {
    if (!context.jobs) throw UserError("Jobs run in `hpops serve`; this process follows its work inline.");
    return *context.jobs;
}

std::int64_t parse_job_id(const std::string& text) {
    std::int64_t id = 0;
    const std::string_view digits = text.starts_with('#') ? std::string_view(text).substr(1) : std::string_view(text);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
    if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() || id < 1)
        throw UserError("`" + text + "` is not a job id: `/hp jobs` lists them.");
    return id;
}

// The job, or a UserError listing recent ones.
JobRecord find_job(const Jobs& jobs, const std::string& text) {
    const std::int64_t id = parse_job_id(text);
    if (auto job = jobs.store().job(id)) return *job;
    std::string recent;
    for (const JobRecord& j : jobs.store().recent_jobs(std::nullopt, 0, 5))
        recent += (recent.empty() ? "" : ", ") + ("#" + std::to_string(j.id) + " " + j.target);
    throw UserError("No job " + std::to_string(id) + "." + (recent.empty() ? " There are no jobs yet." : " Recent: " + recent + "."));
}

}  // namespace

Reply render_job_list(const std::vector<JobRecord>& jobs, std::size_t limit, std::int64_t now) {
    Reply r;
    if (jobs.empty()) {
        r.summary = "No jobs.";
        r.text(r.summary);
        return r;
    }
    const bool more = jobs.size() > limit;
    const std::size_t shown = std::min(jobs.size(), limit);
    r.summary = std::to_string(shown) + (more ? "+" : "") + " jobs";
    Table t;
    t.columns = {"Job", "Kind", "Target", "Who", "State", "Age"};
    for (std::size_t i = 0; i < shown; ++i) {
        const JobRecord& j = jobs[i];
        std::string state(to_string(j.status));
        if (j.status == JobStatus::running && j.attempts > 0) state += " (retry " + std::to_string(j.attempts) + ")";
        if (j.status != JobStatus::running && !j.outcome.empty()) state += ": " + j.outcome.substr(0, 80);
        t.rows.push_back({"#" + std::to_string(j.id), j.kind, j.target, j.actor_name.empty() ? j.actor_id : j.actor_name,
                          state, age_text(j.created_unix_ms, now)});
    }
    r.table(std::move(t));
    r.context("`/hp job ID` shows one job's history" +
              std::string(more ? "; use `limit=` or `since=` for others." : "."));
    return r;
}

boost::asio::awaitable<Reply> JobsList::handle(const Intent& intent, CommandContext& context) {
    const Jobs& jobs = require_jobs(context);
    const std::string status = option_or_empty(intent.options, "status");
    std::optional<JobStatus> wanted;
    if (!status.empty() && !(wanted = job_status_from(status)))
        throw UserError("`status` is one of running, done, failed, cancelled — not `" + status + "`.");
    const std::size_t limit = parse_list_limit(option_or_empty(intent.options, "limit"));
    const std::int64_t now = now_unix_ms();
    const std::string since = option_or_empty(intent.options, "since");
    const auto found = jobs.store().recent_jobs(wanted, since.empty() ? 0 : parse_since(since, now), limit + 1);
    co_return render_job_list(found, limit, now);
}

boost::asio::awaitable<Reply> JobShow::handle(const Intent& intent, CommandContext& context) {
    const Jobs& jobs = require_jobs(context);
    const JobRecord job = find_job(jobs, intent.args.at(0));
    Reply r = jobs.render(job).value_or(message_reply("Job #" + std::to_string(job.id) + " (" + job.kind + ", " +
                                                      std::string(to_string(job.status)) + "): " + job.outcome));
    r.visibility = Visibility::caller;
    Table history;
    history.columns = {"Time (UTC)", "Step"};
    for (const JobEvent& e : jobs.store().job_events(job.id, 30)) history.rows.push_back({utc_time_text(e.time_unix_ms), e.what});
    if (!history.rows.empty()) r.table(std::move(history));
    r.context("Job #" + std::to_string(job.id) + " · " + job.kind + " · started " + utc_time_text(job.created_unix_ms) +
              " UTC by " + (job.actor_name.empty() ? job.actor_id : job.actor_name));
    co_return r;
}

boost::asio::awaitable<Reply> JobCancel::handle(const Intent& intent, CommandContext& context) {
    Jobs& jobs = require_jobs(context);
    const JobRecord job = find_job(jobs, intent.args.at(0));
    if (job.status != JobStatus::running)
        throw UserError("Job #" + std::to_string(job.id) + " already ended (" + std::string(to_string(job.status)) +
                        "); there is nothing to cancel.");
    if (!co_await jobs.cancel(job.id, context.actor.id))
        throw UserError("Job #" + std::to_string(job.id) + " cannot be cancelled by this hpops (see the log).");
    co_return message_reply("Stopped following job #" + std::to_string(job.id) + " (" + job.target +
                                "). What it already changed stays as it is; nothing was undone.",
                            Visibility::channel);
}

}  // namespace hpops::handlers
