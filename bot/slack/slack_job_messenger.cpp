#include "bot/slack/slack_job_messenger.hpp"

#include <nlohmann/json.hpp>

#include "bot/slack/block_kit_renderer.hpp"
#include "bot/slack/response_url.hpp"

namespace hpops::bot {

SlackJobMessenger::SlackJobMessenger(ChatPoster* poster, HttpClient& http) : poster_(poster), http_(http) {}

boost::asio::awaitable<JobMessage> SlackJobMessenger::show(const JobRecord& job, Reply rendering) {
    JobMessage shown = job.message;
    if (poster_ && !shown.channel.empty()) {
        if (shown.ts.empty()) {
            PostedMessage posted = co_await poster_->post(shown.channel, std::move(rendering));
            shown.channel = posted.channel;
            shown.ts = posted.ts;
        } else {
            co_await poster_->update(shown.channel, shown.ts, std::move(rendering));
        }
        co_return shown;
    }
    // Through response_url only the first rendering and the last are sent:
    // Slack allows five posts in 30 minutes, fewer than a follow has steps.
    const bool first = job.updated_unix_ms == job.created_unix_ms;
    if (shown.response_url.empty() || (!first && job.status == JobStatus::running)) co_return shown;
    rendering.replace_original = true;
    co_await bot::post_to_response_url(http_, shown.response_url,
                                                bot::render_block_kit_single(rendering));
    co_return shown;
}

}  // namespace hpops::bot
