#include "bot/slack/web_api.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>
#include <spdlog/spdlog.h>

#include "bot/slack/block_kit_renderer.hpp"
#include "hpops/errors.hpp"

namespace hpops::integrations {
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

asio::awaitable<PostedMessage> SlackWebApi::post(std::string channel, Reply message) {
    json body = message_body(message);
    body["channel"] = channel;
    auto work = call("chat.postMessage", channel, std::move(body));
    co_return co_await std::move(work);
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

}  // namespace hpops::integrations
