#include "bot/jobs/job_log_fields.hpp"

#include <exception>

#include "hpops/store.hpp"

namespace hpops::bot {

JobOrigin job_origin(const JobRecord& job, const Store* store) {
    JobOrigin origin{{}, job.actor_id, job.kind};
    if (!store || job.audit_id == 0) return origin;
    try {
        if (auto row = store->audit_record(job.audit_id)) {
            origin.request_id = std::move(row->request_id);
            origin.command = std::move(row->command);
            if (!row->actor_id.empty()) origin.actor = std::move(row->actor_id);
        }
    } catch (const std::exception&) {
        // The step reads the store next and reports its failure; a log field is not worth a second line.
    }
    return origin;
}

log::Fields log_fields(const JobOrigin& origin, std::int64_t job_id, std::string_view backend_request_id) {
    return {origin.request_id, origin.actor, origin.command, job_id, backend_request_id};
}

}  // namespace hpops::bot
