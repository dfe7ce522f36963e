// PostgresStore's ReplicaStore half: the replicas table (migration 7), judged
// by the database's clock.
#include "store/postgres/postgres_store.hpp"

namespace hpops::store {
namespace {

using pg::Params;

#define HPOPS_DB_NOW_MS "(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT"
constexpr const char* sql_announce =
    "INSERT INTO replicas (name, config, seen_unix_ms) VALUES ($1, $2, " HPOPS_DB_NOW_MS ")"
    " ON CONFLICT (name) DO UPDATE SET config = $2, seen_unix_ms = " HPOPS_DB_NOW_MS;
constexpr const char* sql_others = "SELECT name, config, seen_unix_ms FROM replicas WHERE name <> $1"
    " AND seen_unix_ms >= " HPOPS_DB_NOW_MS " - $2 ORDER BY name";
#undef HPOPS_DB_NOW_MS
constexpr const char* sql_forget = "DELETE FROM replicas WHERE name = $1";

}  // namespace

std::vector<ReplicaSeen> PostgresStore::announce_replica(const std::string& name, const std::string& config,
                                                         std::chrono::milliseconds within) {
    auto c = lease();
    c->exec(sql_announce, Params().add(name).add(config), "announce replica");
    const auto q = c->exec(sql_others, Params().add(name).add(static_cast<std::int64_t>(within.count())), "read replicas");
    std::vector<ReplicaSeen> out;
    for (int i = 0; i < q.rows(); ++i) out.push_back(ReplicaSeen{q.text(i, 0), q.text(i, 1), q.integer(i, 2)});
    return out;
}

void PostgresStore::forget_replica(const std::string& name) {
    auto c = lease();
    c->exec(sql_forget, Params().add(name), "forget replica");
}

}  // namespace hpops::store
