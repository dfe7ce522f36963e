#include "bot/open_store.hpp"

#include <stdexcept>

#include "store/postgres/postgres_alert_store.hpp"
#include "store/postgres/postgres_store.hpp"
#include "store/sqlite_alert_store.hpp"
#include "store/sqlite_store.hpp"

namespace hpops::bot {
namespace {

store::pg::PoolSettings pool_settings(const StoreConfig& config) {
    if (!config.url.starts_with("postgres://") && !config.url.starts_with("postgresql://"))
        throw std::runtime_error("store.url (or HPOPS_STORE_URL) must be a postgres:// or postgresql:// URL");
    store::pg::PoolSettings settings;
    settings.connect.url = config.url;
    settings.connect.statement_timeout_ms = static_cast<int>(config.statement_timeout.count());
    settings.size = static_cast<std::size_t>(config.pool_size);
    return settings;
}

}  // namespace

std::unique_ptr<store::Database> open_database(const StoreConfig& config) {
    if (!config.url.empty()) return std::make_unique<store::PostgresStore>(pool_settings(config));
    return std::make_unique<store::SqliteStore>(config.path, &std::chrono::system_clock::now, config.synchronous);
}

std::unique_ptr<AlertStore> open_alert_store(const StoreConfig& config, std::size_t max_firing) {
    if (!config.url.empty()) return std::make_unique<store::PostgresAlertStore>(pool_settings(config), max_firing);
    return std::make_unique<store::SqliteAlertStore>(config.path, max_firing, config.synchronous);
}

}  // namespace hpops::bot
