#pragma once
// The store the config names: PostgreSQL when store.url (or HPOPS_STORE_URL)
// is set, for several replicas on one database; else the SQLite file at
// store.path, the embedded default for one process.
#include <memory>

#include "hpops/alert_store.hpp"
#include "hpops/config.hpp"
#include "store/database.hpp"

namespace hpops::bot {

std::unique_ptr<store::Database> open_database(const StoreConfig& config);
std::unique_ptr<AlertStore> open_alert_store(const StoreConfig& config, std::size_t max_firing);

}  // namespace hpops::bot
