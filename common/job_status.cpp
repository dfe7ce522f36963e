#include "hpops/job.hpp"

namespace hpops {

namespace {
constexpr std::pair<JobStatus, std::string_view> names[] = {
    {JobStatus::running, "running"}, {JobStatus::done, "done"}, {JobStatus::failed, "failed"},
    {JobStatus::cancelled, "cancelled"}};
}  // namespace

std::string_view to_string(JobStatus status) {
    for (const auto& [value, name] : names)
        if (value == status) return name;
    return "running";
}

std::optional<JobStatus> job_status_from(std::string_view text) {
    for (const auto& [value, name] : names)
        if (name == text) return value;
    return std::nullopt;
}

}  // namespace hpops
