#include "bot/slack/slack_job_messenger.hpp"

#include <nlohmann/json.hpp>

#include <spdlog/spdlog.h>

#include "bot/slack/block_kit_renderer.hpp"
#include "bot/slack/response_url.hpp"
#include "hpops/errors.hpp"

namespace hpops::bot {

namespace {

// Slack's answers when the bot may not post in a channel: a public one it
// has not joined (without chat:write.public), or a private one.
bool not_a_member(const UpstreamError& e) {
    return e.service() == "slack" && (e.code() == "not_in_channel" || e.code() == "channel_not_found");
}

}  // namespace

SlackJobMessenger::SlackJobMessenger(ChatPoster* poster, HttpClient& http) : poster_(poster), http_(http) {}

boost::asio::awaitable<JobMessage> SlackJobMessenger::show(const JobRecord& job, Reply rendering) {
    JobMessage shown = job.message;
    std::string why_fewer_edits;  // said once, in the first message sent through response_url
    if (poster_ && !shown.channel.empty()) {
        try {
            if (shown.ts.empty()) {
                auto posting = poster_->post(shown.channel, rendering);
                PostedMessage posted = co_await std::move(posting);
                shown.channel = posted.channel;
                shown.ts = posted.ts;
            } else {
                auto editing = poster_->update(shown.channel, shown.ts, rendering);
                co_await std::move(editing);
            }
            co_return shown;
        } catch (const UpstreamError& e) {
            if (!shown.ts.empty() || shown.response_url.empty() || !not_a_member(e)) throw;
            spdlog::info("job {}: the bot may not post in {} ({}); following through response_url", job.id,
                         shown.channel, e.code());
        }
        // Every later step of this job goes the response_url way.
        shown.channel.clear();
        why_fewer_edits = "hpops is not in this channel, so this message shows only the start and the end. "
                          "`/invite` the hpops app here to see every step of the next one.";
    } else if (!poster_) {
        why_fewer_edits = "This message shows only the start and the end: hpops has no Slack bot token "
                          "(`slack.bot_token`) to edit its own message at every step.";
    }
    // Through response_url only the first rendering and the last are sent:
    // Slack allows five posts in 30 minutes, fewer than a follow has steps.
    const bool first = job.updated_unix_ms == job.created_unix_ms;
    if (shown.response_url.empty() || (!first && job.status == JobStatus::running)) co_return shown;
    if (first && job.status == JobStatus::running && !why_fewer_edits.empty()) rendering.context(why_fewer_edits);
    rendering.replace_original = true;
    co_await bot::post_to_response_url(http_, shown.response_url,
                                                bot::render_block_kit_single(rendering));
    co_return shown;
}

}  // namespace hpops::bot
