#include "bot/jobs/job_runner.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <mutex>

#include "bot/dispatch/error_reply.hpp"
#include "bot/jobs/job_log_fields.hpp"
#include "hpops/errors.hpp"
#include "integrations/aws/aws_transport.hpp"
#include "common/timestamps.hpp"

namespace hpops::bot {
namespace asio = boost::asio;
using steady = std::chrono::steady_clock;

namespace {

// Worth another try later: the service did not answer, or said so itself
// (throttling, 5xx: the AWS SDKs' standard-mode list, which covers the other
// backends' statuses too). Anything else (a 4xx, a user error) ends the job.
bool transient(const UpstreamError& e) {
    return is_transport_failure(e) || integrations::aws::is_retryable_aws_error(e.http_status(), e.code());
}

std::string seconds_text(std::chrono::milliseconds d) {
    return std::to_string((d.count() + 999) / 1000) + " s";
}

}  // namespace

struct JobRunner::Shared {
    Shared(asio::any_io_executor executor, JobStore& jobs_, JobContext context_, JobMessenger* messenger_,
           JobRunnerOptions options_, WallClock wall_)
        : strand(asio::make_strand(executor)), wake(strand), jobs(jobs_), context(context_),
          messenger(messenger_), options(options_), wall(std::move(wall_)) {}

    asio::strand<asio::any_io_executor> strand;
    asio::steady_timer wake;
    JobStore& jobs;
    JobContext context;
    JobMessenger* messenger;
    const JobRunnerOptions options;
    const WallClock wall;
    std::map<std::string, JobKind*, std::less<>> kinds;

    // Everything below is touched on `strand` only (stats also under stats_mutex).
    std::multimap<steady::time_point, std::int64_t> schedule;
    std::set<std::int64_t> in_flight, left_alone;
    bool stopping = false;
    bool looping = false;

    mutable std::mutex stats_mutex;
    JobRunnerStats stats;

    // The jobs whose lease this runner holds: stats.running counts them.
    std::set<std::int64_t> held;
    void hold(std::int64_t id) {
        if (!held.insert(id).second) return;
        std::lock_guard lock(stats_mutex);
        ++stats.running;
    }
    void let_go(std::int64_t id) {
        origins.erase(id);
        if (!held.erase(id)) return;
        std::lock_guard lock(stats_mutex);
        --stats.running;
    }

    // What began each job, read once per job for its log lines.
    std::map<std::int64_t, JobOrigin> origins;
    log::Fields log_fields_of(const JobRecord& job, std::string_view backend_request_id = {}) {
        auto it = origins.find(job.id);
        if (it == origins.end()) it = origins.emplace(job.id, job_origin(job, context.store)).first;
        return log_fields(it->second, job.id, backend_request_id);
    }

