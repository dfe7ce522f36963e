#include "store/pooled_alert_log.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace hpops::store {
namespace asio = boost::asio;

namespace {

// Runs on the pool; parameters by value, as the caller's frame may be gone.
asio::awaitable<std::vector<StoredAlert>> list_on_pool(const AlertStore& store, std::optional<AlertStatus> status,
                                                       std::int64_t since, std::size_t limit) {
    co_return store.list_alerts(status, since, limit);
}

}  // namespace

PooledAlertLog::~PooledAlertLog() { pool_.join(); }

asio::awaitable<std::vector<StoredAlert>> PooledAlertLog::list_alerts(std::optional<AlertStatus> status,
                                                                      std::int64_t since, std::size_t limit) const {
    auto task = asio::co_spawn(pool_.get_executor(), list_on_pool(store_, status, since, limit), asio::use_awaitable);
    co_return co_await std::move(task);
}

}  // namespace hpops::store
