// SqliteStore's LeaseStore half: the leases table (migration 6), judged by
// the store's clock (one host: every process on the file shares it).
#include "store/sqlite_statement.hpp"
#include "store/sqlite_store.hpp"

#include <sqlite3.h>

namespace hpops::store {
namespace {

// A free or expired lease is taken, the holder's own renewed; the token
// grows only when the lease changes hands. No row back: another holds it.
constexpr const char* sql_claim =
    "INSERT INTO leases (name, owner, until_unix_ms, fence) VALUES (?1, ?2, ?3 + ?4, 1)"
    " ON CONFLICT (name) DO UPDATE SET owner = ?2, until_unix_ms = ?3 + ?4,"
    " fence = leases.fence + CASE WHEN leases.owner = ?2 THEN 0 ELSE 1 END"
    " WHERE leases.owner = ?2 OR leases.until_unix_ms <= ?3 RETURNING fence";
constexpr const char* sql_release = "UPDATE leases SET until_unix_ms = 0 WHERE name = ?1 AND owner = ?2";

}  // namespace

std::int64_t SqliteStore::claim_lease(const std::string& name, const std::string& owner,
                                      std::chrono::milliseconds ttl) {
    std::lock_guard lock(mutex_);
    StatementUse q(db_.get(), statement(sql_claim), "leases", "claim lease");
    q.bind(1, name).bind(2, owner);
    q.bind(3, std::chrono::duration_cast<std::chrono::milliseconds>(clock_().time_since_epoch()).count());
    q.bind(4, static_cast<std::int64_t>(ttl.count()));
    return q.step() ? q.integer(0) : 0;
}

void SqliteStore::release_lease(const std::string& name, const std::string& owner) {
    std::lock_guard lock(mutex_);
    StatementUse(db_.get(), statement(sql_release), "leases", "release lease").bind(1, name).bind(2, owner).step();
}

}  // namespace hpops::store
