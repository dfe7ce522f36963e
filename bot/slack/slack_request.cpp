#include "bot/slack/slack_request.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "bot/dispatch/reply_or_error.hpp"
#include "bot/slack/block_kit_renderer.hpp"
#include "bot/slack/response_url.hpp"
#include "bot/slack/slack_signature.hpp"
#include "common/log_fields.hpp"

namespace hpops::bot {

SlackRequest accept_slack_request(Services& services, const HttpIn& in) {
    SlackRequest out;
    auto reject = [&](int status, std::string kind, std::string reason) {
        services.metrics.count_error("slack_" + kind);
        spdlog::info("rejected Slack request from {}: {}", in.remote, reason);
        out.rejection = text_response(status, std::move(reason));
        return out;
    };
    const auto& slack = services.config->slack;
    auto signature = in.header("x-slack-signature");
    auto check = verify_slack_signature(slack.signing_secret, in.header("x-slack-request-timestamp"), signature,
                                        in.body, std::chrono::system_clock::now(), slack.timestamp_tolerance);
    if (!check.ok) return reject(401, "unauthorized", check.reason);
    // The signature covers timestamp and body, so it names the request exactly.
    const auto seen = services.replays.check(signature, check.timestamp);
    if (seen == ReplayGuard::Verdict::replay) return reject(409, "replay", "duplicate request: already handled");
    if (seen == ReplayGuard::Verdict::window_full) {
        // Not logged per request: the guard reports it once a second.
        services.metrics.count_error("slack_replay_window_full");
        out.rejection = text_response(503, "too many requests in the replay window; retry later");
        out.rejection->headers.emplace_back("Retry-After", "1");
        return out;
    }
    auto content_type = in.header("content-type");
    if (!content_type.starts_with("application/x-www-form-urlencoded"))
        return reject(415, "content_type", "expected application/x-www-form-urlencoded");
    out.form = decode_form(in.body);
    if (!out.form) return reject(400, "malformed_form", "malformed form body");
    out.request_id = slack_request_id(signature);
    return out;
}

bool response_url_allowed(const SlackConfig& slack, std::string_view url) {
    for (const unsigned char c : url)
        if (c <= ' ' || c == 0x7f || c == '\\') return false;
    for (const auto& prefix : slack.response_url_allow)
        if (url.starts_with(prefix)) return true;
    return false;
}

void post_reply_later(Services& services, std::string response_url, const Reply& reply, std::string request_id) {
    post_pages_later(services, std::move(response_url), bot::render_block_kit(reply), std::move(request_id));
}

void post_pages_later(Services& services, std::string response_url, std::vector<nlohmann::json> pages,
                      std::string request_id) {
    if (response_url.empty()) {
        services.metrics.count_error("slack_no_response_url");
        log::warn({.request_id = request_id}, "request {}: no response_url to deliver the reply to", request_id);
        return;
    }
    // The routes refuse such requests up front; this keeps any later caller honest.
    if (!response_url_allowed(services.config->slack, response_url)) {
        services.metrics.count_error("slack_response_url_refused");
        log::warn({.request_id = request_id},
                  "request {}: response_url is not under slack.response_url_allow; not posting", request_id);
        return;
    }
    boost::asio::co_spawn(
        services.executor,
        [&services, url = std::move(response_url), pages = std::move(pages), request_id]() -> boost::asio::awaitable<void> {
            JobInFlight counted(services.metrics);
            try {
                for (const auto& page : pages)
                    co_await bot::post_to_response_url(services.http, url, page);
            } catch (const std::exception& error) {
                services.metrics.count_error("slack_response_url");
                log::error({.request_id = request_id}, "request {}: posting to response_url failed: {}", request_id,
                           error.what());
            }
        },
        boost::asio::detached);
}

}  // namespace hpops::bot
