// PostgresStore's JobStore half: the jobs and job_events tables (migration 2).
#include "store/postgres/postgres_store.hpp"
#include "store/row_readers.hpp"

namespace hpops::store {
namespace {

using pg::Params;

// A macro, not a std::string: each statement stays one constant whose address
// keys the connection's prepared-statement cache.
#define HPOPS_JOB_COLUMNS                                                                                        \
    "id, kind, kind_version, status, state, target, actor_id, actor_name, platform, channel, ts, response_url," \
    " audit_id, created_unix_ms, updated_unix_ms, next_run_unix_ms, deadline_unix_ms, finished_unix_ms, attempts," \
    " outcome, COALESCE(claim, ''), fence, cancel_by"

// A taken claim inserts nothing (the unique index jobs_claim, migration 4):
// of two replicas creating one digest firing's job, one gets no id.
constexpr const char* sql_insert_job =
    "INSERT INTO jobs (kind, kind_version, status, state, target, actor_id, actor_name, platform, channel, ts,"
    " response_url, audit_id, created_unix_ms, updated_unix_ms, next_run_unix_ms, deadline_unix_ms, claim)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14, $15, NULLIF($16::TEXT, ''))"
    " ON CONFLICT DO NOTHING RETURNING id";
constexpr const char* sql_claimed = "SELECT 1 FROM jobs WHERE claim = $1";
constexpr const char* sql_job_by_id = "SELECT " HPOPS_JOB_COLUMNS " FROM jobs WHERE id = $1";
constexpr const char* sql_due_jobs = "SELECT " HPOPS_JOB_COLUMNS
    " FROM jobs WHERE status = 'running' AND next_run_unix_ms <= $1 ORDER BY next_run_unix_ms LIMIT $2";
constexpr const char* sql_running_jobs = "SELECT " HPOPS_JOB_COLUMNS " FROM jobs WHERE status = 'running' ORDER BY id";
constexpr const char* sql_recent_jobs = "SELECT " HPOPS_JOB_COLUMNS
    " FROM jobs WHERE created_unix_ms >= $1 ORDER BY id DESC LIMIT $2";
constexpr const char* sql_recent_jobs_by_status = "SELECT " HPOPS_JOB_COLUMNS
    " FROM jobs WHERE status = $3 AND created_unix_ms >= $1 ORDER BY id DESC LIMIT $2";
// Fenced: a runner whose lease another has taken ($9 no longer the job's
// token) writes nothing.
constexpr const char* sql_save_step =
    "UPDATE jobs SET status = $2, state = $3, updated_unix_ms = $4, next_run_unix_ms = $5, finished_unix_ms = $6,"
    " attempts = $7, outcome = $8 WHERE id = $1 AND ($9::BIGINT = 0 OR fence = $9)";
// Expiry is judged by the database's clock, the one clock every replica shares.
#define HPOPS_DB_NOW_MS "(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT"
// The token grows when the lease changes hands, not when its holder renews.
constexpr const char* sql_lease_job =
    "UPDATE jobs SET lease_owner = $2, lease_until_unix_ms = " HPOPS_DB_NOW_MS " + $3,"
    " fence = fence + CASE WHEN lease_owner = $2 AND fence > 0 THEN 0 ELSE 1 END"
    " WHERE id = $1 AND status = 'running' AND (lease_owner = $2 OR lease_until_unix_ms <= " HPOPS_DB_NOW_MS ")"
    " RETURNING fence";
constexpr const char* sql_renew_job_leases =
    "UPDATE jobs SET lease_until_unix_ms = " HPOPS_DB_NOW_MS " + $2 WHERE lease_owner = $1 AND status = 'running'";
// Claimed by marking them shown in the same statement: a second runner's
// claim finds nothing left.
constexpr const char* sql_claim_unshown =
    "UPDATE jobs SET shown_unix_ms = finished_unix_ms"
    " WHERE id IN (SELECT id FROM jobs WHERE status <> 'running' AND shown_unix_ms < finished_unix_ms"
    " AND finished_unix_ms >= $1 AND lease_until_unix_ms <= " HPOPS_DB_NOW_MS
    " ORDER BY finished_unix_ms LIMIT $2 FOR UPDATE SKIP LOCKED) RETURNING " HPOPS_JOB_COLUMNS;
#undef HPOPS_DB_NOW_MS
constexpr const char* sql_release_job_leases =
    "UPDATE jobs SET lease_until_unix_ms = 0 WHERE lease_owner = $1 AND status = 'running'";
constexpr const char* sql_mark_shown = "UPDATE jobs SET shown_unix_ms = GREATEST(shown_unix_ms, $2) WHERE id = $1";
constexpr const char* sql_add_event = "INSERT INTO job_events (job_id, time_unix_ms, what) VALUES ($1, $2, $3)";
constexpr const char* sql_set_message =
    "UPDATE jobs SET platform = $2, channel = $3, ts = $4, response_url = $5 WHERE id = $1";
// The first to ask is the one the job names.
constexpr const char* sql_request_cancel =
    "UPDATE jobs SET cancel_by = CASE WHEN cancel_by = '' THEN $2 ELSE cancel_by END"
    " WHERE id = $1 AND status = 'running' RETURNING id";
constexpr const char* sql_job_events =
    "SELECT time_unix_ms, what FROM job_events WHERE job_id = $1 ORDER BY time_unix_ms DESC, id DESC LIMIT $2";
constexpr const char* sql_close_audit = "UPDATE audit SET outcome = $2, detail = $3 WHERE id = $1";

#undef HPOPS_JOB_COLUMNS

std::string_view audit_outcome(JobStatus status) {
    switch (status) {
        case JobStatus::done: return "ok";
        case JobStatus::cancelled: return "cancelled";
        default: return "failed";
    }
}

std::vector<JobRecord> read_jobs(const pg::Result& q) { return q.all(job_from_row<pg::Row>); }

}  // namespace

std::int64_t PostgresStore::create_job(const JobRecord& job) {
    auto c = lease();
    const auto q = c->exec(sql_insert_job,
                           Params()
                               .add(job.kind).add(std::int64_t{job.kind_version}).add(to_string(job.status))
                               .add(job.state).add(job.target).add(job.actor_id).add(job.actor_name)
                               .add(job.message.platform).add(job.message.channel).add(job.message.ts)
                               .add(job.message.response_url).add(job.audit_id).add(job.created_unix_ms)
                               .add(job.next_run_unix_ms).add(job.deadline_unix_ms).add(job.claim),
                           "create job");
    return q.empty() ? 0 : q.integer(0, 0);
}

bool PostgresStore::claimed(const std::string& claim) const {
    auto c = lease();
    return !c->exec(sql_claimed, Params().add(claim), "read claim").empty();
}

std::optional<JobRecord> PostgresStore::job(std::int64_t id) const {
    auto c = lease();
    const auto q = c->exec(sql_job_by_id, Params().add(id), "read job");
    if (q.empty()) return std::nullopt;
    return job_from_row(q.row(0));
}

std::vector<JobRecord> PostgresStore::due_jobs(std::int64_t now_unix_ms, std::size_t limit) const {
    auto c = lease();
    return read_jobs(
        c->exec(sql_due_jobs, Params().add(now_unix_ms).add(static_cast<std::int64_t>(limit)), "list due jobs"));
}

std::vector<JobRecord> PostgresStore::running_jobs() const {
    auto c = lease();
    return read_jobs(c->exec(sql_running_jobs, {}, "list running jobs"));
}

std::vector<JobRecord> PostgresStore::recent_jobs(std::optional<JobStatus> status, std::int64_t since_unix_ms,
                                                  std::size_t limit) const {
    auto c = lease();
    Params params;
    params.add(since_unix_ms).add(static_cast<std::int64_t>(limit));
    if (status) params.add(to_string(*status));
    return read_jobs(c->exec(status ? sql_recent_jobs_by_status : sql_recent_jobs, params, "list jobs"));
}

void PostgresStore::save_step(const JobRecord& job, const JobEvent& event) {
    auto c = lease();
    pg::Transaction tx(*c);
    const auto saved = c->exec(sql_save_step,
            Params()
                .add(job.id).add(to_string(job.status)).add(job.state).add(job.updated_unix_ms)
                .add(job.next_run_unix_ms).add(job.finished_unix_ms).add(std::int64_t{job.attempts}).add(job.outcome)
                .add(job.fence),
            "save job step");
    if (job.fence != 0 && saved.affected() == 0)
        throw LeaseLost("job " + std::to_string(job.id) + " was taken over by another runner");
    if (!event.what.empty())
        c->exec(sql_add_event, Params().add(job.id).add(event.time_unix_ms).add(event.what), "record job event");
    if (job.status != JobStatus::running && job.audit_id != 0)
        c->exec(sql_close_audit, Params().add(job.audit_id).add(audit_outcome(job.status)).add(job.outcome),
                "close the job's audit row");
    tx.commit();
}

std::int64_t PostgresStore::lease_job(std::int64_t id, const std::string& owner, std::chrono::milliseconds ttl) {
    auto c = lease();
    const auto q = c->exec(sql_lease_job, Params().add(id).add(owner).add(static_cast<std::int64_t>(ttl.count())),
                           "lease job");
    return q.empty() ? 0 : q.integer(0, 0);
}

int PostgresStore::renew_job_leases(const std::string& owner, std::chrono::milliseconds ttl) {
    auto c = lease();
    return static_cast<int>(
        c->exec(sql_renew_job_leases, Params().add(owner).add(static_cast<std::int64_t>(ttl.count())), "renew job leases")
            .affected());
}

void PostgresStore::release_job_leases(const std::string& owner) {
    auto c = lease();
    c->exec(sql_release_job_leases, Params().add(owner), "release job leases");
}

void PostgresStore::mark_shown(std::int64_t id, std::int64_t updated_unix_ms) {
    auto c = lease();
    c->exec(sql_mark_shown, Params().add(id).add(updated_unix_ms), "mark job shown");
}

std::vector<JobRecord> PostgresStore::claim_unshown_finished_jobs(std::int64_t finished_since_unix_ms,
                                                                  std::size_t limit) {
    auto c = lease();
    return read_jobs(c->exec(sql_claim_unshown,
                             Params().add(finished_since_unix_ms).add(static_cast<std::int64_t>(limit)),
                             "claim unshown jobs"));
}

void PostgresStore::set_message(std::int64_t id, const JobMessage& message) {
    auto c = lease();
    c->exec(sql_set_message,
            Params().add(id).add(message.platform).add(message.channel).add(message.ts).add(message.response_url),
            "record job message");
}

bool PostgresStore::request_cancel(std::int64_t id, const std::string& by) {
    auto c = lease();
    return !c->exec(sql_request_cancel, Params().add(id).add(by), "request job cancel").empty();
}

std::vector<JobEvent> PostgresStore::job_events(std::int64_t id, std::size_t limit) const {
    auto c = lease();
    const auto q = c->exec(sql_job_events, Params().add(id).add(static_cast<std::int64_t>(limit)), "read job history");
    std::vector<JobEvent> out;
    for (int i = 0; i < q.rows(); ++i) out.push_back(JobEvent{q.integer(i, 0), q.text(i, 1)});
    return out;
}

}  // namespace hpops::store
