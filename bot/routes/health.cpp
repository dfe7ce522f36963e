#include "bot/routes/health.hpp"

#include "bot/server/http_server.hpp"

namespace hpops::bot {

HttpOut handle_healthz() { return text_response(200, "ok"); }

HttpOut handle_readyz(Services& services) {
    if (services.server && services.server->draining()) return text_response(503, "draining");
    if (!services.store.healthy()) {
        services.metrics.count_error("store_unhealthy");
        return text_response(503, "store unavailable");
    }
    return text_response(200, "ready");
}

HttpOut handle_metrics(Services& services) {
    HttpOut out = text_response(200, services.metrics.render_prometheus());
    out.content_type = "text/plain; version=0.0.4; charset=utf-8";
    return out;
}

}  // namespace hpops::bot
