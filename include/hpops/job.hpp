#pragma once
// Durable jobs: long work (a scale followed to the end, a rollout, a cluster
// launch) as a row in the store that a JobRunner steps until it finishes. A
// restart resumes every unfinished job where its last committed step left it.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "hpops/reply.hpp"

namespace hpops {

struct Clients;
struct Config;
class Store;
class JobStore;

enum class JobStatus { running, done, failed, cancelled };
std::string_view to_string(JobStatus status);
std::optional<JobStatus> job_status_from(std::string_view text);

// Where a job's message lives, so every step edits the same one.
struct JobMessage {
    std::string platform;      // "slack", "terminal"
    std::string channel;
    std::string ts;            // empty until posted
    std::string response_url;  // the fallback without a bot token
};

// One row of the `jobs` table. `state` is the kind's own small JSON document.
struct JobRecord {
    std::int64_t id = 0;
    std::string kind;
    int kind_version = 1;      // a row written by a newer kind is left alone
    JobStatus status = JobStatus::running;
    std::string state;         // JSON text
    std::string target;        // what it acts on, for listings: "nodegroup gpu-ng"
    std::string actor_id;
    std::string actor_name;
    JobMessage message;
    std::int64_t audit_id = 0;  // the audit row the job closes when it ends
    std::int64_t created_unix_ms = 0;
    std::int64_t updated_unix_ms = 0;
    std::int64_t next_run_unix_ms = 0;
    std::int64_t deadline_unix_ms = 0;
    std::int64_t finished_unix_ms = 0;
    int attempts = 0;          // consecutive failed steps; reset by a step that succeeds
    std::string outcome;       // a line for listings once finished
    // Unique among all jobs when set ("digest daily 1796000400"): a second job
    // with the same claim is never created, so work due once (a scheduled
    // digest's firing) is done once however many replicas or restarts ask.
    std::string claim;
    // The job's lease (several replicas): the token of the runner that holds
    // it, which save_step checks, so a runner that lost the job to another
    // cannot write over its steps. 0: no lease taken (save_step unchecked).
    std::int64_t fence = 0;
    // Who asked to cancel it (request_cancel), on whichever replica: the
    // runner holding the job ends it at its next step. Empty: not asked.
    std::string cancel_by;
};

// save_step by a runner whose lease on the job another runner has taken.
class LeaseLost : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// One line of a job's history, for `/hp job ID`.
struct JobEvent {
    std::int64_t time_unix_ms = 0;
    std::string what;  // "step: Updating (attempt 1)", "retry in 4 s: AWS EKS did not answer (Timeout)"
};

// What one step decided.
struct JobStep {
    JobStatus status = JobStatus::running;
    std::string state;                      // the new state document (JSON text)
    std::chrono::milliseconds run_after{0};  // when running: wait this long before the next step
    std::string note;                       // one line for the history
};

// What a kind may use while it steps.
struct JobContext {
    const Config& config;
    const Clients& clients;
    Store* store = nullptr;  // the audit, for a digest's "who changed what"; null in tests without one
    const JobStore* jobs = nullptr;  // other jobs (a digest names launches); the runner sets its own
};

// A kind of job: one bounded unit of work per step (one poll, one apply),
// never a loop; the runner persists the state between steps.
class JobKind {
public:
    virtual ~JobKind() = default;
    virtual std::string_view name() const = 0;
    virtual int version() const { return 1; }
    virtual boost::asio::awaitable<JobStep> step(const JobRecord& job, JobContext& context) = 0;
    // The job's message as it stands (running, done, failed or cancelled).
    virtual Reply render(const JobRecord& job) const = 0;
    // How long a job of this kind may run before it is failed.
    virtual std::chrono::milliseconds deadline(const Config& config) const = 0;
};

// Persistence of jobs. Calls are short and synchronous (local SQLite).
class JobStore {
public:
    virtual ~JobStore() = default;
    // Inserts `job` (id, times filled in) and returns its id; 0 when its
    // claim is already taken, and nothing is inserted.
    virtual std::int64_t create_job(const JobRecord& job) = 0;
    // A job with this claim exists (running or finished).
    virtual bool claimed(const std::string& claim) const = 0;
    virtual std::optional<JobRecord> job(std::int64_t id) const = 0;
    // Running jobs whose next run is due at `now_unix_ms`, oldest first.
    virtual std::vector<JobRecord> due_jobs(std::int64_t now_unix_ms, std::size_t limit) const = 0;
    virtual std::vector<JobRecord> running_jobs() const = 0;
    // Newest first, optionally of one status and created since a time.
    virtual std::vector<JobRecord> recent_jobs(std::optional<JobStatus> status, std::int64_t since_unix_ms,
                                               std::size_t limit) const = 0;
    // Commits a step's result, with one history line, in one transaction; a
    // job that ended closes its audit row (audit_id) in the same one, so the
    // row is closed exactly once whatever happens after.
    // With job.fence set, the step is written only if the job's lease still
    // has that token; otherwise nothing is written and it throws LeaseLost.
    virtual void save_step(const JobRecord& job, const JobEvent& event) = 0;
    // Takes the job's lease for `owner` (free, expired, or already its own)
    // for `ttl`; returns its fencing token, or 0 when another runner holds it.
    virtual std::int64_t lease_job(std::int64_t id, const std::string& owner, std::chrono::milliseconds ttl) = 0;
    // Extends every running job's lease `owner` holds; returns how many.
    virtual int renew_job_leases(const std::string& owner, std::chrono::milliseconds ttl) = 0;
    // Ends `owner`'s leases at once (a clean stop): another runner takes the jobs over.
    virtual void release_job_leases(const std::string& owner) = 0;
    // The job's message shows its state as of `updated_unix_ms`.
    virtual void mark_shown(std::int64_t id, std::int64_t updated_unix_ms) = 0;
    // Finished jobs whose final state no message shows yet (their runner died
    // between the commit and the edit, or chat failed) and whose lease has
    // run out, each claimed for this caller: no other runner gets it too.
    virtual std::vector<JobRecord> claim_unshown_finished_jobs(std::int64_t finished_since_unix_ms,
                                                               std::size_t limit) = 0;
    virtual void set_message(std::int64_t id, const JobMessage& message) = 0;
    // Records that `by` asked to cancel the running job `id`; false when it
    // is not running. The row carries the request to whichever runner holds it.
    virtual bool request_cancel(std::int64_t id, const std::string& by) = 0;
    virtual std::vector<JobEvent> job_events(std::int64_t id, std::size_t limit) const = 0;
};

// Shows a job's message where people see it: posts it the first time, edits
// it after (Slack: chat.postMessage, then chat.update), and returns where it
// now is. One per chat platform; the terminal prints.
class JobMessenger {
public:
    virtual ~JobMessenger() = default;
    virtual boost::asio::awaitable<JobMessage> show(const JobRecord& job, Reply rendering) = 0;
};

// What handlers see of the job runner.
class Jobs {
public:
    virtual ~Jobs() = default;
    // Records `job`, shows its first rendering, and steps it from
    // `first_step_after` on, across restarts. Returns its id; 0 when its
    // claim is taken (then nothing is recorded or shown).
    virtual boost::asio::awaitable<std::int64_t> begin(JobRecord job, std::chrono::milliseconds first_step_after) = 0;
    // Stops following a running job; never undoes what it changed. False when
    // it is not running (finished, unknown, or left for a newer hpops).
    virtual boost::asio::awaitable<bool> cancel(std::int64_t id, std::string by) = 0;
    virtual const JobStore& store() const = 0;
    // The job's message as its kind renders it; nullopt for a kind this hpops lacks.
    virtual std::optional<Reply> render(const JobRecord& job) const = 0;
};

}  // namespace hpops
