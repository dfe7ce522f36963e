#pragma once
#include <boost/asio/any_io_executor.hpp>

#include "bot/dispatch/dispatcher.hpp"
#include "common/metrics.hpp"
#include "common/replay_guard.hpp"
#include "hpops/config.hpp"
#include "hpops/http_client.hpp"
#include "hpops/store.hpp"

namespace hpops::alerts {
class AlertIntake;
class SnsClient;
}

namespace hpops::bot {

class HttpServer;
class JobRunner;

// What the routes share; owned by App, which outlives every request.
struct Services {
    ConfigPtr config;
    Store& store;
    Metrics& metrics;
    Dispatcher& dispatcher;
    HttpClient& http;
    ReplayGuard& replays;          // Slack's signed requests
    ReplayGuard& grafana_replays;  // Grafana's signed alert payloads
    boost::asio::any_io_executor executor;  // for background follow-ups
    const HttpServer* server = nullptr;     // for readiness while draining
    alerts::AlertIntake* alerts = nullptr;          // null when the config has no `alerts` section
    alerts::SnsClient* sns = nullptr;               // with `alerts`: SNS certificates and confirmations
    const JobRunner* jobs = nullptr;        // for /metrics
};

}  // namespace hpops::bot
