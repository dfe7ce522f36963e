#pragma once
#include "hpops/job.hpp"
#include "tests/support/run_sync.hpp"

namespace hpops::testing {

// One step of `kind`, its result kept in `job` as the runner keeps it (state,
// status, and the step's note as the outcome), for tests of job kinds.
inline JobStep step_job(JobKind& kind, JobRecord& job, JobContext& context) {
    JobStep step = run_sync(kind.step(job, context));
    job.state = step.state;
    job.status = step.status;
    job.outcome = step.note;
    return step;
}

}  // namespace hpops::testing
