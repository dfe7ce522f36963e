#pragma once
#include <boost/asio/awaitable.hpp>

#include "bot/dispatch/services.hpp"
#include "bot/server/http_message.hpp"
#include "hpops/alert.hpp"

namespace hpops::bot {

// POST /alerts/alertmanager and /alerts/grafana: authenticate, parse, persist,
// then 2xx. 4xx only for what a retry cannot fix; 503 for what it can.
boost::asio::awaitable<HttpOut> handle_alertmanager_webhook(Services& services, HttpIn in);
boost::asio::awaitable<HttpOut> handle_grafana_webhook(Services& services, HttpIn in);

// Persists parsed alerts and answers: 200 with counts, or 503. Shared by every receiver.
boost::asio::awaitable<HttpOut> store_alerts(Services& services, std::string_view receiver,
                                             std::vector<Alert> alerts, std::string remote);

}  // namespace hpops::bot
