#pragma once
#include <boost/asio/io_context.hpp>
#include <memory>
#include <string_view>

#include "bot/backends.hpp"
#include "bot/digests/capacity_sampler.hpp"
#include "bot/dispatch/dispatcher.hpp"
#include "bot/dispatch/handler_registry.hpp"
#include "bot/digests/digest_scheduler.hpp"
#include "bot/dispatch/services.hpp"
#include "bot/jobs/job_runner.hpp"
#include "bot/replica_watch.hpp"
#include "bot/server/http_server.hpp"
#include "common/metrics.hpp"
#include "common/replay_guard.hpp"
#include "hpops/config.hpp"
#include "hpops/http_client.hpp"
#include "hpops/store.hpp"
#include "store/database.hpp"

namespace hpops {
class ChatPoster;
class AlertStore;
}

namespace hpops::alerts {
class AlertIntake;
class AlertPoster;
class SnsClient;
class AlertCapacity;
}

namespace hpops::bot {

// The wiring of the bot, in one place: store, handlers, dispatcher, HTTP
// client and server. Tests build one with their own config and port 0.
class App {
public:
    explicit App(ConfigPtr config, HandlerRegistry handlers = default_handlers());
    ~App();

    // Binds and starts serving on `io`; returns the bound port. Jobs, digests,
    // capacity samples, replica heartbeats and alert posts run on `background`:
    // they call the store synchronously, and a store that stalls them (a lock
    // held by another writer, a slow database server) must not hold up the
    // threads that answer chat and webhooks.
    std::uint16_t start(boost::asio::io_context& io, boost::asio::io_context& background);
    // Stops accepting, lets in-flight requests, follow-ups and job steps finish
    // (up to the configured grace), then stops `io`. Unfinished jobs stay in
    // the store and resume at the next start.
    void drain(boost::asio::io_context& io);
    // `hpops serve`: runs until SIGTERM or SIGINT, then drains.
    int serve();

    Dispatcher& dispatcher() { return *dispatcher_; }
    Store& store() { return *store_; }
    JobRunner* jobs() { return jobs_.get(); }  // after start()
    Metrics& metrics() { return metrics_; }
    // Tests only (tests/support/hpops_test_server.cpp): see SnsClient::redirect_for_tests.
    // `ca_pem`: the only roots signing certificates may chain to.
    void redirect_sns_for_tests(std::string base, std::string_view ca_pem);

private:
    // Alerts (when configured): store, Slack poster, intake; built before the dispatcher.
    static std::unique_ptr<AlertStore> make_alert_store(const Config& config);
    Clients clients_with_alerts() const;

private:
    ConfigPtr config_;
    BotInfo bot_;
    std::unique_ptr<store::Database> store_;  // also the JobStore
    HandlerRegistry handlers_;
    Metrics metrics_;
    std::unique_ptr<HttpClient> http_;
    std::unique_ptr<Backends> backends_;
    std::unique_ptr<AlertStore> alert_store_;
    std::unique_ptr<AlertLog> alert_log_;  // `/hp alerts` reads, on a thread of its own
    std::unique_ptr<ChatPoster> chat_poster_;
    std::unique_ptr<alerts::AlertCapacity> alert_capacity_;
    std::unique_ptr<alerts::AlertPoster> alert_poster_;
    std::unique_ptr<alerts::AlertIntake> alert_intake_;  // after the poster: its writer wakes the poster
    std::unique_ptr<alerts::SnsClient> sns_;
    std::unique_ptr<Dispatcher> dispatcher_;
    ReplayGuard replays_;
    ReplayGuard grafana_replays_;
    Clients clients_;  // what job kinds call, alive as long as the runner
    std::unique_ptr<JobMessenger> job_messenger_;
    std::unique_ptr<JobRunner> jobs_;
    std::unique_ptr<DigestScheduler> digests_;  // with a bot token: digests post in their channel
    std::unique_ptr<CapacitySampler> capacity_;  // with AWS: the fleet's size over time
    std::unique_ptr<ReplicaWatch> replica_watch_;  // warns of replicas with another config
    std::unique_ptr<Services> services_;
    std::unique_ptr<HttpServer> server_;
};

}  // namespace hpops::bot
