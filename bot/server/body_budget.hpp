#pragma once
#include <atomic>
#include <cstddef>

namespace hpops::bot {

// Request body bytes being read and handled at once, across all connections.
// Without it, every connection could hold a body up to its route's limit
// before any route checked who sent it: 1,000 connections times 16 MiB.
// A body is charged before it is read when it declares its length, as its
// chunks arrive when it is chunked, and given back when its request has been
// answered.
class BodyBudget {
public:
    explicit BodyBudget(std::size_t limit) : limit_(limit) {}

    // What one request holds; gives it back when destroyed. The budget must
    // outlive it.
    class Charge {
    public:
        explicit Charge(BodyBudget& budget) : budget_(budget) {}
        Charge(const Charge&) = delete;
        Charge& operator=(const Charge&) = delete;
        ~Charge() { budget_.used_.fetch_sub(bytes_, std::memory_order_relaxed); }

        // False, and nothing charged, when `more` bytes would pass the budget.
        bool add(std::size_t more) {
            std::size_t used = budget_.used_.load(std::memory_order_relaxed);
            do {
                if (more > budget_.limit_ - used) return false;
            } while (!budget_.used_.compare_exchange_weak(used, used + more, std::memory_order_relaxed));
            bytes_ += more;
            return true;
        }

    private:
        BodyBudget& budget_;
        std::size_t bytes_ = 0;
    };

    std::size_t in_use() const { return used_.load(std::memory_order_relaxed); }

private:
    const std::size_t limit_;
    std::atomic<std::size_t> used_{0};
};

}  // namespace hpops::bot
