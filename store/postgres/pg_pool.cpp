#include "store/postgres/pg_pool.hpp"

#include <algorithm>

namespace hpops::store::pg {

Lease::~Lease() {
    if (pool_ && connection_) pool_->give_back(std::move(connection_));
}

Pool::Pool(PoolSettings settings, std::function<void(Connection&)> on_connect)
    : settings_(std::move(settings)), on_connect_(std::move(on_connect)) {}

Lease Pool::lease() {
    std::unique_lock lock(mutex_);
    const auto deadline = Clock::now() + settings_.acquire_timeout;
    for (;;) {
        if (!idle_.empty()) {
            auto connection = std::move(idle_.back());
            idle_.pop_back();
            return Lease(*this, std::move(connection));
        }
        if (open_ < settings_.size) break;
        if (returned_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
            open_ >= settings_.size)
            raise("postgres: all " + std::to_string(settings_.size) + " connections busy for " +
                      std::to_string(settings_.acquire_timeout.count()) + " ms",
                  "53300");
    }
    if (Clock::now() < next_attempt_)
        raise("postgres unreachable (" + last_error_ + "); retrying", "08001");
    ++open_;
    lock.unlock();
    try {
        auto connection = connect();
        lock.lock();
        backoff_ = std::chrono::milliseconds{0};
        return Lease(*this, std::move(connection));
    } catch (const std::exception& e) {
        lock.lock();
        --open_;
        backoff_ = std::clamp(backoff_ * 2, settings_.first_backoff, settings_.max_backoff);
        next_attempt_ = Clock::now() + backoff_;
        last_error_ = e.what();
        returned_.notify_one();
        throw;
    }
}

std::unique_ptr<Connection> Pool::connect() {
    auto connection = std::make_unique<Connection>(settings_.connect);
    if (on_connect_) on_connect_(*connection);
    return connection;
}

void Pool::give_back(std::unique_ptr<Connection> connection) {
    // A connection left in a transaction (a caller threw before ROLLBACK
    // could run) or broken is closed, not reused.
    const bool keep = connection->usable();
    if (!keep) connection.reset();
    std::lock_guard lock(mutex_);
    if (keep) idle_.push_back(std::move(connection));
    else --open_;
    returned_.notify_one();
}

}  // namespace hpops::store::pg
