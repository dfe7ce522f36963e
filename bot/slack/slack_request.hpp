#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "bot/dispatch/services.hpp"
#include "bot/server/http_message.hpp"
#include "bot/slack/form_decode.hpp"

namespace hpops::bot {

// The filters every Slack request passes, in order: content type, signature and
// timestamp, replay, form body. On success the decoded form; otherwise the
// rejection to send (and nothing else happens).
struct SlackRequest {
    std::optional<FormFields> form;
    std::optional<HttpOut> rejection;
    std::string request_id;
};
SlackRequest accept_slack_request(Services& services, const HttpIn& in);

// True when `url` starts with one of slack.response_url_allow and holds no
// whitespace, control characters or backslashes (which URL parsers disagree on).
bool response_url_allowed(const SlackConfig& slack, std::string_view url);

// Posts Block Kit messages to a response_url, in order, in the background.
void post_pages_later(Services& services, std::string response_url, std::vector<nlohmann::json> pages,
                      std::string request_id);
// The same for a whole reply, rendered into as many pages as it needs.
void post_reply_later(Services& services, std::string response_url, const Reply& reply, std::string request_id);

}  // namespace hpops::bot
