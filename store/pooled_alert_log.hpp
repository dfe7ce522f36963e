#pragma once
#include <boost/asio/thread_pool.hpp>

#include "hpops/alert_store.hpp"

namespace hpops::store {

// What handlers read (`/hp alerts`): the store's listings, run on a thread of
// their own and awaited, so a slow one blocks neither a server thread nor,
// on the store's read-only connection, alert intake.
class PooledAlertLog final : public AlertLog {
public:
    explicit PooledAlertLog(const AlertStore& store) : store_(store) {}
    ~PooledAlertLog() override;

    boost::asio::awaitable<std::vector<StoredAlert>> list_alerts(std::optional<AlertStatus> status,
                                                                 std::int64_t since_unix_ms,
                                                                 std::size_t limit) const override;

private:
    const AlertStore& store_;
    // One thread: listings are rare, and one connection serves them in turn.
    mutable boost::asio::thread_pool pool_{1};
};

}  // namespace hpops::store
