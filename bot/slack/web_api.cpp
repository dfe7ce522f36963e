#include "bot/slack/web_api.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>
#include <spdlog/spdlog.h>

#include "bot/slack/block_kit_renderer.hpp"
#include "bot/slack/form_decode.hpp"
#include "common/crypto.hpp"
#include "hpops/errors.hpp"
#include "integrations/http/curl_client.hpp"
#include "integrations/json_fields.hpp"

namespace hpops::bot {
using integrations::failed_before_sending;
using integrations::string_field;
namespace asio = boost::asio;
using json = nlohmann::json;

std::chrono::milliseconds slack_retry_after(std::string_view header) {
    long seconds = 0;
    auto [end, ec] = std::from_chars(header.data(), header.data() + header.size(), seconds);
    if (ec != std::errc{} || end != header.data() + header.size() || seconds < 0) return std::chrono::seconds(1);
    return std::chrono::seconds(std::min(seconds, 3600L));
}

SlackWebApi::SlackWebApi(HttpClient& http, SlackWebApiOptions options) : http_(http), options_(std::move(options)) {
    if (!options_.base_url.empty() && options_.base_url.back() != '/') options_.base_url += '/';
}

json SlackWebApi::message_body(const Reply& message) {
    json page = render_block_kit_single(message);
    // response_url fields; the Web API takes channel and ts instead.
    page.erase("response_type");
    page.erase("replace_original");
    return page;
}

bool slack_may_have_acted(const UpstreamError& error) {
    if (error.service() == "http") return !failed_before_sending(error);
    return error.http_status() >= 500;
}

asio::awaitable<PostedMessage> SlackWebApi::post(std::string channel, Reply message) {
    json body = message_body(message);
    body["channel"] = channel;
    const std::string post_id = hpops::to_hex(hpops::random_bytes(12));
    body["metadata"] = {{"event_type", post_event_type}, {"event_payload", {{"post_id", post_id}}}};
    const std::string thread_ts = body.value("thread_ts", std::string());
    const auto sent_at = std::chrono::system_clock::now();
    std::exception_ptr failure;
    try {
        auto work = call("chat.postMessage", channel, std::move(body));
        co_return co_await std::move(work);
    } catch (const UpstreamError& e) {
        if (!slack_may_have_acted(e)) throw;
        failure = std::current_exception();
    }
    auto finding = find_post(channel, thread_ts, post_id, sent_at);
    if (std::optional<PostedMessage> found = co_await std::move(finding)) {
        spdlog::info("slack: the answer to a post in {} was lost, but the post is there ({}); not posting it again",
                     channel, found->ts);
        co_return *found;
    }
    std::rethrow_exception(failure);
}

asio::awaitable<std::optional<PostedMessage>> SlackWebApi::find_post(std::string channel, std::string thread_ts,
                                                                     std::string post_id,
                                                                     std::chrono::system_clock::time_point sent_at) {
    {
        // The history wants the channel's id; a post by name may never have learnt it.
        std::lock_guard lock(mutex_);
        if (auto id = channel_ids_.find(channel); id != channel_ids_.end()) channel = id->second;
    }
    if (channel.starts_with('#')) {
        spdlog::warn("slack: the answer to the first post to {} was lost; its id is not known yet, so its history "
                     "cannot be read and the post may repeat",
                     channel);
        co_return std::nullopt;
    }
    // A few seconds of slack for the difference between our clock and Slack's.
    const auto oldest = std::chrono::duration_cast<std::chrono::seconds>(sent_at.time_since_epoch()).count() - 10;
    const std::string method = thread_ts.empty() ? "conversations.history" : "conversations.replies";
    std::string cursor;
    // 15 messages a page is the most a non-Marketplace app may ask for; a few
    // pages cover any channel that is not posting several messages a second.
    for (int page = 0; page < 4; ++page) {
        HttpRequest request;
        request.method = "POST";
        request.url = options_.base_url + method;
        request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                           {"Authorization", "Bearer " + options_.token}};
        request.body = "channel=" + form_encode_component(channel) + "&oldest=" + std::to_string(oldest) +
                       "&limit=15&include_all_metadata=true";
        if (!thread_ts.empty()) request.body += "&ts=" + form_encode_component(thread_ts);
        if (!cursor.empty()) request.body += "&cursor=" + form_encode_component(cursor);
        request.timeout = options_.timeout;
        std::string failure;
        try {
            auto send = http_.send(std::move(request), RetryPolicy{2, std::chrono::milliseconds(200), {}});
            HttpResponse response = co_await std::move(send);
            json answer = json::parse(response.body, nullptr, false);
            // Read with string_field throughout: an odd answer is "not found", never a throw.
            const auto ok = answer.is_object() ? answer.find("ok") : answer.end();
            if (response.status == 200 && ok != answer.end() && *ok == true) {
                const auto messages = answer.find("messages");
                for (const json& m : messages != answer.end() && messages->is_array() ? *messages : json::array()) {
                    const json metadata = m.is_object() ? m.value("metadata", json()) : json();
                    const json payload = metadata.is_object() ? metadata.value("event_payload", json()) : json();
                    if (string_field(metadata, "event_type") == post_event_type &&
                        string_field(payload, "post_id") == post_id)
                        co_return PostedMessage{channel, string_field(m, "ts")};
                }
                const auto paging = answer.find("response_metadata");
                cursor = paging != answer.end() ? string_field(*paging, "next_cursor") : std::string();
                if (cursor.empty()) co_return std::nullopt;
                continue;
            }
            failure = string_field(answer, "error");
            if (failure.empty()) failure = "HTTP " + std::to_string(response.status);
        } catch (const UpstreamError& e) {
            failure = e.code();
        }
        spdlog::warn("slack: could not read {} of {} to see whether a post whose answer was lost is there ({}); "
                     "it may be posted twice{}",
                     method, channel, failure,
                     failure == "missing_scope" ? ": grant the bot channels:history and groups:history" : "");
        co_return std::nullopt;
    }
    co_return std::nullopt;
}

