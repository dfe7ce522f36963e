#include "bot/slack/slack_job_messenger.hpp"

#include <nlohmann/json.hpp>

#include "bot/slack/block_kit_renderer.hpp"
#include "bot/slack/response_url.hpp"
#include "common/log_fields.hpp"
#include "hpops/errors.hpp"

namespace hpops::bot {

namespace {

// Slack's answers when the bot may not post in a channel: a public one it
// has not joined (without chat:write.public), or a private one.
bool not_a_member(const UpstreamError& e) {
    return e.service() == "slack" && (e.code() == "not_in_channel" || e.code() == "channel_not_found");
}

// A Slack user id (a DM to it opens the bot's conversation with that user).
bool is_user_id(const std::string& id) { return id.size() > 1 && (id[0] == 'U' || id[0] == 'W'); }

}  // namespace

boost::asio::awaitable<void> SlackJobMessenger::tell_the_owner(const JobRecord& job, Reply rendering,
                                                              std::string why) {
    // A job no command answers (a scheduled digest) has no response_url: the
    // one who asked for it gets the finished message, with what to do.
    if (job.status == JobStatus::running || !is_user_id(job.actor_id)) {
        log::warn({.actor = job.actor_id, .job_id = job.id}, "job {}: the bot may not post in {} ({}); nobody to tell",
                  job.id, job.message.channel, why);
        co_return;
    }
    rendering.context("hpops could not post this in <#" + job.message.channel + "> (" + why +
                      "): `/invite` the hpops app there. It came to you as the one who asked for it.");
    auto posting = poster_->post(job.actor_id, std::move(rendering));
    co_await std::move(posting);
    log::warn({.actor = job.actor_id, .job_id = job.id}, "job {}: the bot may not post in {} ({}); told {}", job.id,
              job.message.channel, why, job.actor_id);
}

SlackJobMessenger::SlackJobMessenger(ChatPoster* poster, HttpClient& http) : poster_(poster), http_(http) {}

boost::asio::awaitable<JobMessage> SlackJobMessenger::show(const JobRecord& job, Reply rendering) {
    JobMessage shown = job.message;
    std::string why_fewer_edits;  // said once, in the first message sent through response_url
    if (poster_ && !shown.channel.empty()) {
        std::string refused;  // Slack's code when the bot may not post there (awaited on outside the catch)
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
            if (!shown.ts.empty() || !not_a_member(e)) throw;
            refused = e.code();
        }
        if (shown.response_url.empty()) {
            auto telling = tell_the_owner(job, rendering, refused);
            co_await std::move(telling);
            co_return shown;
        }
        log::info({.actor = job.actor_id, .job_id = job.id},
                  "job {}: the bot may not post in {} ({}); following through response_url", job.id, shown.channel,
                  refused);
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
