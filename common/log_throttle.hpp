#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>

namespace hpops {

// Lets a repeated log line through at most once per interval and counts the
// ones held back, so a flood of one failure costs a line a second, not disk
// and CPU: at the fd limit, `accept failed` was logged 140 MB in 5 s (issue 11).
// Safe from any thread.
class LogThrottle {
public:
    explicit LogThrottle(std::chrono::steady_clock::duration interval = std::chrono::seconds(1))
        : interval_(interval.count()) {}

    // When this line may be logged: how many were held back since the last
    // one that was. Empty: drop it.
    std::optional<std::uint64_t> allow(std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now()) {
        const auto at = now.time_since_epoch().count();
        auto next = next_.load(std::memory_order_relaxed);
        if (at < next || !next_.compare_exchange_strong(next, at + interval_, std::memory_order_relaxed)) {
            suppressed_.fetch_add(1, std::memory_order_relaxed);
            return std::nullopt;
        }
        return suppressed_.exchange(0, std::memory_order_relaxed);
    }

private:
    const std::chrono::steady_clock::rep interval_;
    std::atomic<std::chrono::steady_clock::rep> next_{std::numeric_limits<std::chrono::steady_clock::rep>::min()};
    std::atomic<std::uint64_t> suppressed_{0};
};

}  // namespace hpops
