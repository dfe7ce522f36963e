#pragma once
#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include "alerts/alert_router.hpp"
#include "hpops/alert_store.hpp"
#include "hpops/config.hpp"

namespace hpops::alerts {

enum class IntakeOutcome { stored, overloaded, store_failed };

struct IntakeResult {
    IntakeOutcome outcome = IntakeOutcome::stored;
    AcceptCounts counts;
    std::string error;  // for store_failed: what the store said (logged, not sent)
};

// Routes a payload's alerts and persists them before the receiver answers.
// Writes go through one writer thread with a bounded queue of payloads: when
// it is full the receiver answers 503 at once, so Alertmanager retries later
// instead of the server stalling every connection on the store.
class AlertIntake {
public:
    AlertIntake(AlertStore& store, const AlertsConfig& config, std::function<void()> on_stored);
    ~AlertIntake();

    boost::asio::awaitable<IntakeResult> submit(std::vector<Alert> alerts);
    // The same, on the calling thread (tests, the benchmark's in-process path).
    IntakeResult submit_now(std::vector<Alert> alerts);

    std::size_t queued() const { return queued_.load(std::memory_order_relaxed); }
    // True when a payload would be refused now: receivers check it before
    // parsing, so a burst's surplus costs little more than its bytes.
    bool saturated() const { return queued() >= limit_; }

private:
    std::vector<RoutedAlert> route(std::vector<Alert> alerts) const;
    IntakeResult persist(const std::vector<RoutedAlert>& routed);

    AlertStore& store_;
    FloodPolicy flood_;
    AlertRouter router_;
    std::size_t limit_;
    std::function<void()> on_stored_;
    std::atomic<std::size_t> queued_{0};
    // Resolved alerts older than this are purged, at most hourly, on the
    // writer thread after a payload: nothing changes while nothing arrives.
    std::chrono::hours retention_;
    std::chrono::system_clock::time_point last_purge_{};  // persist() only, one payload at a time
    boost::asio::thread_pool writer_{1};
};

}  // namespace hpops::alerts
