#include "alerts/alert_intake.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

namespace hpops::alerts {
namespace asio = boost::asio;

namespace {

// Runs on the writer thread; parameters by value, as the work outlives nothing
// but must not depend on the caller's frame.
asio::awaitable<IntakeResult> persist_on_writer(std::function<IntakeResult()> work) { co_return work(); }

}  // namespace

AlertIntake::AlertIntake(AlertStore& store, const AlertsConfig& config, std::function<void()> on_stored)
    : store_(store),
      flood_{config.flood_max_new, config.flood_window},
      router_(config),
      limit_(config.queue_limit),
      on_stored_(std::move(on_stored)),
      retention_(config.retention) {}

AlertIntake::~AlertIntake() { writer_.join(); }

std::vector<RoutedAlert> AlertIntake::route(std::vector<Alert> alerts) const {
    std::vector<RoutedAlert> routed;
    routed.reserve(alerts.size());
    for (Alert& a : alerts) {
        std::string channel = router_.channel_for(a);
        routed.push_back({std::move(a), std::move(channel)});
    }
    return routed;
}

IntakeResult AlertIntake::persist(const std::vector<RoutedAlert>& routed) {
    IntakeResult result;
    const auto now = std::chrono::system_clock::now();
    try {
        result.counts = store_.accept(routed, flood_, now);
    } catch (const std::exception& e) {
        result.outcome = IntakeOutcome::store_failed;
        result.error = e.what();
        return result;
    }
    if (result.counts.dropped > 0)
        spdlog::warn("alerts: forgot the {} oldest firing alerts to stay within alerts.max_firing",
                     result.counts.dropped);
    if (on_stored_ && (result.counts.fresh > 0 || result.counts.changed > 0)) on_stored_();
    if (now - last_purge_ >= std::chrono::hours(1)) {
        last_purge_ = now;
        // Queued behind this payload on the writer thread, so its answer does not wait for the purge.
        asio::post(writer_, [this, cutoff = now - retention_] {
            try {
                if (const std::size_t purged = store_.purge_resolved(cutoff))
                    spdlog::info("alerts: forgot {} alerts resolved more than {} h ago", purged, retention_.count());
            } catch (const std::exception& e) {
                // Nothing is lost: the purge runs again an hour later.
                spdlog::warn("alerts: purging old resolved alerts failed: {}", e.what());
            }
        });
    }
    return result;
}

IntakeResult AlertIntake::submit_now(std::vector<Alert> alerts) { return persist(route(std::move(alerts))); }

asio::awaitable<IntakeResult> AlertIntake::submit(std::vector<Alert> alerts) {
    // Routing (regexes) runs here, on the server's threads; only the write is serial.
    auto routed = std::make_shared<std::vector<RoutedAlert>>(route(std::move(alerts)));
    if (queued_.fetch_add(1, std::memory_order_acq_rel) >= limit_) {
        queued_.fetch_sub(1, std::memory_order_acq_rel);
        co_return IntakeResult{IntakeOutcome::overloaded, {}, "intake queue full"};
    }
    std::function<IntakeResult()> work = [this, routed] { return persist(*routed); };
    auto task = asio::co_spawn(writer_.get_executor(), persist_on_writer(std::move(work)), asio::use_awaitable);
    IntakeResult result;
    try {
        result = co_await std::move(task);
    } catch (const std::exception& e) {
        result = IntakeResult{IntakeOutcome::store_failed, {}, e.what()};
    }
    queued_.fetch_sub(1, std::memory_order_acq_rel);
    co_return result;
}

}  // namespace hpops::alerts
