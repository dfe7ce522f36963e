#pragma once
#include <boost/asio/awaitable.hpp>

#include "bot/dispatch/services.hpp"
#include "bot/server/http_message.hpp"

namespace hpops::bot {

// POST /slack/interactions: button clicks (block_actions). Slack ignores the
// HTTP body for these, so the answer is an empty 200 and the outcome goes to
// the interaction's response_url, replacing the message with the buttons.
boost::asio::awaitable<HttpOut> handle_slack_interaction(Services& services, HttpIn in);

}  // namespace hpops::bot
