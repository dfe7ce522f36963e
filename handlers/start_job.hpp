#pragma once
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>

#include "hpops/handler.hpp"
#include "hpops/job.hpp"

namespace hpops::handlers {

// Hands a handler's long work to the job runner: records the job with the
// command's actor, channel, response_url and audit row (which the job closes
// when it ends), shows its first rendering, and returns that rendering as the
// command's answer. Where no runner is set (context.jobs null: tests of a
// handler alone), steps the kind inline instead, each rendering through
// context.progress, and returns the last. Call it in a statement of its own
// (`auto starting = start_job(...); co_return co_await std::move(starting);`):
// GCC 12 mishandles temporaries (the state's string, a `?:`) that live in the
// same full-expression as a co_await, and an undeploy crashed on one.
boost::asio::awaitable<Reply> start_job(CommandContext& context, JobKind& kind, std::string state,
                                        std::string target, std::chrono::milliseconds first_step_after);

// What a kind renders when the job's saved state cannot be read (the runner
// has failed the job and kept its row).
Reply unreadable_job(const JobRecord& job);

}  // namespace hpops::handlers
