#pragma once
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "alerts/alert_capacity.hpp"
#include "common/metrics.hpp"
#include "hpops/alert_store.hpp"
#include "hpops/chat_poster.hpp"
#include "hpops/leases.hpp"

namespace hpops::alerts {

// Posts and updates alert messages from the store: one lane per channel, in
// message order; a lane stays on a message until Slack takes it or refuses it
// for good. Works only from the store, so what was accepted before a restart
// is posted after it. Replicas sharing a store take turns per channel: a
// lane runs only while its replica holds the channel's lease, so each
// message is posted and edited by one of them, in order.
// Who holds a channel's lane, when replicas share the store.
struct AlertLanes {
    LeaseStore* leases = nullptr;  // null: one process, no leases taken
    std::string owner;
    std::chrono::milliseconds lease{60'000};  // beyond the longest retry backoff (30 s)
};

class AlertPoster {
public:

    // `capacity` may be null (no AWS, or no enrichment wanted).
    AlertPoster(boost::asio::any_io_executor executor, AlertStore& store, ChatPoster& chat, Metrics& metrics,
                AlertCapacity* capacity = nullptr, std::chrono::milliseconds scan_interval = std::chrono::seconds(1),
                AlertLanes lanes = {});

    void start();
    void wake();  // thread-safe; called after an accept
    void stop();

    // True when Slack's error will not go away by retrying the same message.
    static bool permanent_error(std::string_view code);

private:
    boost::asio::awaitable<void> scan_loop();
    boost::asio::awaitable<void> lane(std::string channel);
    bool hold_lane(const std::string& channel);  // takes or renews the channel's lease
    void let_lane_go(const std::string& channel);
    // True when the message is done with (on Slack, or refused for good).
    boost::asio::awaitable<bool> deliver(PendingMessage message);

    boost::asio::strand<boost::asio::any_io_executor> strand_;
    AlertStore& store_;
    ChatPoster& chat_;
    Metrics& metrics_;
    AlertCapacity* capacity_;
    std::chrono::milliseconds scan_interval_;
    AlertLanes lanes_;
    boost::asio::steady_timer wake_timer_;
    std::atomic<bool> stopped_{false};
    std::mutex mutex_;
    std::set<std::string> active_lanes_;
};

}  // namespace hpops::alerts
