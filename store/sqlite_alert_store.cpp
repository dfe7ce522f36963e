#include "store/sqlite_alert_store.hpp"

#include "store/alert_intake.hpp"
#include "store/alert_row.hpp"
#include "store/alert_store_sql.hpp"
#include "store/migrations.hpp"
#include "store/sqlite_statement.hpp"
#include "common/timestamps.hpp"

#include <algorithm>
#include <stdexcept>

#include <sqlite3.h>

namespace hpops::store {
namespace {

using namespace alert_sql;

// Batches keep each purge transaction short: intake waits for the same lock.
constexpr std::int64_t purge_batch = 2000;


// One use of a cached statement, reset on scope exit.
// One use of a cached statement, reported as "sqlite alerts: alert store: …".
class AlertUse : public StatementUse {
public:
    AlertUse(sqlite3* db, sqlite3_stmt* stmt) : StatementUse(db, stmt, "alerts", "alert store") {}
};

// `sql` prepared once per connection; the caller holds that connection's lock.
sqlite3_stmt* prepared(sqlite3* db, std::unordered_map<const char*, sqlite_detail::StmtPtr>& cache, const char* sql,
                       const std::string& path) {
    auto& slot = cache[sql];
    if (!slot) {
        sqlite3_stmt* raw = nullptr;
        if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, nullptr) != SQLITE_OK) {
            cache.erase(sql);
            throw std::runtime_error("sqlite " + path + ": prepare: " + sqlite3_errmsg(db));
        }
        slot.reset(raw);
    }
    return slot.get();
}

// RAII transaction: rolls back unless committed.
class Transaction {
public:
    explicit Transaction(sqlite3* db) : db_(db) { run("BEGIN IMMEDIATE"); }
    ~Transaction() {
        if (!done_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    void commit() {
        run("COMMIT");
        done_ = true;
    }

private:
    void run(const char* sql) {
        if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
            throw std::runtime_error(std::string("sqlite alerts: ") + sql + ": " + sqlite3_errmsg(db_));
    }
    sqlite3* db_;
    bool done_ = false;
};

}  // namespace

// The rows accept_batch reads and writes, through the writer's cached
// statements; the caller holds mutex_ and a transaction.
class SqliteAlertStore::Rows final : public AlertRows {
public:
    explicit Rows(SqliteAlertStore& store) : store_(store), db_(store.db_.get()) {}

