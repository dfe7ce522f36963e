#include "bot/terminal/terminal_job_messenger.hpp"

#include "bot/terminal/plain_text_renderer.hpp"

namespace hpops::bot {

boost::asio::awaitable<JobMessage> TerminalJobMessenger::show(const JobRecord& job, Reply rendering) {
    std::lock_guard lock(mutex_);
    if (job.status == JobStatus::running)
        progress_ << "--- job " << job.id << " · " << to_string(job.status) << '\n'
                  << bot::render_plain_text(rendering) << std::flush;
    last_ = Last{job.status, std::move(rendering)};
    JobMessage message = job.message;
    message.platform = "terminal";
    message.ts = std::to_string(job.id);  // where it "is": nothing to edit, but shown
    co_return message;
}

std::optional<TerminalJobMessenger::Last> TerminalJobMessenger::last() const {
    std::lock_guard lock(mutex_);
    return last_;
}

}  // namespace hpops::bot
