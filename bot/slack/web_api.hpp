#pragma once
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "hpops/chat_poster.hpp"
#include "hpops/errors.hpp"
#include "hpops/http_client.hpp"

namespace hpops::bot {

struct SlackWebApiOptions {
    std::string base_url = "https://slack.com/api/";
    std::string token;  // xoxb-...
    // Slack's chat.postMessage allows about one message per second per channel.
    std::chrono::milliseconds per_channel_interval{1'000};
    int max_rate_limited_attempts = 5;  // 429s honoured (Retry-After) before giving up
    std::chrono::milliseconds timeout{10'000};
};

// chat.postMessage and chat.update with the bot token and JSON bodies. Calls
// to one channel take turns (a queue per channel, one message per interval);
// a 429 pushes that channel's next turn back by Retry-After and retries.
// `ok:false` answers throw UpstreamError("slack", <error>, ...).
//
// chat.postMessage has no idempotency key, so a post whose answer is lost
// (a reset or timeout after sending, a 5xx) may or may not be in the channel,
// and the caller's retry would post it twice. Each post therefore carries a
// random id in its message metadata; after such a failure the channel's
// history (or the thread's replies) is read for that id, and a post found
// there is answered as posted. Reading history needs the `channels:history`
// scope (`groups:history` for private channels); without it the failure
// stands and the caller's retry may post twice, as before.
class SlackWebApi final : public ChatPoster {
public:
    SlackWebApi(HttpClient& http, SlackWebApiOptions options);

    boost::asio::awaitable<PostedMessage> post(std::string channel, Reply message) override;
    boost::asio::awaitable<PostedMessage> update(std::string channel, std::string ts, Reply message) override;

    // The JSON body sent for a Reply (Block Kit, first page), for tests.
    static nlohmann::json message_body(const Reply& message);

    // The metadata event type that marks hpops's posts.
    static constexpr std::string_view post_event_type = "hpops_post";

private:
    boost::asio::awaitable<PostedMessage> call(std::string method, std::string channel, nlohmann::json body);
    // The post carrying `post_id`, when the channel's history (or the thread
    // of `thread_ts`) since `sent_at` has it; nullopt when it does not or
    // cannot be read.
    boost::asio::awaitable<std::optional<PostedMessage>> find_post(std::string channel, std::string thread_ts,
                                                                   std::string post_id,
                                                                   std::chrono::system_clock::time_point sent_at);
    // Reserves the channel's next turn; returns when it may be used.
    std::chrono::steady_clock::time_point reserve_turn(const std::string& channel,
                                                       std::chrono::milliseconds at_least = {});

    HttpClient& http_;
    SlackWebApiOptions options_;
    std::mutex mutex_;
    std::map<std::string, std::chrono::steady_clock::time_point> next_turn_;
    // "#alerts" -> "C0123": a post by name and an update by id share one queue.
    std::map<std::string, std::string> channel_ids_;
};

// True when a failed call may still have been carried out by Slack: the
// request left (a reset or timeout after sending) or a server error answered.
bool slack_may_have_acted(const UpstreamError& error);

// Seconds from a Retry-After header (Slack sends whole seconds); 1 s when absent or odd.
std::chrono::milliseconds slack_retry_after(std::string_view header);

}  // namespace hpops::bot
