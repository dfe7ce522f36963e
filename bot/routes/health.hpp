#pragma once
#include "bot/dispatch/services.hpp"
#include "bot/server/http_message.hpp"

namespace hpops::bot {

HttpOut handle_healthz();
// Ready when the store answers and the server is not draining.
HttpOut handle_readyz(Services& services);
HttpOut handle_metrics(Services& services);

}  // namespace hpops::bot
