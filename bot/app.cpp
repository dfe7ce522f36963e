#include "bot/app.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <unistd.h>

#include <csignal>
#include <spdlog/spdlog.h>
#include <thread>

#include "alerts/alert_capacity.hpp"
#include "alerts/alert_intake.hpp"
#include "alerts/alert_poster.hpp"
#include "alerts/grafana_replay.hpp"
#include "alerts/sns_client.hpp"
#include "bot/routes/router.hpp"
#include "bot/slack/slack_job_messenger.hpp"
#include "bot/slack/web_api.hpp"
#include "handlers/job_kinds.hpp"
#include "hpops/version.hpp"
#include "integrations/http/curl_client.hpp"
#include "bot/open_store.hpp"
#include "store/pooled_alert_log.hpp"

namespace hpops::bot {
using alerts::ActionSigner;
using alerts::AlertCapacity;
using alerts::AlertIntake;
using alerts::AlertPoster;
using alerts::SnsClient;
using alerts::SnsTrust;
using alerts::grafana_replay_memory;
using store::PooledAlertLog;
namespace asio = boost::asio;

namespace {

// This replica in the store's leases: its host (a pod's name) and port. The
// same after a restart in place, so the restarted process takes its own jobs
// back at once instead of waiting out their leases.
std::string replica_name(const Config& config) {
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    // Port 0 (any free port) names no instance: the process does.
    return std::string(host) + ":" +
           (config.server.port != 0 ? std::to_string(config.server.port) : "pid" + std::to_string(::getpid()));
}

}  // namespace

App::App(ConfigPtr config, HandlerRegistry handlers)
    : config_(std::move(config)),
      bot_{std::string(version), std::chrono::system_clock::now()},
      store_(open_database(config_->store)),
      handlers_(std::move(handlers)),
      http_(std::make_unique<integrations::CurlClient>()),
      backends_(std::make_unique<Backends>(*config_, *http_)),
      alert_store_(make_alert_store(*config_)),
      alert_log_(alert_store_ ? std::make_unique<PooledAlertLog>(*alert_store_) : nullptr),
      dispatcher_(std::make_unique<Dispatcher>(config_, *store_, bot_, handlers_, metrics_, clients_with_alerts())),
      replays_(config_->slack.timestamp_tolerance, config_->server.max_replay_signatures),
      grafana_replays_(
          grafana_replay_memory(config_->slack.timestamp_tolerance, config_->alerts.grafana_replay_window),
          config_->server.max_replay_signatures) {}

App::~App() = default;

std::unique_ptr<AlertStore> App::make_alert_store(const Config& config) {
    if (!config.alerts.enabled) return nullptr;
    return open_alert_store(config.store, config.alerts.max_firing);
}

void App::redirect_sns_for_tests(std::string base, std::string_view ca_pem) {
    if (!sns_) sns_ = std::make_unique<SnsClient>(*http_);
    sns_->redirect_for_tests(std::move(base), SnsTrust::from_pem(ca_pem));
}

Clients App::clients_with_alerts() const {
    Clients clients = backends_->clients();
    clients.alerts = alert_log_.get();
    return clients;
}

std::uint16_t App::start(asio::io_context& io, asio::io_context& background) {
    services_ = std::make_unique<Services>(Services{config_, *store_, metrics_, *dispatcher_, *http_, replays_,
                                                    grafana_replays_, io.get_executor(), nullptr});
    auto body_limit_for = [server = config_->server](std::string_view target) {
        return body_limit_for_target(server, target);
    };
    server_ = std::make_unique<HttpServer>(
        io, config_->server, [services = services_.get()](HttpIn in) { return route_request(*services, std::move(in)); },
        std::move(body_limit_for));
    services_->server = server_.get();
    if (alert_store_ || !config_->slack.bot_token.empty()) {
        bot::SlackWebApiOptions slack{config_->slack.api_url, config_->slack.bot_token,
                                               config_->alerts.post_interval};
        chat_poster_ = std::make_unique<bot::SlackWebApi>(*http_, std::move(slack));
    }
    // Jobs post and edit their own message with the bot token; without one,
    // through the command's response_url.
    clients_ = clients_with_alerts();
    job_messenger_ = std::make_unique<SlackJobMessenger>(
        config_->slack.bot_token.empty() ? nullptr : chat_poster_.get(), *http_);
    jobs_ = std::make_unique<JobRunner>(background.get_executor(), *store_,
                                        JobContext{*config_, clients_, store_.get()}, job_messenger_.get(),
                                        JobRunnerOptions{.owner = replica_name(*config_),
                                                         .lease = config_->store.lease,
                                                         .takeover_scan = config_->store.lease / 3});
    for (JobKind* kind : handlers::job_kinds()) jobs_->add_kind(*kind);
    services_->jobs = jobs_.get();
    dispatcher_->set_jobs(jobs_.get());
    jobs_->start();  // resumes what a stop or a crash left unfinished
    replica_watch_ =
        std::make_unique<ReplicaWatch>(background.get_executor(), *config_, *store_, replica_name(*config_));
    replica_watch_->start();
    // Digests are posted as jobs, in their channel: that needs the bot token.
    if (!config_->slack.bot_token.empty()) {
        digests_ = std::make_unique<DigestScheduler>(
            background.get_executor(), *config_, *store_, *jobs_,
            Leadership(store_.get(), "digests", replica_name(*config_), config_->store.lease));
        digests_->start();
    } else if (!config_->digests.schedules.empty()) {
        spdlog::warn("digests: {} scheduled in the config, but none is posted without slack.bot_token",
                     config_->digests.schedules.size());
    }
    if ((clients_.node_groups || clients_.hyperpod) && config_->digests.capacity_interval.count() > 0) {
        capacity_ = std::make_unique<CapacitySampler>(
            background.get_executor(), *config_, clients_, *store_,
            Leadership(store_.get(), "capacity", replica_name(*config_), config_->store.lease));
        capacity_->start();
    }
    if (alert_store_) {
        ActionSigner signer = [dispatcher = dispatcher_.get(), ttl = config_->alerts.action_ttl](
                                  const std::string& command, const std::string& channel) {
            return dispatcher->sign_action(command, channel, ttl);
        };
        alert_capacity_ = std::make_unique<AlertCapacity>(clients_with_alerts(), *config_, std::move(signer));
        alert_poster_ = std::make_unique<AlertPoster>(
            background.get_executor(), *alert_store_, *chat_poster_, metrics_, alert_capacity_.get(),
            std::chrono::seconds(1), alerts::AlertLanes{store_.get(), replica_name(*config_)});
        alert_intake_ = std::make_unique<AlertIntake>(*alert_store_, config_->alerts,
                                                      [poster = alert_poster_.get()] { poster->wake(); });
        services_->alerts = alert_intake_.get();
        if (!sns_) sns_ = std::make_unique<SnsClient>(*http_);
        services_->sns = sns_.get();
        // Picks up what was accepted but not yet posted before a restart.
        alert_poster_->start();
    }
    return server_->start();
}

void App::drain(asio::io_context& io) {
    server_->stop_accepting();
    if (alert_poster_) alert_poster_->stop();  // no new Slack calls; pending ones resume after restart
    if (digests_) digests_->stop();  // a firing not yet claimed is claimed after the restart
    if (capacity_) capacity_->stop();
    if (replica_watch_) replica_watch_->stop();
    asio::co_spawn(
        io,
        [this, &io]() -> asio::awaitable<void> {
            const auto deadline = std::chrono::steady_clock::now() + config_->server.shutdown_grace;
            // Steps in flight finish and are committed; the rest wait in the store.
            if (jobs_) co_await jobs_->stop();
            asio::steady_timer timer(io);
            while ((server_->requests_in_flight() > 0 || metrics_.jobs_in_flight() > 0) &&
                   std::chrono::steady_clock::now() < deadline) {
                timer.expires_after(std::chrono::milliseconds(25));
                co_await timer.async_wait(asio::use_awaitable);
            }
            if (server_->requests_in_flight() > 0 || metrics_.jobs_in_flight() > 0)
                spdlog::warn("shutdown grace ran out with {} requests and {} follow-ups unfinished",
                             server_->requests_in_flight(), metrics_.jobs_in_flight());
            io.stop();
        },
        asio::detached);
}

int App::serve() {
    const int threads = std::max(1, config_->server.threads);
    asio::io_context io(threads);
    asio::io_context background(1);
    auto background_busy = asio::make_work_guard(background);
    const auto port = start(io, background);
    spdlog::info("hpops {} listening on {}://{}:{} with {} threads, store {}", version,
                 config_->server.tls_cert_file.empty() ? "http" : "https", config_->server.host, port, threads,
                 store_->describe());
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& ec, int signal) {
        if (ec) return;
        spdlog::info("signal {}: draining", signal);
        drain(io);
    });
    std::vector<std::thread> pool;
    pool.emplace_back([&background] { background.run(); });
    for (int i = 1; i < threads; ++i) pool.emplace_back([&io] { io.run(); });
    io.run();
    // drain() stopped the background work before it stopped `io`.
    background_busy.reset();
    background.stop();
    for (auto& thread : pool) thread.join();
    // While `io` and `background` still exist: the server's destructor posts
    // to `io`, the alert intake's writer may wake the poster, the poster's
    // timers belong to `background`, and a Slack call still in flight
    // completes onto it. Unposted alert messages stay in the store for the
    // next start.
    server_.reset();
    digests_.reset();  // its strand and timer belong to `background`
    capacity_.reset();
    replica_watch_.reset();
    jobs_.reset();
    alert_intake_.reset();
    alert_poster_.reset();
    http_.reset();
    spdlog::info("stopped");
    return 0;
}

}  // namespace hpops::bot
