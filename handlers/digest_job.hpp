#pragma once
#include <string>
#include <vector>

#include "handlers/digest_sections.hpp"
#include "hpops/digest_schedules.hpp"
#include "hpops/job.hpp"

namespace hpops::handlers {

// One scheduled digest's firing: its one step builds every section (a
// backend that fails makes its section say so; the rest is posted), and the
// job's message is the digest, posted in the schedule's channel. The
// scheduler begins it under the claim "digest NAME FIRE_UNIX", so a firing
// is posted once whatever restarts or replicas ask. State:
// {schedule, timezone, fire_unix, late_s, sections: [names], since_ms,
//  built: [{name, title, lines, columns, rows, problem}], build_ms}.
class DigestJob final : public JobKind {
public:
    static constexpr std::string_view kind = "digest";
    std::string_view name() const override { return kind; }
    boost::asio::awaitable<JobStep> step(const JobRecord& job, JobContext& context) override;
    Reply render(const JobRecord& job) const override;
    std::chrono::milliseconds deadline(const Config& config) const override;
};

DigestJob& digest_job();

// The claim of a schedule's firing.
std::string digest_claim(const std::string& schedule, std::int64_t fire_unix);

// The job that posts `schedule`'s firing at `fire_unix`, `late_s` seconds
// after it was due (0: on time); the period starts at `since_unix_ms`.
JobRecord digest_firing_job(const DigestSchedule& schedule, std::int64_t fire_unix, std::int64_t late_s,
                            std::int64_t since_unix_ms);

// The digest as a message: a heading naming it and when, a line when it is
// late, then each section.
struct DigestView {
    std::string title;     // "Digest daily"
    std::string when;      // "Mon 7 Dec 09:00 CET"
    std::string late;      // empty, or "due 09:00 CET, posted 47m late after a restart"
    std::string period;    // "since Sun 6 Dec 09:00 CET"
    std::vector<DigestSection> sections;
    std::int64_t build_ms = -1;  // -1: still building
};
Reply render_digest(const DigestView& view);

// A time as people in `timezone` read it: "Mon 7 Dec 09:00 CET".
std::string local_time_text(std::int64_t unix_seconds, const std::string& timezone);

}  // namespace hpops::handlers
