#pragma once
#include <boost/asio/awaitable.hpp>

#include "bot/routes/services.hpp"
#include "bot/server/http_message.hpp"

namespace hpops::bot {

// POST /alerts/sns: AWS SNS HTTP(S) delivery. The signature is checked with
// the certificate from SigningCertURL (AWS's host only); subscriptions are
// confirmed only for configured topics; CloudWatch alarms become alerts.
boost::asio::awaitable<HttpOut> handle_sns_webhook(Services& services, HttpIn in);

}  // namespace hpops::bot
