// SqliteStore's JobStore half: the jobs and job_events tables (migration 2).
#include "store/sqlite_statement.hpp"
#include "store/row_readers.hpp"
#include "store/sqlite_store.hpp"

#include <array>

#include <sqlite3.h>

namespace hpops::store {
namespace {

constexpr const char* job_columns =
    "id, kind, kind_version, status, state, target, actor_id, actor_name, platform, channel, ts, response_url,"
    " audit_id, created_unix_ms, updated_unix_ms, next_run_unix_ms, deadline_unix_ms, finished_unix_ms, attempts,"
    " outcome, COALESCE(claim, ''), fence, cancel_by";
// A taken claim inserts nothing (the unique index jobs_claim, migration 4).
constexpr const char* sql_insert_job =
    "INSERT INTO jobs (kind, kind_version, status, state, target, actor_id, actor_name, platform, channel, ts,"
    " response_url, audit_id, created_unix_ms, updated_unix_ms, next_run_unix_ms, deadline_unix_ms, claim)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, ?14, ?15, NULLIF(?16, ''))"
    " ON CONFLICT DO NOTHING";
constexpr const char* sql_claimed = "SELECT 1 FROM jobs WHERE claim = ?1";
const std::string sql_job_by_id = std::string("SELECT ") + job_columns + " FROM jobs WHERE id = ?1";
const std::string sql_due_jobs = std::string("SELECT ") + job_columns +
    " FROM jobs WHERE status = 'running' AND next_run_unix_ms <= ?1 ORDER BY next_run_unix_ms LIMIT ?2";
const std::string sql_running_jobs =
    std::string("SELECT ") + job_columns + " FROM jobs WHERE status = 'running' ORDER BY id";
const std::string sql_recent_jobs = std::string("SELECT ") + job_columns +
    " FROM jobs WHERE created_unix_ms >= ?1 ORDER BY id DESC LIMIT ?2";
const std::string sql_recent_jobs_by_status = std::string("SELECT ") + job_columns +
    " FROM jobs WHERE status = ?3 AND created_unix_ms >= ?1 ORDER BY id DESC LIMIT ?2";
// Fenced: a runner whose lease another has taken (?9 no longer the job's
// token) writes nothing.
constexpr const char* sql_save_step =
    "UPDATE jobs SET status = ?2, state = ?3, updated_unix_ms = ?4, next_run_unix_ms = ?5, finished_unix_ms = ?6,"
    " attempts = ?7, outcome = ?8 WHERE id = ?1 AND (?9 = 0 OR fence = ?9)";
// The token grows when the lease changes hands, not when its holder renews.
constexpr const char* sql_lease_job =
    "UPDATE jobs SET lease_owner = ?2, lease_until_unix_ms = ?3 + ?4,"
    " fence = fence + CASE WHEN lease_owner = ?2 AND fence > 0 THEN 0 ELSE 1 END"
    " WHERE id = ?1 AND status = 'running' AND (lease_owner = ?2 OR lease_until_unix_ms <= ?3) RETURNING fence";
constexpr const char* sql_renew_job_leases =
    "UPDATE jobs SET lease_until_unix_ms = ?2 + ?3 WHERE lease_owner = ?1 AND status = 'running'";
constexpr const char* sql_release_job_leases =
    "UPDATE jobs SET lease_until_unix_ms = 0 WHERE lease_owner = ?1 AND status = 'running'";
constexpr const char* sql_mark_shown = "UPDATE jobs SET shown_unix_ms = MAX(shown_unix_ms, ?2) WHERE id = ?1";
// Claimed by marking them shown in the same statement: a second runner's
// claim finds nothing left.
const std::string sql_claim_unshown = std::string("UPDATE jobs SET shown_unix_ms = finished_unix_ms") +
    " WHERE id IN (SELECT id FROM jobs WHERE status <> 'running' AND shown_unix_ms < finished_unix_ms"
    " AND finished_unix_ms >= ?1 AND lease_until_unix_ms <= ?2 ORDER BY finished_unix_ms LIMIT ?3)"
    " RETURNING " + job_columns;
constexpr const char* sql_add_event = "INSERT INTO job_events (job_id, time_unix_ms, what) VALUES (?1, ?2, ?3)";
constexpr const char* sql_set_message =
    "UPDATE jobs SET platform = ?2, channel = ?3, ts = ?4, response_url = ?5 WHERE id = ?1";
// The first to ask is the one the job names.
constexpr const char* sql_request_cancel =
    "UPDATE jobs SET cancel_by = CASE WHEN cancel_by = '' THEN ?2 ELSE cancel_by END"
    " WHERE id = ?1 AND status = 'running' RETURNING id";
constexpr const char* sql_job_events =
    "SELECT time_unix_ms, what FROM job_events WHERE job_id = ?1 ORDER BY time_unix_ms DESC, rowid DESC LIMIT ?2";

constexpr const char* sql_close_audit = "UPDATE audit SET outcome = ?2, detail = ?3 WHERE id = ?1";

std::string_view audit_outcome(JobStatus status) {
    switch (status) {
        case JobStatus::done: return "ok";
        case JobStatus::cancelled: return "cancelled";
        default: return "failed";
    }
}

class JobUse : public StatementUse {
public:
    JobUse(sqlite3* db, sqlite3_stmt* stmt, const char* operation) : StatementUse(db, stmt, "jobs", operation) {}
};

}  // namespace

std::int64_t SqliteStore::create_job(const JobRecord& job) {
    std::lock_guard lock(mutex_);
    JobUse q(db_.get(), statement(sql_insert_job), "create job");
    q.bind(1, job.kind).bind(2, job.kind_version).bind(3, to_string(job.status)).bind(4, job.state);
    q.bind(5, job.target).bind(6, job.actor_id).bind(7, job.actor_name).bind(8, job.message.platform);
    q.bind(9, job.message.channel).bind(10, job.message.ts).bind(11, job.message.response_url);
    q.bind(12, job.audit_id).bind(13, job.created_unix_ms).bind(14, job.next_run_unix_ms);
    q.bind(15, job.deadline_unix_ms).bind(16, job.claim).step();
    if (sqlite3_changes(db_.get()) == 0) return 0;
    return sqlite3_last_insert_rowid(db_.get());
}

bool SqliteStore::claimed(const std::string& claim) const {
    std::lock_guard lock(mutex_);
    JobUse q(db_.get(), statement(sql_claimed), "read claim");
    q.bind(1, claim);
    return q.step();
}

std::optional<JobRecord> SqliteStore::job(std::int64_t id) const {
    std::lock_guard lock(mutex_);
    JobUse q(db_.get(), statement(sql_job_by_id.c_str()), "read job");
    q.bind(1, id);
    if (!q.step()) return std::nullopt;
    return job_from_row(q);
}

std::vector<JobRecord> SqliteStore::due_jobs(std::int64_t now_unix_ms, std::size_t limit) const {
    std::lock_guard lock(mutex_);
    JobUse q(db_.get(), statement(sql_due_jobs.c_str()), "list due jobs");
    q.bind(1, now_unix_ms).bind(2, static_cast<std::int64_t>(limit));
    std::vector<JobRecord> out;
    while (q.step()) out.push_back(job_from_row(q));
    return out;
}

std::vector<JobRecord> SqliteStore::running_jobs() const {
    std::lock_guard lock(mutex_);
    JobUse q(db_.get(), statement(sql_running_jobs.c_str()), "list running jobs");
    std::vector<JobRecord> out;
    while (q.step()) out.push_back(job_from_row(q));
    return out;
}

std::vector<JobRecord> SqliteStore::recent_jobs(std::optional<JobStatus> status, std::int64_t since_unix_ms,
                                                std::size_t limit) const {
    std::lock_guard lock(mutex_);
    JobUse q(db_.get(), statement((status ? sql_recent_jobs_by_status : sql_recent_jobs).c_str()), "list jobs");
    q.bind(1, since_unix_ms).bind(2, static_cast<std::int64_t>(limit));
    if (status) q.bind(3, to_string(*status));
    std::vector<JobRecord> out;
    while (q.step()) out.push_back(job_from_row(q));
    return out;
}

void SqliteStore::save_step(const JobRecord& job, const JobEvent& event) {
    std::lock_guard lock(mutex_);
    run_sql("BEGIN IMMEDIATE", "begin job step");
    try {
        JobUse q(db_.get(), statement(sql_save_step), "save job step");
        q.bind(1, job.id).bind(2, to_string(job.status)).bind(3, job.state).bind(4, job.updated_unix_ms);
        q.bind(5, job.next_run_unix_ms).bind(6, job.finished_unix_ms).bind(7, job.attempts).bind(8, job.outcome);
        q.bind(9, job.fence).step();
        if (job.fence != 0 && sqlite3_changes(db_.get()) == 0)
            throw LeaseLost("job " + std::to_string(job.id) + " was taken over by another runner");
        if (!event.what.empty()) {
            JobUse e(db_.get(), statement(sql_add_event), "record job event");
            e.bind(1, job.id).bind(2, event.time_unix_ms).bind(3, event.what).step();
        }
        if (job.status != JobStatus::running && job.audit_id != 0) {
            JobUse a(db_.get(), statement(sql_close_audit), "close the job's audit row");
            a.bind(1, job.audit_id).bind(2, audit_outcome(job.status)).bind(3, job.outcome).step();
        }
        run_sql("COMMIT", "commit job step");
    } catch (...) {
        sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

std::int64_t SqliteStore::lease_job(std::int64_t id, const std::string& owner, std::chrono::milliseconds ttl) {
    std::lock_guard lock(mutex_);
    JobUse q(db_.get(), statement(sql_lease_job), "lease job");
    q.bind(1, id).bind(2, owner).bind(3, std::chrono::duration_cast<std::chrono::milliseconds>(
                                                 clock_().time_since_epoch()).count());
    q.bind(4, static_cast<std::int64_t>(ttl.count()));
    return q.step() ? q.integer(0) : 0;
}

int SqliteStore::renew_job_leases(const std::string& owner, std::chrono::milliseconds ttl) {
    std::lock_guard lock(mutex_);
    JobUse q(db_.get(), statement(sql_renew_job_leases), "renew job leases");
    q.bind(1, owner).bind(2, std::chrono::duration_cast<std::chrono::milliseconds>(clock_().time_since_epoch()).count());
    q.bind(3, static_cast<std::int64_t>(ttl.count())).step();
    return sqlite3_changes(db_.get());
}

void SqliteStore::release_job_leases(const std::string& owner) {
    std::lock_guard lock(mutex_);
    JobUse(db_.get(), statement(sql_release_job_leases), "release job leases").bind(1, owner).step();
}

void SqliteStore::mark_shown(std::int64_t id, std::int64_t updated_unix_ms) {
    std::lock_guard lock(mutex_);
    JobUse(db_.get(), statement(sql_mark_shown), "mark job shown").bind(1, id).bind(2, updated_unix_ms).step();
}

std::vector<JobRecord> SqliteStore::claim_unshown_finished_jobs(std::int64_t finished_since_unix_ms, std::size_t limit) {
    std::lock_guard lock(mutex_);
    JobUse q(db_.get(), statement(sql_claim_unshown.c_str()), "claim unshown jobs");
    q.bind(1, finished_since_unix_ms);
    q.bind(2, std::chrono::duration_cast<std::chrono::milliseconds>(clock_().time_since_epoch()).count());
    q.bind(3, static_cast<std::int64_t>(limit));
    std::vector<JobRecord> out;
    while (q.step()) out.push_back(job_from_row(q));
    return out;
}

void SqliteStore::set_message(std::int64_t id, const JobMessage& message) {
    std::lock_guard lock(mutex_);
    JobUse q(db_.get(), statement(sql_set_message), "record job message");
    q.bind(1, id).bind(2, message.platform).bind(3, message.channel).bind(4, message.ts);
    q.bind(5, message.response_url).step();
}

bool SqliteStore::request_cancel(std::int64_t id, const std::string& by) {
    std::lock_guard lock(mutex_);
    return JobUse(db_.get(), statement(sql_request_cancel), "request job cancel").bind(1, id).bind(2, by).step();
}

std::vector<JobEvent> SqliteStore::job_events(std::int64_t id, std::size_t limit) const {
    std::lock_guard lock(mutex_);
    JobUse q(db_.get(), statement(sql_job_events), "read job history");
    q.bind(1, id).bind(2, static_cast<std::int64_t>(limit));
    std::vector<JobEvent> out;
    while (q.step()) out.push_back(JobEvent{q.integer(0), q.text(1)});
    return out;
}

}  // namespace hpops::store