    std::optional<Stored> find(const std::string& key) override {
        AlertUse q(db_, store_.statement(sql_find));
        q.bind(1, key);
        if (!q.step()) return std::nullopt;
        return Stored{q.integer(0), static_cast<std::uint64_t>(q.integer(1)), q.integer(2)};
    }
    void change(const std::string& key, const Alert& a, std::uint64_t digest, std::int64_t now) override {
        AlertUse q(db_, store_.statement(sql_change));
        q.bind(1, key).bind(2, static_cast<std::int64_t>(a.status)).bind(3, a.severity).bind(4, a.name)
            .bind(5, a.summary).bind(6, static_cast<std::int64_t>(digest)).bind(7, alert_body(a))
            .bind(8, unix_ms(a.starts_at)).bind(9, a.ends_at ? unix_ms(*a.ends_at) : 0).bind(10, now).step();
    }
    void bump(std::int64_t message_id) override {
        AlertUse q(db_, store_.statement(sql_bump));
        q.bind(1, message_id).step();
    }
    std::int64_t new_message(const std::string& channel, MessageKind kind, std::int64_t now) override {
        AlertUse q(db_, store_.statement(sql_new_message));
        q.bind(1, channel).bind(2, static_cast<std::int64_t>(kind)).bind(3, now).step();
        return sqlite3_last_insert_rowid(db_);
    }
    void store_new(const RoutedAlert& r, std::uint64_t digest, std::int64_t message_id, std::int64_t now) override {
        const Alert& a = r.alert;
        AlertUse q(db_, store_.statement(sql_upsert));
        q.bind(1, alert_key(a)).bind(2, a.source).bind(3, a.fingerprint).bind(4, static_cast<std::int64_t>(a.status))
            .bind(5, a.severity).bind(6, a.name).bind(7, a.summary).bind(8, r.channel).bind(9, message_id)
            .bind(10, static_cast<std::int64_t>(digest)).bind(11, alert_body(a)).bind(12, unix_ms(a.starts_at))
            .bind(13, a.ends_at ? unix_ms(*a.ends_at) : 0).bind(14, now);
        q.step();
    }
    std::size_t recent_new(const std::string& channel, std::int64_t since, std::size_t limit) override {
        AlertUse q(db_, store_.statement(sql_recent_new));
        q.bind(1, channel).bind(2, since).bind(3, static_cast<std::int64_t>(limit));
        return q.step() ? static_cast<std::size_t>(q.integer(0)) : 0;
    }
    std::optional<std::int64_t> open_flood(const std::string& channel, std::int64_t since) override {
        AlertUse q(db_, store_.statement(sql_open_flood));
        q.bind(1, channel).bind(2, since);
        if (!q.step()) return std::nullopt;
        return q.integer(0);
    }
    std::size_t drop_oldest_firing(std::int64_t over) override { return store_.drop_oldest_firing(over); }

private:
    SqliteAlertStore& store_;
    sqlite3* db_;
};

const char* alert_list_sql(bool by_status) { return (by_status ? sql_list_by_status : sql_list_all).c_str(); }

SqliteAlertStore::SqliteAlertStore(const std::string& path, std::size_t max_firing, Synchronous synchronous)
    : path_(path), max_firing_(max_firing) {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                   nullptr);
    db_.reset(raw);
    if (rc != SQLITE_OK)
        throw std::runtime_error("sqlite " + path + ": open: " + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
    std::lock_guard lock(mutex_);
    exec("PRAGMA busy_timeout = 5000");
    exec("PRAGMA journal_mode = WAL");
    // With WAL, NORMAL loses no committed transaction on a crash of hpops, but
    // may on power loss; FULL syncs the WAL at each commit, before the 200.
    exec(synchronous == Synchronous::full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
    store::migrate(db_.get(), path, std::chrono::system_clock::now());
    {
        AlertUse count(db_.get(), statement(sql_count_firing));
        if (count.step()) firing_ = count.integer(0);
    }
    if (path == ":memory:") return;
    sqlite3* reader = nullptr;
    if (sqlite3_open_v2(path.c_str(), &reader, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) == SQLITE_OK) {
        read_db_.reset(reader);
        sqlite3_busy_timeout(reader, 5000);
    } else {
        sqlite3_close_v2(reader);  // listings share the writer's connection, as before
    }
    sqlite3* checkpoint = nullptr;
    if (sqlite3_open_v2(path.c_str(), &checkpoint, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
        sqlite3_close_v2(checkpoint);
        return;  // the writer's own automatic checkpoints still run
    }
    checkpoint_db_.reset(checkpoint);
    sqlite3_busy_timeout(checkpoint, 5000);
    // The writer checkpoints itself only when the background thread falls far
    // behind (a long burst), so the WAL stays bounded; after a reset it is
    // truncated back to 64 MiB.
    exec("PRAGMA wal_autocheckpoint = 16384");
    exec("PRAGMA journal_size_limit = 67108864");
    checkpointer_ = std::jthread([this](std::stop_token stop) { checkpoint_loop(stop); });
}

SqliteAlertStore::~SqliteAlertStore() {
    if (checkpointer_.joinable()) {
        checkpointer_.request_stop();
        checkpoint_wake_.notify_all();
        checkpointer_.join();
    }
    {
        std::lock_guard lock(read_mutex_);
        read_statements_.clear();
    }
    std::lock_guard lock(mutex_);
    statements_.clear();
}

void SqliteAlertStore::checkpoint_loop(std::stop_token stop) {
    std::unique_lock lock(checkpoint_mutex_);
    while (!stop.stop_requested()) {
        checkpoint_wake_.wait_for(lock, stop, std::chrono::milliseconds(250), [] { return false; });
        if (stop.stop_requested()) break;
        // PASSIVE: copies what it can without blocking the writer.
        sqlite3_wal_checkpoint_v2(checkpoint_db_.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    }
}

int SqliteAlertStore::synchronous_level() const {
    std::lock_guard lock(mutex_);
    AlertUse q(db_.get(), statement("PRAGMA synchronous"));
    return q.step() ? static_cast<int>(q.integer(0)) : -1;
}

void SqliteAlertStore::exec(const char* sql) const {
    char* error = nullptr;
    if (sqlite3_exec(db_.get(), sql, nullptr, nullptr, &error) != SQLITE_OK) {
        const std::string message = error ? error : sqlite3_errmsg(db_.get());
        sqlite3_free(error);
        throw std::runtime_error("sqlite " + path_ + ": alerts: " + message);
    }
}

sqlite3_stmt* SqliteAlertStore::statement(const char* sql) const { return prepared(db_.get(), statements_, sql, path_); }

AcceptCounts SqliteAlertStore::accept(const std::vector<RoutedAlert>& batch, const FloodPolicy& flood,
                                      std::chrono::system_clock::time_point now) {
    std::lock_guard lock(mutex_);
    Transaction tx(db_.get());
    Rows rows(*this);
    const IntakeResult result = accept_batch(rows, batch, flood, unix_ms(now), [this] { return firing_; }, max_firing_);
    tx.commit();
    firing_ += result.firing_change;
    return result.counts;
}

std::size_t SqliteAlertStore::drop_oldest_firing(std::int64_t over) {
    static_assert(static_cast<int>(AlertStatus::firing) == 0, "the firing statements and index say status = 0");
    std::size_t dropped = 0;
    {
        AlertUse drop(db_.get(), statement(sql_drop_oldest_firing));
        drop.bind(1, over).step();
        dropped = static_cast<std::size_t>(sqlite3_changes(db_.get()));
    }
    if (dropped > 0) AlertUse(db_.get(), statement(sql_settle_emptied)).step();
    return dropped;
}

std::vector<std::string> SqliteAlertStore::channels_with_pending() const {
    std::lock_guard lock(mutex_);
    AlertUse q(db_.get(), statement(sql_pending_channels));
    std::vector<std::string> out;
    while (q.step()) out.push_back(q.text(0));
    return out;
}

std::optional<PendingMessage> SqliteAlertStore::next_pending(const std::string& channel, std::size_t limit) const {
    std::lock_guard lock(mutex_);
    sqlite3* db = db_.get();
    PendingMessage m;
    {
        AlertUse q(db, statement(sql_next_pending));
        q.bind(1, channel);
        if (!q.step()) return std::nullopt;
        m.id = q.integer(0);
        m.kind = static_cast<MessageKind>(q.integer(1));
        m.channel = channel;
        m.posted_channel = q.text(2);
        m.ts = q.text(3);
        m.version = q.integer(4);
    }
    {
        AlertUse q(db, statement(sql_message_alerts));
        q.bind(1, m.id).bind(2, static_cast<std::int64_t>(limit));
        while (q.step()) m.alerts.push_back(alert_from_row(q));
    }
    AlertUse q(db, statement(sql_message_counts));
    q.bind(1, m.id);
    while (q.step())
        (q.integer(0) == static_cast<int>(AlertStatus::firing) ? m.firing : m.resolved) = static_cast<std::size_t>(q.integer(1));
    return m;
}

void SqliteAlertStore::mark_posted(std::int64_t id, std::int64_t version, const std::string& posted_channel,
                                   const std::string& ts) {
    std::lock_guard lock(mutex_);
    AlertUse q(db_.get(), statement(sql_mark_posted));
    q.bind(1, id).bind(2, version).bind(3, posted_channel).bind(4, ts).step();
}

void SqliteAlertStore::mark_failed(std::int64_t id, std::int64_t version, const std::string& error) {
    std::lock_guard lock(mutex_);
    AlertUse q(db_.get(), statement(sql_mark_failed));
    q.bind(1, id).bind(2, version).bind(3, error).step();
}

std::size_t SqliteAlertStore::purge_resolved(std::chrono::system_clock::time_point resolved_before) {
    static_assert(static_cast<int>(AlertStatus::resolved) == 1, "the purge statements and index say status = 1");
    const std::int64_t cutoff =
        std::chrono::duration_cast<std::chrono::milliseconds>(resolved_before.time_since_epoch()).count();
    std::size_t alerts = 0;
    for (const char* sql : {sql_purge_alerts, sql_purge_messages}) {
        for (;;) {
            std::lock_guard lock(mutex_);
            AlertUse q(db_.get(), statement(sql));
            q.bind(1, cutoff).bind(2, purge_batch).step();
            const auto removed = static_cast<std::size_t>(sqlite3_changes(db_.get()));
            if (sql == sql_purge_alerts) alerts += removed;
            if (removed < static_cast<std::size_t>(purge_batch)) break;
        }
    }
    return alerts;
}

std::vector<StoredAlert> SqliteAlertStore::list_alerts(std::optional<AlertStatus> status, std::int64_t since,
                                                       std::size_t limit) const {
    // The read-only connection and its own lock: intake's lock is not taken.
    std::lock_guard lock(read_db_ ? read_mutex_ : mutex_);
    sqlite3* db = read_db_ ? read_db_.get() : db_.get();
    AlertUse q(db, prepared(db, read_db_ ? read_statements_ : statements_, alert_list_sql(status.has_value()), path_));
    if (status) q.bind(1, static_cast<std::int64_t>(*status));
    q.bind(2, since).bind(3, static_cast<std::int64_t>(limit));
    std::vector<StoredAlert> out;
    while (q.step()) out.push_back(stored_alert_from_row(q));
    return out;
}

}  // namespace hpops::store
