#pragma once
#include <boost/asio/awaitable.hpp>

#include "bot/dispatch/services.hpp"
#include "bot/server/http_message.hpp"

namespace hpops::bot {

// The one table of endpoints: method and path to route, with request metrics.
boost::asio::awaitable<HttpOut> route_request(Services& services, HttpIn in);

// The largest body a request for `target` may carry; the server asks once the
// request's header is in (BodyLimitFor).
std::size_t body_limit_for_target(const ServerConfig& server, std::string_view target);

}  // namespace hpops::bot
