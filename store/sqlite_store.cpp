#include "store/sqlite_store.hpp"

#include "store/migrations.hpp"
#include "store/row_readers.hpp"
#include "store/sqlite_statement.hpp"
#include "common/timestamps.hpp"

#include <algorithm>
#include <cctype>
#include <limits>
#include <stdexcept>

#include <sqlite3.h>

namespace hpops::store {

void sqlite_detail::CloseDb::operator()(sqlite3* db) const { sqlite3_close_v2(db); }
void sqlite_detail::FinalizeStmt::operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }

namespace {

constexpr const char* sql_insert_audit =
    "INSERT INTO audit (time_unix_ms, platform, actor_id, actor_name, channel, command, arguments, outcome,"
    " detail, request_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
// An empty backend id keeps one recorded earlier (e.g. by a progress update).
constexpr const char* sql_finish_audit =
    "UPDATE audit SET outcome = ?2, detail = ?3,"
    " backend_request_id = CASE WHEN ?4 = '' THEN backend_request_id ELSE ?4 END WHERE id = ?1";
constexpr const char* sql_recent_audit =
    "SELECT id, time_unix_ms, platform, actor_id, actor_name, channel, command, arguments, outcome, detail,"
    " request_id, backend_request_id FROM audit ORDER BY id DESC LIMIT ?1";
constexpr const char* sql_audit_by_id =
    "SELECT id, time_unix_ms, platform, actor_id, actor_name, channel, command, arguments, outcome, detail,"
    " request_id, backend_request_id FROM audit WHERE id = ?1";
// The command text after the command, padded with a space, holds " NAME " for
// an argument or "=NAME " for an option's value.
constexpr const char* sql_audit_history =
    "SELECT id, time_unix_ms, platform, actor_id, actor_name, channel, command, arguments, outcome, detail,"
    " request_id, backend_request_id FROM audit WHERE time_unix_ms >= ?1 AND outcome <> 'confirm-requested'"
    " AND (?2 = '' OR instr(substr(arguments, length(command) + 1) || ' ', ' ' || ?2 || ' ') > 0"
    " OR instr(substr(arguments, length(command) + 1) || ' ', '=' || ?2 || ' ') > 0)"
    " ORDER BY id DESC LIMIT ?3";
// One statement decides atomically, even against another process on the same
// file: a new key inserts, an expired one is renewed, a live one is left alone
// (no change: a replay).
constexpr const char* sql_remember =
    "INSERT INTO seen_requests (key, expires_unix_ms) VALUES (?1, ?2)"
    " ON CONFLICT (key) DO UPDATE SET expires_unix_ms = excluded.expires_unix_ms"
    " WHERE seen_requests.expires_unix_ms <= ?3";
constexpr const char* sql_purge = "DELETE FROM seen_requests WHERE expires_unix_ms <= ?1";
constexpr const char* sql_count_seen = "SELECT COUNT(*) FROM seen_requests";
constexpr const char* sql_select_one = "SELECT 1";

[[noreturn]] void fail(sqlite3* db, const std::string& operation, const std::string& path) {
    throw std::runtime_error("sqlite " + path + ": " + operation + ": " + sqlite3_errmsg(db));
}

// One use of a cached statement, reported as "sqlite PATH: OPERATION: …".
class Query : public StatementUse {
public:
    Query(sqlite3* db, sqlite3_stmt* stmt, const char* operation, const std::string& path)
        : StatementUse(db, stmt, path, operation) {}
};

}  // namespace

SqliteStore::SqliteStore(const std::string& path, Clock clock, Synchronous synchronous)
    : path_(path), clock_(std::move(clock)), synchronous_(synchronous) {
    sqlite3* raw = nullptr;
    // Our mutex serialises every call, so SQLite's own can go.
    const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                   nullptr);
    db_.reset(raw);
    if (rc != SQLITE_OK) {
        const std::string message = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
        throw std::runtime_error("sqlite " + path + ": open: " + message);
    }
    sqlite3_extended_result_codes(db_.get(), 1);
    std::lock_guard lock(mutex_);
    // The busy timeout comes first: switching to WAL needs a lock another
    // process may hold for a moment.
    run_sql("PRAGMA busy_timeout = 5000", "set busy_timeout");
    {
        sqlite_detail::StmtPtr stmt;
        sqlite3_stmt* raw_stmt = nullptr;
        if (sqlite3_prepare_v2(db_.get(), "PRAGMA journal_mode = WAL", -1, &raw_stmt, nullptr) != SQLITE_OK)
            fail(db_.get(), "set journal_mode", path_);
        stmt.reset(raw_stmt);
        Query q(db_.get(), raw_stmt, "set journal_mode", path_);
        // SQLite answers with the mode in force: "memory" for ":memory:".
        if (q.step()) journal_mode_ = q.text(0);
    }
    // Spent confirmation nonces and audit rows: few writes, each a promise.
    run_sql(synchronous == Synchronous::full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL",
            "set synchronous");
    run_sql("PRAGMA foreign_keys = ON", "set foreign_keys");
    migrate();
    purge_locked();
}

SqliteStore::~SqliteStore() {
    std::lock_guard lock(mutex_);
    statements_.clear();  // finalize before the connection closes
}

