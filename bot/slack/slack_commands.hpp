#pragma once
#include <boost/asio/awaitable.hpp>

#include "bot/dispatch/services.hpp"
#include "bot/server/http_message.hpp"

namespace hpops::bot {

// POST /slack/commands: a slash command. Answers inline when the command is
// fast, otherwise acknowledges and posts the result to response_url.
boost::asio::awaitable<HttpOut> handle_slack_command(Services& services, HttpIn in);

}  // namespace hpops::bot
