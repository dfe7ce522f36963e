// SqliteStore's ReplicaStore half: the replicas table (migration 7), judged
// by the store's clock.
#include "store/sqlite_statement.hpp"
#include "store/sqlite_store.hpp"

#include <sqlite3.h>

namespace hpops::store {
namespace {

constexpr const char* sql_announce =
    "INSERT INTO replicas (name, config, seen_unix_ms) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (name) DO UPDATE SET config = ?2, seen_unix_ms = ?3";
constexpr const char* sql_others =
    "SELECT name, config, seen_unix_ms FROM replicas WHERE name <> ?1 AND seen_unix_ms >= ?2 ORDER BY name";
constexpr const char* sql_forget = "DELETE FROM replicas WHERE name = ?1";

}  // namespace

std::vector<ReplicaSeen> SqliteStore::announce_replica(const std::string& name, const std::string& config,
                                                       std::chrono::milliseconds within) {
    std::lock_guard lock(mutex_);
    const std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(clock_().time_since_epoch()).count();
    StatementUse(db_.get(), statement(sql_announce), "replicas", "announce replica")
        .bind(1, name).bind(2, config).bind(3, now).step();
    StatementUse q(db_.get(), statement(sql_others), "replicas", "read replicas");
    q.bind(1, name).bind(2, now - static_cast<std::int64_t>(within.count()));
    std::vector<ReplicaSeen> out;
    while (q.step()) out.push_back(ReplicaSeen{q.text(0), q.text(1), q.integer(2)});
    return out;
}

void SqliteStore::forget_replica(const std::string& name) {
    std::lock_guard lock(mutex_);
    StatementUse(db_.get(), statement(sql_forget), "replicas", "forget replica").bind(1, name).step();
}

}  // namespace hpops::store
