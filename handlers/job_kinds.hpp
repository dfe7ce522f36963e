#pragma once
#include <vector>

#include "hpops/job.hpp"

namespace hpops::handlers {

// Every kind of job the handlers start, for the server's runner to register:
// a job left by a restart resumes only if its kind is here.
std::vector<JobKind*> job_kinds();

}  // namespace hpops::handlers
