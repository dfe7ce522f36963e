#pragma once
#include <boost/asio/any_io_executor.hpp>

#include "bot/dispatch/dispatcher.hpp"
#include "common/metrics.hpp"
#include "common/replay_guard.hpp"
#include "hpops/config.hpp"
#include "hpops/http_client.hpp"
#include "hpops/store.hpp"

namespace hpops::bot {

class HttpServer;
class AlertIntake;
class SnsClient;
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
    AlertIntake* alerts = nullptr;          // null when the config has no `alerts` section
    SnsClient* sns = nullptr;               // with `alerts`: SNS certificates and confirmations
    const JobRunner* jobs = nullptr;        // for /metrics
};

}  // namespace hpops::bot
