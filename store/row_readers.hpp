#pragma once
// Rows read the same way whichever backend answered: `Row` is anything with
// integer(column) and text(column) (SQLite's StatementUse, pg::Row), and the
// statements of both backends select their columns in the order read here.
#include "hpops/capacity_samples.hpp"
#include "hpops/digest_schedules.hpp"
#include "hpops/job.hpp"
#include "hpops/store.hpp"
#include "store/digest_sections_text.hpp"

namespace hpops::store {

// id, time_unix_ms, platform, actor_id, actor_name, channel, command,
// arguments, outcome, detail, request_id, backend_request_id
template <class Row>
AuditRecord audit_from_row(const Row& q) {
    return {q.integer(0), q.integer(1), q.text(2), q.text(3), q.text(4),  q.text(5),
            q.text(6),    q.text(7),    q.text(8), q.text(9), q.text(10), q.text(11)};
}

// The columns of job_columns (sqlite_store_jobs.cpp, postgres_store_jobs.cpp).
template <class Row>
JobRecord job_from_row(const Row& q) {
    JobRecord job;
    job.id = q.integer(0);
    job.kind = q.text(1);
    job.kind_version = static_cast<int>(q.integer(2));
    // An unknown status (a newer hpops's) reads as running: the runner then
    // meets the kind's version check and leaves the row alone.
    job.status = job_status_from(q.text(3)).value_or(JobStatus::running);
    job.state = q.text(4);
    job.target = q.text(5);
    job.actor_id = q.text(6);
    job.actor_name = q.text(7);
    job.message = JobMessage{q.text(8), q.text(9), q.text(10), q.text(11)};
    job.audit_id = q.integer(12);
    job.created_unix_ms = q.integer(13);
    job.updated_unix_ms = q.integer(14);
    job.next_run_unix_ms = q.integer(15);
    job.deadline_unix_ms = q.integer(16);
    job.finished_unix_ms = q.integer(17);
    job.attempts = static_cast<int>(q.integer(18));
    job.outcome = q.text(19);
    job.claim = q.text(20);
    job.fence = q.integer(21);
    job.cancel_by = q.text(22);
    return job;
}

// name, cron, timezone, channel, sections, created_by, created_unix_ms
template <class Row>
DigestSchedule digest_schedule_from_row(const Row& q) {
    return {q.text(0), q.text(1), q.text(2), q.text(3), split_sections(q.text(4)), q.text(5), q.integer(6), false};
}

// slot_unix_ms, interval_ms, region, kind, cluster, group_name, instance_type, count
template <class Row>
CapacitySample capacity_sample_from_row(const Row& q) {
    return {q.integer(0), q.integer(1), q.text(2), q.text(3), q.text(4), q.text(5), q.text(6),
            static_cast<int>(q.integer(7))};
}

}  // namespace hpops::store
