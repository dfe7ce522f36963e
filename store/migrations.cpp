#include "store/migrations.hpp"

#include <iterator>
#include <memory>
#include <stdexcept>

#include <sqlite3.h>

#include "store/sqlite_statement.hpp"

namespace hpops::store {
namespace {

// Applied in order, each in its own transaction; never edit one that has
// shipped, add the next instead.
constexpr Migration list[] = {
    {1, R"sql(
CREATE TABLE audit (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    time_unix_ms       INTEGER NOT NULL,
    platform           TEXT NOT NULL,
    actor_id           TEXT NOT NULL,
    actor_name         TEXT NOT NULL,
    channel            TEXT NOT NULL,
    command            TEXT NOT NULL,
    arguments          TEXT NOT NULL,
    outcome            TEXT NOT NULL,
    detail             TEXT NOT NULL,
    request_id         TEXT NOT NULL,
    backend_request_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_time ON audit (time_unix_ms);
CREATE TABLE seen_requests (
    key             TEXT PRIMARY KEY,
    expires_unix_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX seen_requests_expiry ON seen_requests (expires_unix_ms);
CREATE TABLE jobs (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    kind             TEXT NOT NULL,
    state            TEXT NOT NULL,
    payload          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(payload)),
    created_unix_ms  INTEGER NOT NULL,
    updated_unix_ms  INTEGER NOT NULL,
    progress_channel TEXT NOT NULL DEFAULT '',
    progress_message TEXT NOT NULL DEFAULT ''
);
CREATE INDEX jobs_state ON jobs (state);
CREATE TABLE schedules (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    cron            TEXT NOT NULL,
    timezone        TEXT NOT NULL DEFAULT 'UTC',
    channel         TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    created_unix_ms INTEGER NOT NULL
);
)sql"},
    // Durable jobs (include/hpops/job.hpp). The v1 `jobs` table was never
    // written, so it is replaced rather than altered. `state` has no JSON
    // check: a corrupt document must stay readable, to be failed and kept.
    {2, R"sql(
DROP TABLE jobs;
CREATE TABLE jobs (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    kind              TEXT NOT NULL,
    kind_version      INTEGER NOT NULL,
    status            TEXT NOT NULL,
    state             TEXT NOT NULL,
    target            TEXT NOT NULL DEFAULT '',
    actor_id          TEXT NOT NULL DEFAULT '',
    actor_name        TEXT NOT NULL DEFAULT '',
    platform          TEXT NOT NULL DEFAULT '',
    channel           TEXT NOT NULL DEFAULT '',
    ts                TEXT NOT NULL DEFAULT '',
    response_url      TEXT NOT NULL DEFAULT '',
    audit_id          INTEGER NOT NULL DEFAULT 0,
    created_unix_ms   INTEGER NOT NULL,
    updated_unix_ms   INTEGER NOT NULL,
    next_run_unix_ms  INTEGER NOT NULL,
    deadline_unix_ms  INTEGER NOT NULL,
    finished_unix_ms  INTEGER NOT NULL DEFAULT 0,
    attempts          INTEGER NOT NULL DEFAULT 0,
    outcome           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX jobs_due ON jobs (next_run_unix_ms) WHERE status = 'running';
CREATE INDEX jobs_created ON jobs (created_unix_ms);
CREATE TABLE job_events (
    job_id        INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    time_unix_ms  INTEGER NOT NULL,
    what          TEXT NOT NULL
);
CREATE INDEX job_events_job ON job_events (job_id, time_unix_ms);
)sql"},
    // The alert store's tables (store/sqlite_alert_store.cpp), which it used
    // to create itself on open. IF NOT EXISTS: a file from before this list
    // took them in already has them, as they are here.
    {3, R"sql(
CREATE TABLE IF NOT EXISTS alert_messages (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    channel          TEXT NOT NULL,
    kind             INTEGER NOT NULL,
    posted_channel   TEXT NOT NULL DEFAULT '',
    ts               TEXT NOT NULL DEFAULT '',
    version          INTEGER NOT NULL DEFAULT 1,
    posted_version   INTEGER NOT NULL DEFAULT 0,
    error            TEXT NOT NULL DEFAULT '',
    created_unix_ms  INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS alert_messages_pending ON alert_messages (channel, id) WHERE posted_version < version;
CREATE INDEX IF NOT EXISTS alert_messages_flood ON alert_messages (channel, kind, created_unix_ms);
CREATE TABLE IF NOT EXISTS alerts (
    key                TEXT PRIMARY KEY,
    source             TEXT NOT NULL,
    fingerprint        TEXT NOT NULL,
    status             INTEGER NOT NULL,
    severity           TEXT NOT NULL,
    name               TEXT NOT NULL,
    summary            TEXT NOT NULL,
    channel            TEXT NOT NULL,
    message_id         INTEGER NOT NULL,
    digest             INTEGER NOT NULL,
    body               TEXT NOT NULL,
    starts_unix_ms     INTEGER NOT NULL,
    ends_unix_ms       INTEGER NOT NULL,
    first_seen_unix_ms INTEGER NOT NULL,
    updated_unix_ms    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS alerts_message ON alerts (message_id, status);
CREATE INDEX IF NOT EXISTS alerts_channel_seen ON alerts (channel, first_seen_unix_ms);
-- Resolved alerts by age, for purge_resolved (status 1 = AlertStatus::resolved).
CREATE INDEX IF NOT EXISTS alerts_resolved_age ON alerts (updated_unix_ms) WHERE status = 1;
-- Firing alerts by age, for the alerts.max_firing bound (status 0 = AlertStatus::firing).
CREATE INDEX IF NOT EXISTS alerts_firing_age ON alerts (first_seen_unix_ms) WHERE status = 0;
-- `/hp alerts`, newest first, with and without a status: walked in order and
-- cut at the limit, instead of a scan and sort of every stored alert (0.47 s
-- at 1.8 M alerts; 2 ms with the index).
CREATE INDEX IF NOT EXISTS alerts_status_starts ON alerts (status, starts_unix_ms);
CREATE INDEX IF NOT EXISTS alerts_starts ON alerts (starts_unix_ms);
)sql"},
    // Work due once (a digest's firing) is claimed by its job: unique when
    // set. Digest schedules made from chat; the v1 `schedules` table was never
    // written.
    {4, R"sql(
ALTER TABLE jobs ADD COLUMN claim TEXT;
CREATE UNIQUE INDEX jobs_claim ON jobs (claim) WHERE claim IS NOT NULL;
DROP TABLE schedules;
CREATE TABLE digest_schedules (
    name            TEXT PRIMARY KEY,
    cron            TEXT NOT NULL,
    timezone        TEXT NOT NULL,
    channel         TEXT NOT NULL,
    sections        TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    created_unix_ms INTEGER NOT NULL
);
)sql"},
    // The fleet's size over time, one row per group per sampling slot: the
    // key makes a second replica's sample of the same slot a no-op. Without
    // rowid, rows are stored in key order, so a period is one sequential
    // range (a month is ~400,000 rows).
    {5, R"sql(
CREATE TABLE capacity_samples (
    slot_unix_ms  INTEGER NOT NULL,
    interval_ms   INTEGER NOT NULL,
    region        TEXT NOT NULL,
    kind          TEXT NOT NULL,
    cluster       TEXT NOT NULL,
    group_name    TEXT NOT NULL,
    instance_type TEXT NOT NULL,
    count         INTEGER NOT NULL,
    PRIMARY KEY (slot_unix_ms, region, kind, cluster, group_name)
) WITHOUT ROWID;
)sql"},
    // Several replicas on one store: named leases (a channel's alert posts,
    // the scheduler, the sampler) and each job's lease with its fencing token.
    {6, R"sql(
CREATE TABLE leases (
    name          TEXT PRIMARY KEY,
    owner         TEXT NOT NULL,
    until_unix_ms INTEGER NOT NULL,
    fence         INTEGER NOT NULL
) WITHOUT ROWID;
ALTER TABLE jobs ADD COLUMN lease_owner TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN lease_until_unix_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN fence INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN shown_unix_ms INTEGER NOT NULL DEFAULT 0;
UPDATE jobs SET shown_unix_ms = updated_unix_ms;
CREATE INDEX jobs_unshown ON jobs (finished_unix_ms) WHERE status <> 'running' AND shown_unix_ms < finished_unix_ms;
)sql"},
    // A cancel asked on any replica, kept in the job's row for the replica
    // that holds it; and each replica's config fingerprint, so replicas run
    // with different configs are named in the log.
    {7, R"sql(
ALTER TABLE jobs ADD COLUMN cancel_by TEXT NOT NULL DEFAULT '';
CREATE TABLE replicas (
    name         TEXT PRIMARY KEY,
    config       TEXT NOT NULL,
    seen_unix_ms INTEGER NOT NULL
) WITHOUT ROWID;
)sql"},
};

void run(sqlite3* db, const std::string& path, const char* sql, const std::string& operation) {
    char* error = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
        const std::string message = error ? error : sqlite3_errmsg(db);
        sqlite3_free(error);
        throw std::runtime_error("sqlite " + path + ": " + operation + ": " + message);
    }
}

// A statement prepared for one use, finalized when it goes.
struct Prepared {
    Prepared(sqlite3* db, const std::string& path, const char* sql) {
        if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK)
            throw std::runtime_error("sqlite " + path + ": prepare `" + sql + "`: " + sqlite3_errmsg(db));
    }
    ~Prepared() { sqlite3_finalize(stmt); }
    Prepared(const Prepared&) = delete;
    Prepared& operator=(const Prepared&) = delete;
    sqlite3_stmt* stmt = nullptr;
};

}  // namespace

std::span<const Migration> migrations() { return list; }
int latest_schema_version() { return std::end(list)[-1].version; }

int schema_version(sqlite3* db, const std::string& path) {
    Prepared exists(db, path, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
    if (sqlite3_step(exists.stmt) != SQLITE_ROW) return 0;
    Prepared version(db, path, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    store::StatementUse q(db, version.stmt, path, "read schema version");
    return q.step() ? static_cast<int>(q.integer(0)) : 0;
}

void migrate(sqlite3* db, const std::string& path, std::chrono::system_clock::time_point now) {
    run(db, path, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                  " version INTEGER PRIMARY KEY, applied_unix_ms INTEGER NOT NULL)",
        "create schema_migrations");
    const int latest = latest_schema_version();
    const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    for (const Migration& m : list) {
        run(db, path, "BEGIN IMMEDIATE", "begin migration");
        try {
            const int version = schema_version(db, path);
            if (version > latest)
                throw std::runtime_error("sqlite " + path + ": schema version " + std::to_string(version) +
                                         " is newer than this hpops knows (" + std::to_string(latest) + ")");
            if (version < m.version) {
                run(db, path, m.sql, "migrate to v" + std::to_string(m.version));
                Prepared record(db, path, "INSERT INTO schema_migrations (version, applied_unix_ms) VALUES (?1, ?2)");
                store::StatementUse(db, record.stmt, path, "record schema version").bind(1, m.version).bind(2, now_ms).step();
            }
            run(db, path, "COMMIT", "commit migration");
        } catch (...) {
            sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
            throw;
        }
    }
}

}  // namespace hpops::store