void SqliteStore::run_sql(const char* sql, const char* operation) const {
    char* error = nullptr;
    if (sqlite3_exec(db_.get(), sql, nullptr, nullptr, &error) != SQLITE_OK) {
        const std::string message = error ? error : sqlite3_errmsg(db_.get());
        sqlite3_free(error);
        throw std::runtime_error("sqlite " + path_ + ": " + operation + ": " + message);
    }
}

sqlite3_stmt* SqliteStore::statement(const char* sql) const {
    auto& slot = statements_[sql];
    if (!slot) {
        sqlite3_stmt* raw = nullptr;
        if (sqlite3_prepare_v3(db_.get(), sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, nullptr) != SQLITE_OK) {
            statements_.erase(sql);
            fail(db_.get(), std::string("prepare `") + sql + "`", path_);
        }
        slot.reset(raw);
    }
    return slot.get();
}

void SqliteStore::migrate() { store::migrate(db_.get(), path_, clock_()); }

std::int64_t SqliteStore::append_audit(const AuditRecord& r) {
    std::lock_guard lock(mutex_);
    Query q(db_.get(), statement(sql_insert_audit), "append audit", path_);
    q.bind(1, r.time_unix_ms != 0 ? r.time_unix_ms : unix_ms(clock_()))
        .bind(2, r.platform).bind(3, r.actor_id).bind(4, r.actor_name).bind(5, r.channel)
        .bind(6, r.command).bind(7, r.arguments).bind(8, r.outcome).bind(9, r.detail).bind(10, r.request_id);
    q.step();
    return sqlite3_last_insert_rowid(db_.get());
}

void SqliteStore::finish_audit(std::int64_t id, const std::string& outcome, const std::string& detail,
                               const std::string& backend_request_id) {
    std::lock_guard lock(mutex_);
    Query q(db_.get(), statement(sql_finish_audit), "finish audit", path_);
    q.bind(1, id).bind(2, outcome).bind(3, detail).bind(4, backend_request_id).step();
    if (sqlite3_changes(db_.get()) == 0)
        throw std::runtime_error("sqlite " + path_ + ": finish audit: no audit record " + std::to_string(id));
}

std::vector<AuditRecord> SqliteStore::recent_audit(std::size_t limit) const {
    std::lock_guard lock(mutex_);
    Query q(db_.get(), statement(sql_recent_audit), "read audit", path_);
    q.bind(1, static_cast<std::int64_t>(std::min<std::size_t>(limit, std::numeric_limits<std::int64_t>::max())));
    std::vector<AuditRecord> out;
    while (q.step()) out.push_back(audit_from_row(q));
    return out;
}

std::optional<AuditRecord> SqliteStore::audit_record(std::int64_t id) const {
    std::lock_guard lock(mutex_);
    Query q(db_.get(), statement(sql_audit_by_id), "read audit", path_);
    q.bind(1, id);
    if (!q.step()) return std::nullopt;
    return audit_from_row(q);
}

std::vector<AuditRecord> SqliteStore::audit_history(const AuditQuery& query) const {
    std::lock_guard lock(mutex_);
    Query q(db_.get(), statement(sql_audit_history), "read audit history", path_);
    q.bind(1, query.since_unix_ms).bind(2, query.mentions)
        .bind(3, static_cast<std::int64_t>(std::min<std::size_t>(query.limit, std::numeric_limits<std::int64_t>::max())));
    std::vector<AuditRecord> out;
    while (q.step()) out.push_back(audit_from_row(q));
    return out;
}

bool SqliteStore::remember_request(const std::string& key, std::chrono::system_clock::time_point expires) {
    std::lock_guard lock(mutex_);
    const std::int64_t now = unix_ms(clock_());
    bool is_new = false;
    {
        Query q(db_.get(), statement(sql_remember), "remember request", path_);
        q.bind(1, key).bind(2, unix_ms(expires)).bind(3, now).step();
        is_new = sqlite3_changes(db_.get()) > 0;
    }
    // Amortised clean-up keeps the table at about one tolerance window of keys.
    if (++inserts_since_purge_ >= purge_interval) purge_locked();
    return is_new;
}

std::size_t SqliteStore::purge_locked() {
    inserts_since_purge_ = 0;
    Query q(db_.get(), statement(sql_purge), "purge seen requests", path_);
    q.bind(1, unix_ms(clock_())).step();
    return static_cast<std::size_t>(sqlite3_changes(db_.get()));
}

std::size_t SqliteStore::purge_expired_requests() {
    std::lock_guard lock(mutex_);
    return purge_locked();
}

std::size_t SqliteStore::seen_request_count() const {
    std::lock_guard lock(mutex_);
    Query q(db_.get(), statement(sql_count_seen), "count seen requests", path_);
    return q.step() ? static_cast<std::size_t>(q.integer(0)) : 0;
}

int SqliteStore::schema_version() const {
    std::lock_guard lock(mutex_);
    return store::schema_version(db_.get(), path_);
}

bool SqliteStore::healthy() const {
    std::lock_guard lock(mutex_);
    try {
        Query q(db_.get(), statement(sql_select_one), "health check", path_);
        return q.step() && q.integer(0) == 1;
    } catch (const std::exception&) {
        return false;
    }
}

std::string SqliteStore::describe() const {
    std::string mode = journal_mode_;
    std::transform(mode.begin(), mode.end(), mode.begin(), [](unsigned char c) { return std::toupper(c); });
    return "sqlite " + path_ + " (" + mode + ", synchronous " +
           (synchronous_ == Synchronous::full ? "FULL" : "NORMAL") + ")";
}

}  // namespace hpops::store
