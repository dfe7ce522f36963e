#pragma once
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>

#include "hpops/handler.hpp"
#include "hpops/job.hpp"

namespace hpops::handlers {

// Hands a handler's long work to the job runner (context.jobs must be set):
// records the job with the command's actor, channel, response_url and audit
// row (which the job closes when it ends), shows its first rendering, and
// returns that rendering as the command's answer.
boost::asio::awaitable<Reply> start_job(CommandContext& context, const JobKind& kind, std::string state,
                                        std::string target, std::chrono::milliseconds first_step_after);

// What a kind renders when the job's saved state cannot be read (the runner
// has failed the job and kept its row).
Reply unreadable_job(const JobRecord& job);

}  // namespace hpops::handlers
