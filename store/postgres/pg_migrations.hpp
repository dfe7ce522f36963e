#pragma once
// The PostgreSQL side of store/migrations.cpp: the same numbered list, in
// PostgreSQL's dialect, applied by whichever replica gets there first. Each
// migration is one transaction holding a transaction-scoped advisory lock, so
// replicas starting together apply each exactly once and the others wait,
// then find it done.
#include <memory>

#include "store/postgres/pg_pool.hpp"

namespace hpops::store::pg {

class Connection;

// The database was migrated by a newer hpops: its tables may mean what this
// version does not know, so hpops refuses to start rather than retry.
class NewerSchemaError : public Error {
public:
    using Error::Error;
};

int latest_schema_version();
// Throws when the database was migrated by a newer hpops (refuse to start:
// its tables may mean something this version does not know).
void migrate(Connection& connection);
// 0 before the first migration.
int schema_version(Connection& connection);

// A pool whose first connection brings the database up to date. It connects
// once now: a database from a newer hpops throws NewerSchemaError (refuse to
// start); an unreachable one is logged and retried on use (hpops runs, not
// ready, until the database answers).
std::unique_ptr<Pool> open_migrated_pool(PoolSettings settings);

}  // namespace hpops::store::pg
