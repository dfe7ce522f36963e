#pragma once
// The embedded Store: one SQLite file in WAL mode, shared by the server's
// threads through one connection guarded by a mutex.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "hpops/config.hpp"
#include "store/database.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace hpops::store {

namespace sqlite_detail {
struct CloseDb {
    void operator()(sqlite3* db) const;
};
struct FinalizeStmt {
    void operator()(sqlite3_stmt* stmt) const;
};
using DbPtr = std::unique_ptr<sqlite3, CloseDb>;
using StmtPtr = std::unique_ptr<sqlite3_stmt, FinalizeStmt>;
}  // namespace sqlite_detail

class SqliteStore final : public Database {
public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;

    // Opens or creates `path` (":memory:" for a throwaway store) and applies
    // pending migrations. `clock` decides when remembered requests expire.
    explicit SqliteStore(const std::string& path, Clock clock = &std::chrono::system_clock::now,
                         Synchronous synchronous = Synchronous::full);
    ~SqliteStore() override;

    SqliteStore(const SqliteStore&) = delete;
    SqliteStore& operator=(const SqliteStore&) = delete;

    std::int64_t append_audit(const AuditRecord& record) override;
    void finish_audit(std::int64_t id, const std::string& outcome, const std::string& detail,
                      const std::string& backend_request_id = {}) override;
    // Newest first. request_id carries " backend=ID" when the backend's is known.
    std::vector<AuditRecord> recent_audit(std::size_t limit) const override;
    std::optional<AuditRecord> audit_record(std::int64_t id) const override;
    std::vector<AuditRecord> audit_history(const AuditQuery& query) const override;

    bool remember_request(const std::string& key, std::chrono::system_clock::time_point expires) override;

    bool healthy() const override;
    std::string describe() const override;

    // Deletes expired request keys; remember_request calls it every
    // purge_interval inserts. Returns how many were deleted.
    std::size_t purge_expired_requests();
    std::size_t seen_request_count() const;  // for /metrics and tests
    int schema_version() const;

    static constexpr std::size_t purge_interval = 1000;

    // JobStore (sqlite_store_jobs.cpp): the jobs and job_events tables.
    std::int64_t create_job(const JobRecord& job) override;
    bool claimed(const std::string& claim) const override;
    std::optional<JobRecord> job(std::int64_t id) const override;
    std::vector<JobRecord> due_jobs(std::int64_t now_unix_ms, std::size_t limit) const override;
    std::vector<JobRecord> running_jobs() const override;
    std::vector<JobRecord> recent_jobs(std::optional<JobStatus> status, std::int64_t since_unix_ms,
                                       std::size_t limit) const override;
    void save_step(const JobRecord& job, const JobEvent& event) override;
    void set_message(std::int64_t id, const JobMessage& message) override;
    bool request_cancel(std::int64_t id, const std::string& by) override;
    std::vector<JobEvent> job_events(std::int64_t id, std::size_t limit) const override;
    std::int64_t lease_job(std::int64_t id, const std::string& owner, std::chrono::milliseconds ttl) override;
    int renew_job_leases(const std::string& owner, std::chrono::milliseconds ttl) override;
    void release_job_leases(const std::string& owner) override;
    void mark_shown(std::int64_t id, std::int64_t updated_unix_ms) override;
    std::vector<JobRecord> claim_unshown_finished_jobs(std::int64_t finished_since_unix_ms, std::size_t limit) override;

    // LeaseStore (sqlite_store_leases.cpp): the leases table, judged by `clock`.
    std::int64_t claim_lease(const std::string& name, const std::string& owner,
                             std::chrono::milliseconds ttl) override;
    void release_lease(const std::string& name, const std::string& owner) override;

    // ReplicaStore (sqlite_store_replicas.cpp): the replicas table, judged by `clock`.
    std::vector<ReplicaSeen> announce_replica(const std::string& name, const std::string& config,
                                              std::chrono::milliseconds within) override;
    void forget_replica(const std::string& name) override;

    // DigestScheduleStore (sqlite_store_digests.cpp): the digest_schedules table.
    void put_digest_schedule(const DigestSchedule& schedule) override;
    bool delete_digest_schedule(const std::string& name) override;
    using Database::digest_schedules;
    std::vector<DigestSchedule> digest_schedules() const override;

    // CapacitySampleStore (sqlite_store_capacity.cpp): the capacity_samples table.
    int record_capacity(const std::vector<CapacitySample>& samples) override;
    bool capacity_slot_sampled(std::int64_t slot_unix_ms) const override;
    using Database::capacity_samples;
    std::vector<CapacitySample> capacity_samples(std::int64_t since_unix_ms, std::int64_t until_unix_ms,
                                                 const std::string& group) const override;
    int prune_capacity_samples(std::int64_t before_unix_ms) override;

private:
    sqlite3_stmt* statement(const char* sql) const;  // prepared once, cached; caller holds mutex_
    void run_sql(const char* sql, const char* operation) const;
    void migrate();
    std::size_t purge_locked();

    std::string path_;
    Clock clock_;
    Synchronous synchronous_;
    std::string journal_mode_;
    mutable std::mutex mutex_;
    sqlite_detail::DbPtr db_;
    mutable std::unordered_map<const char*, sqlite_detail::StmtPtr> statements_;
    std::size_t inserts_since_purge_ = 0;
};

}  // namespace hpops::store