asio::awaitable<PostedMessage> SlackWebApi::update(std::string channel, std::string ts, Reply message) {
    json body = message_body(message);
    body["channel"] = channel;
    body["ts"] = ts;
    auto work = call("chat.update", channel, std::move(body));
    co_return co_await std::move(work);
}

std::chrono::steady_clock::time_point SlackWebApi::reserve_turn(const std::string& channel,
                                                                std::chrono::milliseconds at_least) {
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    const auto id = channel_ids_.find(channel);
    auto& next = next_turn_[id == channel_ids_.end() ? channel : id->second];
    const auto turn = std::max(next, now + at_least);
    next = turn + options_.per_channel_interval;
    return turn;
}

asio::awaitable<PostedMessage> SlackWebApi::call(std::string method, std::string channel, json body) {
    if (options_.token.empty()) throw UpstreamError("slack", "not_authed", method + ": no bot token configured");
    asio::steady_timer timer(co_await asio::this_coro::executor);
    std::chrono::milliseconds penalty{0};
    for (int attempt = 1;; ++attempt) {
        timer.expires_at(reserve_turn(channel, penalty));
        co_await timer.async_wait(asio::use_awaitable);
        HttpRequest request;
        request.method = "POST";
        request.url = options_.base_url + method;
        request.headers = {{"Content-Type", "application/json; charset=utf-8"},
                           {"Authorization", "Bearer " + options_.token}};
        request.body = to_wire(body);
        request.timeout = options_.timeout;
        // Retries are ours: a 429 must move this channel's queue, not block a worker.
        auto send = http_.send(std::move(request), RetryPolicy{1, {}, {}});
        HttpResponse response = co_await std::move(send);
        if (response.status == 429) {
            penalty = slack_retry_after(response.header("retry-after"));
            spdlog::warn("slack: {} to {} rate limited; retrying in {} ms (attempt {})", method, channel,
                         penalty.count(), attempt);
            if (attempt >= options_.max_rate_limited_attempts)
                throw UpstreamError("slack", "ratelimited", method + ": still rate limited after " +
                                    std::to_string(attempt) + " attempts", "", 429);
            continue;
        }
        if (response.status < 200 || response.status > 299)
            throw UpstreamError("slack", "http_" + std::to_string(response.status),
                                method + ": " + response.body.substr(0, 200), "", static_cast<int>(response.status));
        json answer = json::parse(response.body, nullptr, false);
        if (!answer.is_object()) throw UpstreamError("slack", "bad_response", method + ": answer is not JSON");
        if (!answer.value("ok", false)) {
            const std::string error = answer.value("error", std::string("unknown_error"));
            std::string detail = method + " to " + channel + ": " + error;
            if (auto m = answer.find("response_metadata"); m != answer.end() && m->contains("messages"))
                detail += " " + m->at("messages").dump(-1, ' ', false, json::error_handler_t::replace).substr(0, 300);
            throw UpstreamError("slack", error, detail, "", static_cast<int>(response.status));
        }
        PostedMessage posted{answer.value("channel", channel), answer.value("ts", std::string())};
        if (posted.channel != channel) {
            std::lock_guard lock(mutex_);
            if (channel_ids_.emplace(channel, posted.channel).second) {
                // Carry the turn already reserved under the name over to the id.
                auto& by_id = next_turn_[posted.channel];
                by_id = std::max(by_id, next_turn_[channel]);
            }
        }
        co_return posted;
    }
}

}  // namespace hpops::bot
