#pragma once
// A fixed number of PostgreSQL connections shared by the server's threads.
// A caller leases one for a call or a transaction and gives it back on scope
// exit. While the database is unreachable, connecting is retried with a
// growing pause (100 ms doubling to 5 s) and calls in between fail at once
// instead of each waiting out a connect timeout: the chat gets "store
// unavailable" in milliseconds, and /readyz says not ready.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "store/postgres/pg_connection.hpp"

namespace hpops::store::pg {

struct PoolSettings {
    ConnectSettings connect;
    std::size_t size = 4;
    std::chrono::milliseconds acquire_timeout{5000};  // all connections busy
    std::chrono::milliseconds first_backoff{100};
    std::chrono::milliseconds max_backoff{5000};
};

class Pool;

class Lease {
public:
    Lease(Pool& pool, std::unique_ptr<Connection> connection) : pool_(&pool), connection_(std::move(connection)) {}
    ~Lease();
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Connection& operator*() const { return *connection_; }
    Connection* operator->() const { return connection_.get(); }

private:
    Pool* pool_;
    std::unique_ptr<Connection> connection_;
};

class Pool {
public:
    using Clock = std::chrono::steady_clock;
    // `on_connect` runs on each new connection before it is leased (the
    // store's migrations, once); when it throws, the connection is dropped.
    explicit Pool(PoolSettings settings, std::function<void(Connection&)> on_connect = {});

    // Throws UpstreamError("store", "Unreachable") when no connection can be had.
    Lease lease();
    const PoolSettings& settings() const { return settings_; }

private:
    friend class Lease;
    void give_back(std::unique_ptr<Connection> connection);
    std::unique_ptr<Connection> connect();

    PoolSettings settings_;
    std::function<void(Connection&)> on_connect_;
    std::mutex mutex_;
    std::condition_variable returned_;
    std::vector<std::unique_ptr<Connection>> idle_;
    std::size_t open_ = 0;  // idle + leased + being connected
    std::chrono::milliseconds backoff_{0};
    Clock::time_point next_attempt_{};
    std::string last_error_;
};

}  // namespace hpops::store::pg