    void plan(std::int64_t id, steady::time_point at) {
        schedule.emplace(at, id);
        wake.cancel();  // the loop recomputes its next wake-up
    }
    // Its next step now, in place of the one planned (a cancel to record).
    void plan_now(std::int64_t id) {
        if (in_flight.count(id)) return;  // the step under way reschedules it
        std::erase_if(schedule, [id](const auto& entry) { return entry.second == id; });
        plan(id, steady::now());
    }
};

namespace {

// host:pid#n: unique among the runners that share a store when none is named.
std::string made_up_owner() {
    static std::atomic<int> made{0};
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    return std::string(host) + ":" + std::to_string(::getpid()) + "#" + std::to_string(made++);
}

JobRunnerOptions with_owner(JobRunnerOptions options) {
    if (options.owner.empty()) options.owner = made_up_owner();
    return options;
}

}  // namespace

JobRunner::JobRunner(asio::any_io_executor executor, JobStore& jobs, JobContext context, JobMessenger* messenger,
                     JobRunnerOptions options, WallClock wall)
    : shared_(std::make_shared<Shared>(std::move(executor), jobs, context, messenger, with_owner(std::move(options)),
                                       std::move(wall))) {
    if (!shared_->context.jobs) shared_->context.jobs = &jobs;
}

JobRunner::~JobRunner() = default;

void JobRunner::add_kind(JobKind& kind) { shared_->kinds[std::string(kind.name())] = &kind; }

const JobKind* JobRunner::kind(std::string_view name) const {
    auto it = shared_->kinds.find(name);
    return it == shared_->kinds.end() ? nullptr : it->second;
}

const JobStore& JobRunner::store() const { return shared_->jobs; }

std::optional<Reply> JobRunner::render(const JobRecord& job) const {
    const JobKind* k = kind(job.kind);
    if (!k || !nlohmann::json::accept(job.state)) return std::nullopt;
    return k->render(job);
}

JobRunnerStats JobRunner::stats() const {
    std::lock_guard lock(shared_->stats_mutex);
    return shared_->stats;
}

namespace {

// Shows the job's message as it now stands; a failure to show is logged, not
// fatal: the state is already committed and the next step shows it again.
asio::awaitable<void> show(std::shared_ptr<JobRunner::Shared> s, JobRecord job, const JobKind& kind) {
    if (!s->messenger) co_return;
    try {
        JobMessage shown = co_await s->messenger->show(job, kind.render(job));
        if (shown.ts != job.message.ts || shown.channel != job.message.channel) s->jobs.set_message(job.id, shown);
        s->jobs.mark_shown(job.id, job.updated_unix_ms);
    } catch (const std::exception& e) {
        log::warn({.job_id = job.id}, "jobs: cannot show job {}'s message: {}", job.id, e.what());
    }
}

// One line per step, as its history line says it: a failure or a retry as a warning.
void log_step(const log::Fields& fields, const JobRecord& job, const JobEvent& event) {
    if (job.status == JobStatus::failed || job.attempts > 0)
        log::warn(fields, "jobs: job {} ({}) {}: {}", job.id, job.kind, to_string(job.status), event.what);
    else
        log::info(fields, "jobs: job {} ({}) {}: {}", job.id, job.kind, to_string(job.status), event.what);
}

void finish(JobRecord& job, JobStatus status, std::string outcome, std::int64_t now) {
    job.status = status;
    job.outcome = std::move(outcome);
    job.finished_unix_ms = now;
    job.next_run_unix_ms = 0;
}

asio::awaitable<void> step_one(std::shared_ptr<JobRunner::Shared> s, std::int64_t id) {
    std::optional<steady::time_point> again;
    try {
        std::optional<JobRecord> found = s->jobs.job(id);
        auto kind_it = found ? s->kinds.find(found->kind) : s->kinds.end();
        if (!found || found->status != JobStatus::running) {
            // Finished elsewhere (cancelled, or another process): nothing to do.
            s->let_go(id);
        } else if (kind_it == s->kinds.end() || found->kind_version > kind_it->second->version()) {
            // Written by a newer hpops (or a kind this one lacks): leave the row for it.
            log::error(s->log_fields_of(*found),
                       "jobs: job {} is of kind {} v{}, which this hpops cannot run; left as it is", id, found->kind,
                       found->kind_version);
            s->left_alone.insert(id);
        } else if (const std::int64_t fence = s->jobs.lease_job(id, s->options.owner, s->options.lease); fence == 0) {
            s->let_go(id);  // another runner holds the job: its steps are that runner's
        } else {
            s->hold(id);
            JobRecord job = std::move(*found);
            job.fence = fence;
            JobKind& kind = *kind_it->second;
            const auto started = steady::now();
            const std::int64_t now = unix_ms(s->wall());
            JobEvent event{now, {}};
            std::string backend_request_id;  // of a backend's refusal, for the log line
            job.updated_unix_ms = now;
            if (!job.cancel_by.empty()) {
                finish(job, JobStatus::cancelled, "cancelled; what it had changed stays", now);
                event.what = "cancelled by " + job.cancel_by;
            } else if (!nlohmann::json::accept(job.state)) {
                finish(job, JobStatus::failed, "its saved state is unreadable; the row is kept", now);
                event.what = "failed: unreadable state";
            } else if (job.deadline_unix_ms && now > job.deadline_unix_ms) {
                const std::int64_t allowed_s = (job.deadline_unix_ms - job.created_unix_ms) / 1000;
                finish(job, JobStatus::failed,
                       "did not finish within " + (allowed_s >= 120 ? std::to_string(allowed_s / 60) + " min"
                                                                    : std::to_string(allowed_s) + " s"),
                       now);
                event.what = "failed: past its deadline";
            } else {
                try {
                    JobStep step = co_await kind.step(job, s->context);
                    job.state = std::move(step.state);
                    job.attempts = 0;
                    event.what = step.note.empty() ? "step" : step.note;
                    if (step.status == JobStatus::running) {
                        job.next_run_unix_ms = now + step.run_after.count();
                        again = steady::now() + step.run_after;
                    } else {
                        finish(job, step.status, step.note, now);
                    }
                } catch (const UpstreamError& e) {
                    backend_request_id = e.request_id();
                    if (!transient(e)) {
                        finish(job, JobStatus::failed, e.upstream_message().empty() ? e.what() : e.upstream_message(),
                               now);
                        event.what = std::string("failed: ") + e.what();
                    } else {
                        ++job.attempts;
                        const std::chrono::milliseconds wait = std::min<std::chrono::milliseconds>(
                            s->options.max_retry, s->options.first_retry * (1 << std::min(job.attempts - 1, 16)));
                        job.next_run_unix_ms = now + wait.count();
                        again = steady::now() + wait;
                        event.what = "retry " + std::to_string(job.attempts) + " in " + seconds_text(wait) + ": " +
                                     e.service() + " " + e.code();
                        std::lock_guard lock(s->stats_mutex);
                        ++s->stats.retries;
                    }
                } catch (const UserError& e) {
                    finish(job, JobStatus::failed, e.what(), now);
                    event.what = std::string("failed: ") + e.what();
                }
            }
            s->jobs.save_step(job, event);  // committed (audit row too) before anyone is told
            {
                std::lock_guard lock(s->stats_mutex);
                ++s->stats.steps;
                const double seconds = std::chrono::duration<double>(steady::now() - started).count();
                s->stats.step_seconds_sum += seconds;
                s->stats.step_seconds_max = std::max(s->stats.step_seconds_max, seconds);
                if (job.status != JobStatus::running) ++s->stats.finished[static_cast<int>(job.status)];
            }
            log_step(s->log_fields_of(job, backend_request_id), job, event);
            if (job.status != JobStatus::running) s->let_go(id);
            co_await show(s, job, kind);
        }
    } catch (const LeaseLost& e) {
        // Another runner took the job over while this one was away: its step stands, ours is dropped.
        log::warn({.job_id = id}, "jobs: {}; this runner's step is dropped", e.what());
        s->let_go(id);
    } catch (const std::exception& e) {
        // The store failed: try again later rather than lose the job.
        log::error({.job_id = id}, "jobs: step of job {} failed: {}", id, e.what());
        again = steady::now() + s->options.max_retry;
    }
    s->in_flight.erase(id);
    if (again && !s->stopping) s->plan(id, *again);
    s->wake.cancel();
}

asio::awaitable<void> loop(std::shared_ptr<JobRunner::Shared> s) {
    s->looping = true;
    while (!s->stopping) {
        const auto now = steady::now();
        while (s->in_flight.size() < s->options.concurrency && !s->schedule.empty() &&
               s->schedule.begin()->first <= now) {
            const std::int64_t id = s->schedule.begin()->second;
            s->schedule.erase(s->schedule.begin());
            if (!s->in_flight.insert(id).second) continue;  // already stepping: its end reschedules it
            asio::co_spawn(s->strand, step_one(s, id), asio::detached);
        }
        if (s->schedule.empty() || s->in_flight.size() >= s->options.concurrency)
            s->wake.expires_at(steady::time_point::max());
        else
            s->wake.expires_at(s->schedule.begin()->first);
        boost::system::error_code ec;
        co_await s->wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    s->looping = false;
}

// Plans every unfinished job. While the store cannot be read (a database
// not yet reachable at start) it tries again every first_retry, without
// holding up the loop: new jobs run as soon as the store answers.
asio::awaitable<void> resume_unfinished_jobs(std::shared_ptr<JobRunner::Shared> s) {
    asio::steady_timer retry(s->strand);
    bool warned = false;
    while (!s->stopping) {
        std::optional<std::vector<JobRecord>> unfinished;
        try {
            unfinished = s->jobs.running_jobs();
        } catch (const std::exception& e) {
            if (!warned) spdlog::warn("jobs: cannot read unfinished jobs yet ({}); trying again", e.what());
            warned = true;
        }
        if (unfinished) {
            for (const JobRecord& job : *unfinished) s->plan(job.id, steady::now());
            {
                std::lock_guard lock(s->stats_mutex);
                s->stats.resumed += unfinished->size();
            }
            if (!unfinished->empty()) spdlog::info("jobs: resuming {} unfinished job(s)", unfinished->size());
            co_return;
        }
        retry.expires_after(s->options.first_retry);
        boost::system::error_code ec;
        co_await retry.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
}

// Renews this runner's job leases every lease/3 and, every takeover_scan,
// plans the running jobs it neither holds nor has planned: a step takes
// those whose lease ran out (their runner died) and skips the others.
asio::awaitable<void> keep_leases(std::shared_ptr<JobRunner::Shared> s) {
    asio::steady_timer timer(s->strand);
    auto next_scan = steady::now() + s->options.takeover_scan;
    while (!s->stopping) {
        try {
            s->jobs.renew_job_leases(s->options.owner, s->options.lease);
            if (steady::now() >= next_scan) {
                next_scan = steady::now() + s->options.takeover_scan;
                std::set<std::int64_t> planned;
                for (const auto& entry : s->schedule) planned.insert(entry.second);
                for (const JobRecord& job : s->jobs.running_jobs()) {
                    if (s->in_flight.count(job.id) || s->left_alone.count(job.id)) continue;
                    if (!s->held.count(job.id) && !planned.count(job.id))
                        s->plan(job.id, steady::now());
                    else if (s->held.count(job.id) && !job.cancel_by.empty())
                        s->plan_now(job.id);  // cancelled on another replica: ended now, not at its next poll
                }
                // Final states no message shows: their runner died between the
                // commit and the edit, or chat failed then. Shown again, once.
                const std::int64_t hour_ago = unix_ms(s->wall()) - 3'600'000;
                for (JobRecord& job : s->jobs.claim_unshown_finished_jobs(hour_ago, 50))
                    if (auto kind = s->kinds.find(job.kind); kind != s->kinds.end())
                        asio::co_spawn(s->strand, show(s, std::move(job), *kind->second), asio::detached);
            }
        } catch (const std::exception& e) {
            spdlog::warn("jobs: cannot renew or scan job leases: {}", e.what());
        }
        timer.expires_after(std::min(s->options.lease / 3, s->options.takeover_scan));
        boost::system::error_code ec;
        co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
}

}  // namespace

void JobRunner::start(bool resume_unfinished) {
    asio::dispatch(shared_->strand, [s = shared_, resume_unfinished] {
        if (resume_unfinished) {
            asio::co_spawn(s->strand, resume_unfinished_jobs(s), asio::detached);
            asio::co_spawn(s->strand, keep_leases(s), asio::detached);
        }
        asio::co_spawn(s->strand, loop(s), asio::detached);
    });
}

namespace {

asio::awaitable<std::int64_t> begin_on_strand(std::shared_ptr<JobRunner::Shared> s, JobRecord job,
                                              std::chrono::milliseconds first_step_after) {
    auto kind_it = s->kinds.find(job.kind);
    if (kind_it == s->kinds.end()) throw std::logic_error("no job kind " + job.kind);
    const std::int64_t now = unix_ms(s->wall());
    job.status = JobStatus::running;
    job.kind_version = kind_it->second->version();
    job.created_unix_ms = job.updated_unix_ms = now;
    job.next_run_unix_ms = now + first_step_after.count();
    job.deadline_unix_ms = now + kind_it->second->deadline(s->context.config).count();
    job.id = s->jobs.create_job(job);
    if (job.id == 0) co_return 0;  // claimed already: by another replica, or before a restart
    log::info(s->log_fields_of(job), "jobs: job {} ({}) began: {}", job.id, job.kind, job.target);
    // Leased at once, or another replica's takeover scan could step it first.
    job.fence = s->jobs.lease_job(job.id, s->options.owner, s->options.lease);
    if (job.fence != 0) s->hold(job.id);
    co_await show(s, job, *kind_it->second);
    if (!s->stopping) s->plan(job.id, steady::now() + first_step_after);
    co_return job.id;
}

// The request is written into the job's row, where whichever runner holds
// the job meets it: this one at the step planned now, another replica's at
// its next step or its next lease scan. A job whose runner died is taken
// over by this step and ended.
asio::awaitable<bool> cancel_on_strand(std::shared_ptr<JobRunner::Shared> s, std::int64_t id, std::string by) {
    if (s->left_alone.count(id) || !s->jobs.request_cancel(id, by)) co_return false;
    log::info(log::Fields{.actor = by, .job_id = id}, "jobs: job {} cancelled by {}", id, by);
    s->plan_now(id);
    co_return true;
}

asio::awaitable<void> stop_on_strand(std::shared_ptr<JobRunner::Shared> s) {
    s->stopping = true;
    s->wake.cancel();
    asio::steady_timer poll(s->strand);
    while (!s->in_flight.empty() || s->looping) {
        poll.expires_after(std::chrono::milliseconds(20));
        boost::system::error_code ec;
        co_await poll.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    try {
        s->jobs.release_job_leases(s->options.owner);  // another replica takes them over at once
    } catch (const std::exception& e) {
        spdlog::warn("jobs: cannot let the job leases go ({}); they expire in {} ms", e.what(),
                     s->options.lease.count());
    }
}

}  // namespace

// Each entry point runs its body as a coroutine of the strand, so the
// schedule is only ever touched there.
asio::awaitable<std::int64_t> JobRunner::begin(JobRecord job, std::chrono::milliseconds first_step_after) {
    co_return co_await asio::co_spawn(shared_->strand, begin_on_strand(shared_, std::move(job), first_step_after),
                                      asio::use_awaitable);
}

asio::awaitable<bool> JobRunner::cancel(std::int64_t id, std::string by) {
    co_return co_await asio::co_spawn(shared_->strand, cancel_on_strand(shared_, id, std::move(by)),
                                      asio::use_awaitable);
}

asio::awaitable<void> JobRunner::stop() {
    co_await asio::co_spawn(shared_->strand, stop_on_strand(shared_), asio::use_awaitable);
}

}  // namespace hpops::bot
