// PostgresStore's LeaseStore half: the leases table (migration 6), judged by
// the database's clock, the one clock every replica shares.
#include "store/postgres/postgres_store.hpp"

namespace hpops::store {
namespace {

using pg::Params;

#define HPOPS_DB_NOW_MS "(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT"
// A free or expired lease is taken, the holder's own renewed; the token
// grows only when the lease changes hands. No row back: another holds it.
constexpr const char* sql_claim =
    "INSERT INTO leases (name, owner, until_unix_ms, fence) VALUES ($1, $2, " HPOPS_DB_NOW_MS " + $3, 1)"
    " ON CONFLICT (name) DO UPDATE SET owner = $2, until_unix_ms = " HPOPS_DB_NOW_MS " + $3,"
    " fence = leases.fence + CASE WHEN leases.owner = $2 THEN 0 ELSE 1 END"
    " WHERE leases.owner = $2 OR leases.until_unix_ms <= " HPOPS_DB_NOW_MS " RETURNING fence";
#undef HPOPS_DB_NOW_MS
constexpr const char* sql_release = "UPDATE leases SET until_unix_ms = 0 WHERE name = $1 AND owner = $2";

}  // namespace

std::int64_t PostgresStore::claim_lease(const std::string& name, const std::string& owner,
                                        std::chrono::milliseconds ttl) {
    auto c = lease();
    const auto q =
        c->exec(sql_claim, Params().add(name).add(owner).add(static_cast<std::int64_t>(ttl.count())), "claim lease");
    return q.empty() ? 0 : q.integer(0, 0);
}

void PostgresStore::release_lease(const std::string& name, const std::string& owner) {
    auto c = lease();
    c->exec(sql_release, Params().add(name).add(owner), "release lease");
}

}  // namespace hpops::store
