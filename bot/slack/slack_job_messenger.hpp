#pragma once
#include "bot/jobs/job_runner.hpp"
#include "hpops/chat_poster.hpp"
#include "hpops/http_client.hpp"

namespace hpops::bot {

// A job's message in Slack. With a bot token (a ChatPoster), the job posts its
// own message once and edits it at every step: no five-post or 30-minute
// limit. Without one, or when Slack answers that the bot is not in the
// channel, the first rendering and the last replace the command's message
// through its response_url (Slack allows five posts there), and the first
// says why and what to do.
class SlackJobMessenger final : public JobMessenger {
public:
    SlackJobMessenger(ChatPoster* poster, HttpClient& http);
    boost::asio::awaitable<JobMessage> show(const JobRecord& job, Reply rendering) override;

private:
    boost::asio::awaitable<void> tell_the_owner(const JobRecord& job, Reply rendering, std::string why);

    ChatPoster* poster_;
    HttpClient& http_;
};

}  // namespace hpops::bot
