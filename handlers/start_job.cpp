#include "handlers/start_job.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "hpops/progress.hpp"

namespace hpops::handlers {
namespace {

// The runner's loop without the runner: no store, no retries, no restarts.
boost::asio::awaitable<Reply> step_inline(CommandContext& context, JobKind& kind, JobRecord job,
                                          std::chrono::milliseconds first_step_after) {
    JobContext job_context{context.config, context.clients};
    const auto deadline = std::chrono::steady_clock::now() + kind.deadline(context.config);
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
    std::chrono::milliseconds wait = first_step_after;
    for (;;) {
        if (std::chrono::steady_clock::now() + wait > deadline) {
            job.status = JobStatus::failed;
            job.outcome = "not finished within its deadline";
            co_return kind.render(job);
        }
        timer.expires_after(wait);
        co_await timer.async_wait(boost::asio::use_awaitable);
        JobStep step = co_await kind.step(job, job_context);
        job.state = std::move(step.state);
        if (step.status != JobStatus::running) {
            job.status = step.status;
            job.outcome = std::move(step.note);
            co_return kind.render(job);
        }
        context.progress.update(kind.render(job));
        wait = step.run_after;
    }
}

}  // namespace

boost::asio::awaitable<Reply> start_job(CommandContext& context, JobKind& kind, std::string state,
                                        std::string target, std::chrono::milliseconds first_step_after) {
    JobRecord job;
    job.kind = std::string(kind.name());
    job.state = std::move(state);
    job.target = std::move(target);
    job.actor_id = context.actor.id;
    job.actor_name = context.actor.name;
    job.message = JobMessage{context.platform, context.channel, "", context.response_url};
    job.audit_id = context.audit_id;
    if (!context.jobs) co_return co_await step_inline(context, kind, std::move(job), first_step_after);
    job.id = co_await context.jobs->begin(job, first_step_after);
    context.handed_to_job = true;
    co_return kind.render(job);
}

Reply unreadable_job(const JobRecord& job) {
    Reply reply = message_reply(Mark::failed, "Job " + std::to_string(job.id) + ": " + job.outcome, Visibility::channel);
    reply.summary = "Job " + std::to_string(job.id);
    return reply;
}

}  // namespace hpops::handlers
