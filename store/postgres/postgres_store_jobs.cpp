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
    " outcome, COALESCE(claim, '')"

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
constexpr const char* sql_save_step =
    "UPDATE jobs SET status = $2, state = $3, updated_unix_ms = $4, next_run_unix_ms = $5, finished_unix_ms = $6,"
    " attempts = $7, outcome = $8 WHERE id = $1";
constexpr const char* sql_add_event = "INSERT INTO job_events (job_id, time_unix_ms, what) VALUES ($1, $2, $3)";
constexpr const char* sql_set_message =
    "UPDATE jobs SET platform = $2, channel = $3, ts = $4, response_url = $5 WHERE id = $1";
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
    c->exec(sql_save_step,
            Params()
                .add(job.id).add(to_string(job.status)).add(job.state).add(job.updated_unix_ms)
                .add(job.next_run_unix_ms).add(job.finished_unix_ms).add(std::int64_t{job.attempts}).add(job.outcome),
            "save job step");
    if (!event.what.empty())
        c->exec(sql_add_event, Params().add(job.id).add(event.time_unix_ms).add(event.what), "record job event");
    if (job.status != JobStatus::running && job.audit_id != 0)
        c->exec(sql_close_audit, Params().add(job.audit_id).add(audit_outcome(job.status)).add(job.outcome),
                "close the job's audit row");
    tx.commit();
}

void PostgresStore::set_message(std::int64_t id, const JobMessage& message) {
    auto c = lease();
    c->exec(sql_set_message,
            Params().add(id).add(message.platform).add(message.channel).add(message.ts).add(message.response_url),
            "record job message");
}

std::vector<JobEvent> PostgresStore::job_events(std::int64_t id, std::size_t limit) const {
    auto c = lease();
    const auto q = c->exec(sql_job_events, Params().add(id).add(static_cast<std::int64_t>(limit)), "read job history");
    std::vector<JobEvent> out;
    for (int i = 0; i < q.rows(); ++i) out.push_back(JobEvent{q.integer(i, 0), q.text(i, 1)});
    return out;
}

}  // namespace hpops::store
