#pragma once
#include <boost/asio/awaitable.hpp>

#include "bot/routes/services.hpp"
#include "bot/server/http_message.hpp"

namespace hpops::bot {

// The one table of endpoints: method and path to route, with request metrics.
boost::asio::awaitable<HttpOut> route_request(Services& services, HttpIn in);

}  // namespace hpops::bot
