#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "common/log_fields.hpp"
#include "hpops/job.hpp"

namespace hpops {
class Store;
}

namespace hpops::bot {

// Who and what began a job, for its log lines: the request id, actor and
// command of its audit row, so a job resumed after a restart still names the
// command that began it. A job without a row (a scheduled digest) names its
// actor and kind.
struct JobOrigin {
    std::string request_id;
    std::string actor;
    std::string command;
};
// Reads the job's audit row from `store` (null: none kept); a store that
// fails leaves the request id unknown rather than fail the step.
JobOrigin job_origin(const JobRecord& job, const Store* store);

log::Fields log_fields(const JobOrigin& origin, std::int64_t job_id, std::string_view backend_request_id = {});

}  // namespace hpops::bot
