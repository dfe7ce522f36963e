#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "hpops/job.hpp"

namespace hpops::bot {

struct JobRunnerOptions {
    std::size_t concurrency = 32;                       // steps in flight at once
    std::chrono::milliseconds first_retry{1'000};       // after a transient failure, doubling...
    std::chrono::milliseconds max_retry{60'000};        // ...to this
    // Several replicas on one store: a runner steps a job only while it holds
    // the job's lease, renews its leases every lease/3, and looks for jobs
    // whose lease ran out (their runner died) every takeover_scan. `owner`
    // names this runner in the store; empty: one is made up (host, process).
    std::string owner;
    std::chrono::milliseconds lease{15'000};
    std::chrono::milliseconds takeover_scan{5'000};
};

struct JobRunnerStats {
    std::uint64_t steps = 0;
    std::uint64_t retries = 0;            // transient failures, retried
    std::uint64_t resumed = 0;            // unfinished jobs picked up at start
    std::uint64_t finished[4] = {};       // by JobStatus
    double step_seconds_sum = 0;
    double step_seconds_max = 0;
    std::int64_t running = 0;             // jobs this runner holds the lease of, not yet ended
};

// Steps every running job until it ends. All of its bookkeeping runs on one
// strand; waits use the steady clock (a wall-clock jump neither fires nor
// stalls a step), while the store keeps wall times for display and for the
// next start. Every step's result is committed before the message is edited,
// so a crash repeats at most the edit, never loses the step.
class JobRunner final : public Jobs {
public:
    using WallClock = std::function<std::chrono::system_clock::time_point()>;

    JobRunner(boost::asio::any_io_executor executor, JobStore& jobs, JobContext context, JobMessenger* messenger,
              JobRunnerOptions options = {}, WallClock wall = &std::chrono::system_clock::now);
    ~JobRunner() override;

    void add_kind(JobKind& kind);
    // Resumes every unfinished job in the store (their steps run at once) and
    // starts stepping, and from then on takes over jobs whose runner stopped
    // renewing their leases. Call once. `hpops run` passes false: it follows
    // only the jobs its one command begins, never a server's.
    void start(bool resume_unfinished = true);
    // Records a new job (its message shown at once) and schedules its first step.
    boost::asio::awaitable<std::int64_t> begin(JobRecord job, std::chrono::milliseconds first_step_after) override;
    // Stops following `id`; never undoes what the job already changed. False
    // when it is not running.
    boost::asio::awaitable<bool> cancel(std::int64_t id, std::string by) override;
    const JobStore& store() const override;
    std::optional<Reply> render(const JobRecord& job) const override;
    // Takes no new steps, lets the ones in flight finish and persist, and lets
    // its leases go. Jobs stay running in the store for another replica or
    // the next start.
    boost::asio::awaitable<void> stop();

    const JobKind* kind(std::string_view name) const;
    JobRunnerStats stats() const;

    struct Shared;  // the state the strand's coroutines share (job_runner.cpp)

private:
    std::shared_ptr<Shared> shared_;
};

}  // namespace hpops::bot
