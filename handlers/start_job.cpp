#include "handlers/start_job.hpp"

namespace hpops::handlers {

boost::asio::awaitable<Reply> start_job(CommandContext& context, const JobKind& kind, std::string state,
                                        std::string target, std::chrono::milliseconds first_step_after) {
    JobRecord job;
    job.kind = std::string(kind.name());
    job.state = std::move(state);
    job.target = std::move(target);
    job.actor_id = context.actor.id;
    job.actor_name = context.actor.name;
    job.message = JobMessage{context.platform, context.channel, "", context.response_url};
    job.audit_id = context.audit_id;
    job.id = co_await context.jobs->begin(job, first_step_after);
    context.handed_to_job = true;
    co_return kind.render(job);
}

Reply unreadable_job(const JobRecord& job) {
    Reply reply = message_reply(":x: Job " + std::to_string(job.id) + ": " + job.outcome, Visibility::channel);
    reply.summary = "Job " + std::to_string(job.id);
    return reply;
}

}  // namespace hpops::handlers
