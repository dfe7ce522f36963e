#pragma once
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "hpops/alert_store.hpp"
#include "store/sqlite_store.hpp"

namespace hpops::store {

// The SQL of a listing with and without a status filter, for EXPLAIN QUERY
// PLAN in tests.
const char* alert_list_sql(bool by_status);

// The alert tables, on their own connection to the store's SQLite file (WAL
// lets both connections work on it). The alert tables keep their own schema
// version, so they evolve without renumbering the main store's migrations.
// Listings read on a third, read-only connection with its own lock, so a
// long one never holds up intake.
class SqliteAlertStore final : public AlertStore {
public:
    // Beyond `max_firing` firing alerts the oldest are dropped (alerts.max_firing).
    // `synchronous` is store.synchronous: with full, an alert answered 200 is
    // on disk, as Alertmanager takes that answer to mean.
    explicit SqliteAlertStore(const std::string& path, std::size_t max_firing = 100'000,
                              Synchronous synchronous = Synchronous::full);
    ~SqliteAlertStore() override;

    AcceptCounts accept(const std::vector<RoutedAlert>& batch, const FloodPolicy& flood,
                        std::chrono::system_clock::time_point now) override;
    std::vector<std::string> channels_with_pending() const override;
    std::optional<PendingMessage> next_pending(const std::string& channel, std::size_t alert_limit) const override;
    void mark_posted(std::int64_t id, std::int64_t version, const std::string& posted_channel,
                     const std::string& ts) override;
    void mark_failed(std::int64_t id, std::int64_t version, const std::string& error) override;
    std::size_t purge_resolved(std::chrono::system_clock::time_point resolved_before) override;
    std::vector<StoredAlert> list_alerts(std::optional<AlertStatus> status, std::int64_t since_unix_ms,
                                         std::size_t limit) const override;

    // SQLite's own answer to PRAGMA synchronous on the writing connection
    // (2: FULL, 1: NORMAL), for tests and status.
    int synchronous_level() const;

private:
    class Rows;  // what accept_batch (store/alert_intake) reads and writes
    sqlite3_stmt* statement(const char* sql) const;  // caller holds mutex_
    std::size_t drop_oldest_firing(std::int64_t over);  // caller holds mutex_, in a transaction
    void exec(const char* sql) const;
    void checkpoint_loop(std::stop_token stop);

    std::string path_;
    mutable std::mutex mutex_;
    sqlite_detail::DbPtr db_;
    mutable std::unordered_map<const char*, sqlite_detail::StmtPtr> statements_;
    std::size_t max_firing_;
    std::int64_t firing_ = 0;  // firing alerts stored; mutex_
    // Listings: read-only, WAL lets them run beside the writer. Absent for
    // ":memory:" (a second connection would see another database).
    sqlite_detail::DbPtr read_db_;
    mutable std::mutex read_mutex_;
    mutable std::unordered_map<const char*, sqlite_detail::StmtPtr> read_statements_;
    // WAL checkpoints (and their fsyncs) run on their own connection and
    // thread, so a payload's commit never waits for the disk.
    sqlite_detail::DbPtr checkpoint_db_;
    std::mutex checkpoint_mutex_;
    std::condition_variable_any checkpoint_wake_;
    std::jthread checkpointer_;
};

}  // namespace hpops::store
