// SqliteStore's CapacitySampleStore half: the capacity_samples table (migration 5).
#include "store/row_readers.hpp"
#include "store/sqlite_statement.hpp"
#include "store/sqlite_store.hpp"

#include <sqlite3.h>

namespace hpops::store {
namespace {

// Where a failing statement's error says it failed.
constexpr std::string_view table = "capacity samples";

// OR IGNORE: the key (slot, region, kind, cluster, group) is taken by whoever
// sampled the slot first; a second replica's sample changes nothing.
constexpr const char* sql_record_sample =
    "INSERT OR IGNORE INTO capacity_samples (slot_unix_ms, interval_ms, region, kind, cluster, group_name,"
    " instance_type, count) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
constexpr const char* sql_slot_sampled = "SELECT 1 FROM capacity_samples WHERE slot_unix_ms = ?1 LIMIT 1";
constexpr const char* sql_list_samples =
    "SELECT slot_unix_ms, interval_ms, region, kind, cluster, group_name, instance_type, count FROM capacity_samples"
    " WHERE slot_unix_ms >= ?1 AND slot_unix_ms < ?2 AND (?3 = '' OR group_name = ?3)"
    " ORDER BY slot_unix_ms, region, kind, cluster, group_name";
constexpr const char* sql_prune = "DELETE FROM capacity_samples WHERE slot_unix_ms < ?1";

}  // namespace

int SqliteStore::record_capacity(const std::vector<CapacitySample>& samples) {
    std::lock_guard lock(mutex_);
    int added = 0;
    run_sql("BEGIN IMMEDIATE", "begin capacity samples");
    try {
        for (const auto& s : samples) {
            StatementUse q(db_.get(), statement(sql_record_sample), table, "record capacity sample");
            q.bind(1, s.slot_unix_ms).bind(2, s.interval_ms).bind(3, s.region).bind(4, s.kind).bind(5, s.cluster);
            q.bind(6, s.group).bind(7, s.instance_type).bind(8, static_cast<std::int64_t>(s.count)).step();
            added += sqlite3_changes(db_.get());
        }
        run_sql("COMMIT", "commit capacity samples");
    } catch (...) {
        sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
    return added;
}

bool SqliteStore::capacity_slot_sampled(std::int64_t slot_unix_ms) const {
    std::lock_guard lock(mutex_);
    StatementUse q(db_.get(), statement(sql_slot_sampled), table, "find capacity slot");
    return q.bind(1, slot_unix_ms).step();
}

std::vector<CapacitySample> SqliteStore::capacity_samples(std::int64_t since_unix_ms, std::int64_t until_unix_ms,
                                                          const std::string& group) const {
    std::lock_guard lock(mutex_);
    StatementUse q(db_.get(), statement(sql_list_samples), table, "list capacity samples");
    q.bind(1, since_unix_ms).bind(2, until_unix_ms).bind(3, group);
    std::vector<CapacitySample> out;
    while (q.step()) out.push_back(capacity_sample_from_row(q));
    return out;
}

int SqliteStore::prune_capacity_samples(std::int64_t before_unix_ms) {
    std::lock_guard lock(mutex_);
    StatementUse q(db_.get(), statement(sql_prune), table, "prune capacity samples");
    q.bind(1, before_unix_ms).step();
    return sqlite3_changes(db_.get());
}

}  // namespace hpops::store
