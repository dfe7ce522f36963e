#pragma once
#include <boost/asio/awaitable.hpp>

#include "bot/dispatch/services.hpp"
#include "bot/server/http_message.hpp"

namespace hpops::bot {

// POST /alerts/sns: AWS SNS HTTP(S) delivery. The signature is checked with
// the certificate from SigningCertURL (AWS's host only); subscriptions are
// confirmed only for configured topics; CloudWatch alarms become alerts.
boost::asio::awaitable<HttpOut> handle_sns_webhook(Services& services, HttpIn in);

// SNS messages are at most 256 KiB; the JSON envelope around one (signature,
// certificate URL, topic, escaping) fits in the rest. Bodies are read before
// the signature can be checked, so this is what anyone may make hpops hold.
constexpr std::size_t sns_body_limit = 300 * 1024;

}  // namespace hpops::bot
